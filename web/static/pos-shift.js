// The cashier's shift: open with the float, the X report during it, close with the counted cash
// (refused while this phone still holds unsynced sales), and the Z report to print.
import { $, T, ask, el, fen, fmt, newKey, showState, toast, yuan, yuanPlain } from "./pos-ui.js";
import { api, pendingCount, syncQueue } from "./pos-queue.js";

let app = null;
export function initShift(a) { app = a; }

export async function showShift() {
  const box = $("shift-body");
  showState(box, "", T.loading);
  try {
    const { shift } = await api("/api/v1/shifts/current");
    box.replaceChildren(...(shift ? openView(shift) : closedView()));
  } catch (ex) {
    showState(box, "err", ex.status ? ex.message : T.needs_network, showShift);
  }
}

function closedView() {
  return [el("h2", {}, T.no_shift), el("p", {}, T.no_shift_hint),
    el("button", { type: "button", class: "btn primary", id: "open-shift", onclick: openShift }, T.open_shift)];
}

async function openShift() {
  const v = await ask({ title: T.open_shift, fields: [{ name: "cash", label: T.opening_cash, inputmode: "decimal", value: "0.00" }],
    ok: T.open_shift, check: (vals) => (fen(vals.cash) === null ? T.amount_bad : null) });
  if (!v) return;
  try {
    await api("/api/v1/shifts", { method: "POST", body: { client_key: newKey(), opening_cash: fen(v.cash) } });
    toast(T.shift_opened);
  } catch (ex) { toast(ex.message || T.network_error, "err"); }
  showShift();
}

// In the store's time zone (the floor tells it), wherever the phone thinks it is.
const when = (iso) => new Date(iso).toLocaleString(document.documentElement.lang,
  { hour12: false, timeZone: localStorage.getItem("diancan.pos.tz") || undefined });

export function reportRows(s) {
  const row = (k, v, cls = "") => [el("dt", { class: cls }, k), el("dd", { class: cls }, v)];
  return el("dl", { class: "report" },
    row(T.opened_at, when(s.opened_at)),
    s.closed_at ? row(T.closed_at, when(s.closed_at)) : null,
    row(T.payments_n, String(s.payments)),
    ...["cash", "wechat", "wechat_code", "alipay_code", "other"].flatMap((c) => row(T[`channel_${c}`], yuan(s.taken[c] || 0))),
    row(T.discounts_given, yuan(s.discounts)), row(T.refunds, yuan(s.refunds)),
    row(T.opening_cash, yuan(s.drawer.opening)), row(T.cash_taken_label, yuan(s.drawer.cash_taken)),
    row(T.change_given, yuan(-s.drawer.change_given)), row(T.cash_refunded, yuan(-s.drawer.cash_refunded)),
    row(T.expected_cash, yuan(s.drawer.expected), "strong"),
    s.counted_cash != null ? row(T.counted_cash, yuan(s.counted_cash), "strong") : null,
    s.difference != null ? row(T.difference, yuan(s.difference), s.difference ? "strong warn" : "strong") : null,
    s.note ? row(T.note, s.note) : null);
}

function openView(s) {
  return [el("h2", {}, T.x_report), reportRows(s),
    el("div", { class: "check-actions" },
      el("button", { type: "button", class: "btn", onclick: () => window.open(`/pos/shifts/${s.id}/report`, "_blank") }, T.print_x),
      el("button", { type: "button", class: "btn primary", id: "close-shift", onclick: () => closeShift(s) }, T.close_shift))];
}

async function closeShift(s) {
  await syncQueue().catch(() => {});
  const n = await pendingCount();
  if (n) return toast(fmt(T.close_refused_unsynced, { n }), "err");
  const v = await ask({ title: T.close_shift, fields: [
    { name: "counted", label: T.counted_cash, inputmode: "decimal", value: yuanPlain(s.drawer.expected) },
    { name: "note", label: T.note }],
  live: (vals, box) => {
    const c = fen(vals.counted);
    box.textContent = c === null ? "" : fmt(T.difference_x, { x: yuan(c - s.drawer.expected) });
  },
  check: (vals) => {
    const c = fen(vals.counted);
    if (c === null) return T.amount_bad;
    return c !== s.drawer.expected && !vals.note.trim() ? T.note_required : null;
  }, ok: T.close_shift });
  if (!v) return;
  try {
    const { shift } = await api(`/api/v1/shifts/${s.id}/close`, { method: "POST",
      body: { counted_cash: fen(v.counted), note: v.note.trim() } });
    $("shift-body").replaceChildren(el("h2", {}, T.z_report), reportRows(shift),
      el("div", { class: "check-actions" },
        el("button", { type: "button", class: "btn primary", onclick: () => window.open(`/pos/shifts/${shift.id}/report`, "_blank") }, T.print_z),
        el("button", { type: "button", class: "btn", onclick: showShift }, T.done)));
    toast(T.shift_closed);
  } catch (ex) { toast(ex.message || T.network_error, "err"); }
}
