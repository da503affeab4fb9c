// Taking a payment code (付款码) and giving money back, at the check.
//
// A payment code is scanned with the camera (or typed), sent once with its own client key, and
// followed: while the payer confirms on their phone the payment is ``paying`` and the page asks
// GET /api/v1/payments/{id} again when the server's Retry-After says, until it is paid or failed.
// Codes need the network: offline the page says so and takes nothing (cash still works, queued).
// Refunds go back the way the money came: cash out of the drawer (the shift counts it), payment
// codes and WeChat through the provider.
import { $, T, ask, el, fen, fmt, newKey, toast, yuan, yuanPlain } from "./pos-ui.js";
import { api, isNetworkError } from "./pos-queue.js";
import { scanOnce } from "./pos-scan.js";

const FOLLOW_DEFAULT_S = 2;  // when the server names no Retry-After
const DONE = new Set(["paid", "failed", "closed"]);
// Why a code failed, as the provider said it (the server passes the provider's code on).
const FAILURE = { TIMEOUT: "code_timeout", CANCELLED: "code_cancelled", MISMATCH: "code_mismatch",
  NOT_ENOUGH: "code_not_enough", NOTENOUGH: "code_not_enough", AUTHCODEEXPIRE: "code_expired",
  AUTH_CODE_INVALID: "code_expired", TRADE_ERROR: "code_expired", "ACQ.PAYMENT_AUTH_CODE_INVALID": "code_expired",
  "ACQ.BUYER_BALANCE_NOT_ENOUGH": "code_not_enough" };  // the provider's code as the server keeps it

// WeChat: 18 digits starting 10–15; Alipay: 16–24 digits starting 25–30 (the server decides).
export function codeChannel(code) {
  if (/^1[0-5]\d{16}$/.test(code)) return "wechat_code";
  if (/^(2[5-9]|30)\d{14,22}$/.test(code)) return "alipay_code";
  return null;
}

const sleep = (s) => new Promise((r) => { setTimeout(r, s * 1000); });
const online = () => new Promise((r) => {
  if (navigator.onLine) r(); else window.addEventListener("online", () => r(), { once: true });
});

// Ask for the code (camera or typed) and take ``amount`` (or the lines ``lines``) from check ``sessionId``.
// Resolves to the final payment ({status: paid | failed | …}) or null when nothing was taken.
export async function takePaymentCode({ sessionId, amount, lines = null }) {
  if (!navigator.onLine) { toast(T.codes_need_network, "err"); return null; }
  let camera = null;
  const video = el("video", { class: "code-video", playsinline: true, muted: true, hidden: true });
  const scanBtn = el("button", { type: "button", class: "btn", id: "code-scan", onclick: async () => {
    try {
      video.hidden = false;
      camera = await scanOnce(video, (text) => {
        camera = null;
        video.hidden = true;
        const input = $("f-auth_code");
        input.value = text.trim();
        input.form.requestSubmit();
      });
    } catch {
      video.hidden = true;
      toast(T.no_camera, "err");
      $("f-auth_code").focus();
    }
  } }, T.scan_payer_code);
  const v = await ask({
    title: fmt(T.code_for, { amount: yuan(amount) }),
    extra: [el("div", { class: "code-scan" }, scanBtn, video)],
    fields: [{ name: "auth_code", label: T.auth_code, inputmode: "numeric" }],
    live: (vals, box) => {
      const channel = codeChannel(vals.auth_code.trim());
      box.textContent = channel ? T[`channel_${channel}`] : "";
    },
    check: (vals) => (codeChannel(vals.auth_code.trim()) ? null : T.code_bad),
    ok: T.charge,
  });
  camera?.stop();
  if (!v) return null;
  const body = { client_key: newKey(), auth_code: v.auth_code.trim(), ...(lines ? { order_item_ids: lines } : { amount }) };
  return follow(sessionId, body, amount);
}

// The payment's progress in the modal: sent, the payer confirming, paid or failed. The same key
// is sent again after a lost answer, so a code is never charged twice.
// Follow a code payment already in flight (the cashier closed its dialog, or another phone took it).
export const followPayment = (payment) => follow(null, null, payment.amount, payment);

async function follow(sessionId, body, amount, existing = null) {
  const dialog = $("modal");
  const state = el("p", { class: "code-state", role: "status", "aria-live": "polite" });
  const detail = el("p", { class: "hint" });
  const close = el("button", { type: "button", class: "btn primary", id: "code-done" }, T.close);
  const heading = el("h2", {}, fmt(T.code_for, { amount: yuan(amount) }));
  dialog.replaceChildren(el("div", { class: "modal-form code-follow" }, heading, state, detail,
    el("div", { class: "modal-actions one" }, close)));
  let open = true;
  const closed = new Promise((resolve) => {
    close.onclick = () => { open = false; dialog.close(); resolve(); };
    dialog.oncancel = (e) => { e.preventDefault(); open = false; dialog.close(); resolve(); };
  });
  if (!dialog.open) dialog.showModal();
  const show = (text, kind = "") => { state.textContent = text; state.className = `code-state ${kind}`; };

  show(T.code_sending);
  let payment = existing;
  for (let tries = 0; payment === null; tries += 1) {
    try {
      payment = (await api(`/api/v1/table-sessions/${sessionId}/payments/code`, { method: "POST", body })).payment;
    } catch (ex) {
      if (!isNetworkError(ex)) {
        show(ex.message || T.network_error, "err");
        if (open) await closed;
        return null;
      }
      show(T.code_network_unknown, "err");  // was it taken? the same key asks again, never charges twice
      await online();
      await sleep(Math.min(ex.retryAfter || FOLLOW_DEFAULT_S * (tries + 1), 10));
      if (!open) return null;  // the check, reloaded, shows whether it was taken
    }
  }
  const started = Date.now();
  const tick = () => { detail.textContent = fmt(T.code_waiting_s, { s: Math.round((Date.now() - started) / 1000) }); };
  const ticker = setInterval(tick, 1000);
  while (!DONE.has(payment.status) && open) {
    show(T.code_paying, "wait");
    tick();
    let wait = FOLLOW_DEFAULT_S;
    try {
      const data = await api(`/api/v1/payments/${payment.id}`, { onHeaders: (h) => {
        const n = Number(h.get("Retry-After"));
        if (Number.isFinite(n) && n > 0) wait = n;
      } });
      payment = data.payment || data;
      if (DONE.has(payment.status)) break;
    } catch (ex) {
      if (!isNetworkError(ex)) { show(ex.message, "err"); break; }
      show(T.code_network_following, "err");
      await online();
      wait = ex.retryAfter || wait;
    }
    await sleep(wait);
  }
  clearInterval(ticker);
  detail.textContent = "";
  close.textContent = T.ok;
  if (payment.status === "paid") {
    show(fmt(T.code_paid, { amount: yuan(payment.amount), channel: T[`channel_${payment.channel}`] || "" }), "ok");
  } else if (DONE.has(payment.status)) {
    show(T.code_failed, "err");
    detail.textContent = T[FAILURE[payment.failure]] || "";
  }
  if (open) await closed;
  return payment;
}

const REFUND_HINT = { cash: "refund_hint_cash", other: "refund_hint_other" };

// Give back part or all of a paid payment, with a reason; cash comes out of the drawer.
export async function refundPayment(payment) {
  const left = payment.amount - (payment.refunded || 0);
  const channel = T[`channel_${payment.channel}`] || payment.channel;
  const v = await ask({
    title: fmt(T.refund_x, { channel, amount: yuan(left) }),
    extra: [el("p", { class: "hint" }, T[REFUND_HINT[payment.channel] || "refund_hint_provider"])],
    fields: [{ name: "amount", label: T.refund_amount, inputmode: "decimal", value: yuanPlain(left) },
      { name: "reason", label: T.reason }],
    check: (vals) => {
      const f = fen(vals.amount);
      if (f === null || f <= 0 || f > left) return fmt(T.refund_amount_bad, { x: yuan(left) });
      return vals.reason.trim() ? null : T.reason_required;
    },
    ok: T.refund, danger: true,
  });
  if (!v) return null;
  if (!navigator.onLine) { toast(T.needs_network, "err"); return null; }
  try {
    const { refund } = await api(`/api/v1/payments/${payment.id}/refunds`, { method: "POST",
      body: { client_key: newKey(), amount: fen(v.amount), reason: v.reason.trim() } });
    toast(fmt(refund.status === "success" ? (payment.channel === "cash" ? T.refunded_cash : T.refunded_x)
      : T.refund_processing, { x: yuan(refund.amount) }));
    return refund;
  } catch (ex) {
    toast(isNetworkError(ex) ? T.needs_network : ex.message, "err");
    return null;
  }
}
