// A check on the cashier's phone: rounds with their status, discounts, split, cash with change,
// other ways to pay, payment codes (pos-pay.js), refunds, move/merge, receipt, clearing.
import { $, T, ask, confirmBox, el, fen, fmt, newKey, showState, toast, yuan, yuanPlain } from "./pos-ui.js";
import { api, isNetworkError, sendOrQueue } from "./pos-queue.js";
import { followPayment, refundPayment, takePaymentCode } from "./pos-pay.js";

let app = null;
let current = null;  // the check on screen
let shares = null;  // an equal split being paid: {id (check), amounts, paid: Set of indexes}
export function initCheck(a) {
  app = a;
  // Offline the buttons that need the network say so; back online they work again.
  const again = () => { if (current && app.st.view === "check" && !$("modal").open) render(current); };
  window.addEventListener("online", again);
  window.addEventListener("offline", again);
}

// The floor changed under an open check (a diner paid on their phone, a payment code went
// through, a round arrived): show the check as it is now, unless the cashier is in a dialog.
export function floorChanged(tables) {
  if (!current || app.st.view !== "check" || $("modal").open || !navigator.onLine) return;
  const seen = tables.find((t) => t.session?.id === current.id)?.session;
  if (!seen) return;
  const inFlight = current.payments.filter((p) => p.status === "created" || p.status === "paying")
    .reduce((a, p) => a + p.amount, 0);
  if (seen.total !== current.total || seen.paid !== current.paid || seen.due !== current.due
    || (seen.paying || 0) !== inFlight) reload();
}

export async function openCheck(id) {
  app.show("check");
  const box = $("check-body");
  $("check-title").textContent = "";
  showState(box, "", T.loading);
  try {
    const { session } = await api(`/api/v1/table-sessions/${id}`);
    current = session;
    render(session);
  } catch (ex) {
    showState(box, "err", ex.status ? ex.message : T.network_error, () => openCheck(id));
  }
}
const reload = () => openCheck(current.id);

function title(s) {
  return s.table ? fmt(T.table_n, { code: s.table.code }) : `${T.takeaway} #${s.pickup_number}`;
}

// A paid order's line is voided after its money went back (refund first, then void).
const VOIDABLE = new Set(["unpaid", "partially_refunded", "refunded"]);
const CODE_CHANNELS = new Set(["wechat_code", "alipay_code"]);
const LINE_STATUS = { new: "line_new", cooking: "line_cooking", done: "line_done", cancelled: "line_cancelled" };

function render(s) {
  $("check-title").textContent = title(s);
  const rounds = s.orders.map((o, i) => el("section", { class: `round o-${o.status}` },
    el("h3", {}, fmt(T.round_n, { n: i + 1 }), el("span", { class: "tag" }, T[`order_${o.status}`] || o.status),
      el("small", {}, `#${o.number}`)),
    el("ul", {}, o.items.map((it) => el("li", { class: `line l-${it.status}${it.payment_id ? " paid" : ""}` },
      el("span", { class: "qty" }, `${it.qty}×`),
      el("span", { class: "name" }, it.name, it.options.length ? el("small", {}, it.options.map((x) => x.name).join(" · ")) : null,
        it.note ? el("small", {}, `⚑ ${it.note}`) : null),
      el("span", { class: "lstatus" }, T[LINE_STATUS[it.status]] || it.status),
      el("span", { class: "amt" }, yuan(it.line_total)),
      s.status === "open" && VOIDABLE.has(o.payment_status) && it.status !== "cancelled" && !it.payment_id
        ? el("button", { type: "button", class: "btn small void", "aria-label": fmt(T.void_x, { name: it.name }),
          onclick: () => voidLine(o, it) }, T.void) : null))),
    o.remark ? el("p", { class: "remark" }, `${T.remark}: ${o.remark}`) : null));
  const sc = s.orders.reduce((a, o) => a + (o.status === "cancelled" ? 0 : o.service_charge || 0), 0);
  const totals = el("dl", { class: "totals" },
    sc ? [el("dt", {}, T.service_charge), el("dd", {}, yuan(sc))] : null,
    el("dt", {}, T.total), el("dd", {}, yuan(s.total)),
    s.discount ? [el("dt", {}, T.discount), el("dd", { class: "minus" }, `-${yuan(s.discount)}`)] : null,
    el("dt", {}, T.paid), el("dd", {}, yuan(s.paid)),
    el("dt", { class: "due" }, T.due), el("dd", { class: "due", id: "check-due" }, yuan(s.due)));
  const takesMoney = localStorage.getItem("diancan.pos.role") !== "waiter";  // waiters take orders, not money
  const payments = s.payments.length ? el("ul", { class: "payments" }, s.payments.map((p) => el("li", {},
    el("span", { class: "pchannel" }, T[`channel_${p.channel}`] || p.channel,
      el("small", {}, T[`pay_${p.status}`] || p.status)),
    el("span", { class: "pamount" }, yuan(p.amount), p.change ? el("small", {}, fmt(T.change_x, { x: yuan(p.change) })) : null,
      p.refunded ? el("small", { class: "refunded" }, fmt(T.refunded_label, { x: yuan(p.refunded) })) : null),
    takesMoney && p.status === "paid" && p.amount > (p.refunded || 0)
      ? el("button", { type: "button", class: "btn small refund", "aria-label": fmt(T.refund_x,
        { channel: T[`channel_${p.channel}`] || p.channel, amount: yuan(p.amount - (p.refunded || 0)) }),
      onclick: () => refund(p) }, T.refund) : null))) : null;
  const discounts = s.discounts.length ? el("ul", { class: "discounts" }, s.discounts.map((d) => el("li", {},
    el("span", {}, d.reason), el("span", { class: "minus" }, `-${yuan(d.amount)}`)))) : null;
  const open = s.status === "open";
  // A diner's WeChat payment in flight holds part of what is due: cash takes only the rest, or the
  // cashier stops it first (the diner walked to the till). An overpaid check is being refunded.
  const inFlight = s.payments.filter((p) => p.status === "created" || p.status === "paying");
  const paying = inFlight.reduce((a, p) => a + p.amount, 0);
  const free = Math.max(s.due - paying, 0);
  const pays = open && free > 0 && takesMoney;
  const offline = !navigator.onLine;
  const btn = (text, fn, cls = "") => el("button", { type: "button", class: `btn ${cls}`, onclick: fn }, text);
  const actions = el("div", { class: "check-actions" },
    pays ? btn(T.take_cash, () => payCash(free), "ok") : null,
    pays ? btn(T.split, split) : null,
    pays ? btn(T.pay_items, payItems) : null,
    pays ? btn(T.pay_other, () => payOther(free)) : null,
    pays ? btn(offline ? T.payment_code_offline : T.payment_code, () => payCode(free), offline ? "needs-net" : "") : null,
    pays ? btn(T.give_discount, discount) : null,
    open && s.table ? btn(T.add_dishes, () => app.ringUpFor({ table_id: s.table.id, code: s.table.code })) : null,
    open && s.table ? btn(T.move_table, move) : null,
    btn(T.receipt, () => window.open(`/pos/receipt/${s.id}`, "_blank")),
    open && s.due === 0 && !s.overpaid && !paying ? btn(T.clear_table, clear, "primary") : null);
  // A payment code in flight: the payer is confirming on their phone; follow it, or cancel it.
  const code = inFlight.find((p) => CODE_CHANNELS.has(p.channel));
  const flight = !paying ? null : code ? el("p", { class: "check-paying" },
    fmt(T.paying_code, { amount: yuan(code.amount), channel: T[`channel_${code.channel}`] }),
    el("span", { class: "flight-actions" },
      el("button", { type: "button", class: "btn small", onclick: () => followCode(code) }, T.follow_code),
      el("button", { type: "button", class: "btn small", onclick: () => stopPaying(code) }, T.cancel_code)))
    : el("p", { class: "check-paying" }, fmt(T.paying, { amount: yuan(paying) }),
      el("button", { type: "button", class: "btn small", onclick: () => stopPaying(inFlight[0]) }, T.stop_paying));
  const over = s.overpaid ? el("p", { class: "check-overpaid", role: "alert" },
    fmt(T.overpaid, { amount: yuan(s.overpaid) })) : null;
  $("check-body").replaceChildren(...[
    s.status === "open" ? null : el("p", { class: "check-state" }, T.check_closed),
    offline && pays ? el("p", { class: "check-offline", role: "status" }, T.check_offline) : null,
    shares?.id === s.id && s.due > 0 ? splitBox() : null,
    ...(rounds.length ? rounds : [el("p", { class: "state-msg" }, T.no_orders_yet)]),
    discounts, totals, flight, over, payments, actions].filter(Boolean));
}

// Cash: the amount (all that is due, or a share), what the diner hands over, and the change.
async function payCash(amount, share = null, lines = null) {
  const v = await ask({
    title: fmt(T.cash_for, { amount: yuan(amount) }),
    fields: [{ name: "tendered", label: T.tendered, inputmode: "decimal", value: yuanPlain(amount) }],
    extra: [el("div", { class: "quick" }, [amount, 5000, 10000, 20000].filter((x, i, a) => x >= amount && a.indexOf(x) === i)
      .map((x) => el("button", { type: "button", class: "btn small", onclick: (e) => {
        const input = e.target.closest("form").querySelector("#f-tendered");
        input.value = yuanPlain(x); input.dispatchEvent(new Event("input", { bubbles: true })); } }, yuan(x))))],
    ok: T.take_cash,
    live: (vals, box) => {
      const t = fen(vals.tendered);
      box.textContent = t !== null && t >= amount ? fmt(T.change_x, { x: yuan(t - amount) }) : "";
    },
    check: (vals) => { const t = fen(vals.tendered); return t === null || t < amount ? T.tendered_short : null; },
  });
  if (!v) return;
  // By dishes the server works out the amount from the lines themselves.
  const body = { client_key: newKey(), channel: "cash", tendered: fen(v.tendered),
    ...(lines ? { order_item_ids: lines } : { amount }) };
  try {
    const sent = await sendOrQueue({ kind: "payment", session_id: current.id, body,
      label: `${title(current)} · ${T.channel_cash} ${yuan(amount)}` });
    if (sent.queued) {
      toast(fmt(T.queued_change, { x: yuan(body.tendered - amount) }));
    } else {
      toast(fmt(T.cash_taken_change, { x: yuan(sent.result.payment.change ?? 0) }));
    }
  } catch (ex) { return toast(ex.message, "err"); }
  if (share !== null) shares.paid.add(share);
  if (navigator.onLine) reload(); else render(current);
}

async function payOther(amount, share = null) {
  const v = await ask({ title: fmt(T.other_for, { amount: yuan(amount) }),
    extra: [el("p", {}, T.other_hint)], ok: T.record });
  if (!v) return;
  try {
    await api(`/api/v1/table-sessions/${current.id}/payments/offline`, { method: "POST",
      body: { client_key: newKey(), channel: "other", amount } });
    toast(T.recorded);
    if (share !== null) shares.paid.add(share);
  } catch (ex) { toast(isNetworkError(ex) ? T.needs_network : ex.message, "err"); }
  reload();
}

// A payment code (WeChat / Alipay 付款码) for all that is free, a share, or some lines.
async function payCode(amount, share = null, lines = null) {
  const payment = await takePaymentCode({ sessionId: current.id, amount, lines });
  if (payment?.status === "paid" && share !== null) shares.paid.add(share);
  if (payment) reload();
}

async function followCode(payment) {
  await followPayment(payment);
  reload();
}

async function refund(payment) {
  if (await refundPayment(payment)) reload();
}

async function stopPaying(payment) {
  const code = current.table ? current.table.code : `#${current.pickup_number}`;
  const isCode = CODE_CHANNELS.has(payment.channel);
  const [label, text] = isCode ? [T.cancel_code, T.confirm_cancel_code] : [T.stop_paying, T.confirm_stop_paying];
  if (!(await confirmBox(label, fmt(text, { amount: yuan(payment.amount), code }), label, true))) return;
  try {
    await api(`/api/v1/payments/${payment.id}/cancel`, { method: "POST" });
  } catch (ex) { toast(ex.message || T.network_error, "err"); }
  reload();
}

// A void takes a line off with a reason (audited; the kitchen's ticket loses it at once).
async function voidLine(order, line) {
  const v = await ask({ title: fmt(T.void_x, { name: line.name }), fields: [{ name: "reason", label: T.reason }],
    ok: T.void, danger: true, check: (vals) => (vals.reason.trim() ? null : T.reason_required) });
  if (!v) return;
  try {
    await api(`/api/v1/orders/${order.id}/items/${line.id}/cancel`, { method: "POST", body: { reason: v.reason.trim() } });
    toast(fmt(T.voided_x, { name: line.name }));
  } catch (ex) { toast(ex.message || T.network_error, "err"); }
  reload();
}

// Split by items: the diner pays for the dishes they had (each line is paid once, with its service charge).
async function payItems() {
  const open = current.orders.filter((o) => o.status !== "cancelled").flatMap((o) => o.items
    .filter((i) => i.status !== "cancelled" && !i.payment_id)
    .map((i) => ({ ...i, cost: i.line_total + Math.floor((i.line_total * (o.service_charge_bp || 0) + 5000) / 10000) })));
  const v = await ask({ title: T.pay_items, fields: [{ name: "lines", label: T.choose_items, multi: true,
    options: open.map((i) => [String(i.id), `${i.name} ×${i.qty} ${yuan(i.cost)}`]) }],
  live: (vals, box) => { box.textContent = fmt(T.items_total, { x: yuan(sum(vals.lines)) }); },
  check: (vals) => (vals.lines.length ? null : T.choose_items), ok: T.take_cash });
  if (!v) return;
  function sum(ids) { return open.filter((i) => ids.includes(String(i.id))).reduce((a, i) => a + i.cost, 0); }
  await payCash(Math.min(sum(v.lines), current.due), null, v.lines.map(Number));
}

async function split() {
  const v = await ask({ title: T.split, fields: [{ name: "ways", label: T.split_ways, inputmode: "numeric", value: "2" }],
    ok: T.split, check: (vals) => (/^\d+$/.test(vals.ways) && +vals.ways >= 2 && +vals.ways <= 50 ? null : T.split_ways_bad) });
  if (!v) return;
  try {
    const { shares: amounts } = await api(`/api/v1/table-sessions/${current.id}/split?ways=${+v.ways}`);
    shares = { id: current.id, amounts, paid: new Set() };
  } catch (ex) { return toast(ex.message || T.network_error, "err"); }
  render(current);
}

// The shares stay on screen while they are paid, each any way; paid ones are ticked off.
function splitBox() {
  const btn = (text, fn, cls = "") => el("button", { type: "button", class: `btn small ${cls}`, onclick: fn }, text);
  return el("section", { class: "split-box" }, el("h3", {}, fmt(T.split_n, { n: shares.amounts.length })),
    el("ol", { class: "shares", id: "shares" }, shares.amounts.map((amount, i) => el("li", {
      class: shares.paid.has(i) ? "paid" : "" },
    el("span", {}, fmt(T.share_n, { n: i + 1 })), el("b", {}, shares.paid.has(i) ? `✓ ${yuan(amount)}` : yuan(amount)),
    ...(shares.paid.has(i) ? [] : [btn(T.take_cash, () => payCash(amount, i), "ok"), btn(T.pay_other, () => payOther(amount, i)),
      btn(T.payment_code, () => payCode(amount, i))])))),
    el("p", { class: "hint" }, T.split_hint));
}

// A discount within the cashier's limit goes through; beyond it, a manager signs in here for this one.
async function discount() {
  const v = await ask({ title: T.give_discount, fields: [
    { name: "kind", label: T.discount_kind, options: [["percent", T.percent], ["amount", T.amount_yuan]], value: "percent" },
    { name: "value", label: T.discount_value, inputmode: "decimal" },
    { name: "reason", label: T.reason }],
  check: (vals) => (!vals.reason.trim() ? T.reason_required : !/^\d+(\.\d{1,2})?$/.test(vals.value.trim()) ? T.value_bad : null) });
  if (!v) return;
  const body = { client_key: newKey(), kind: v.kind, reason: v.reason.trim(),
    value: v.kind === "percent" ? parseFloat(v.value) : fen(v.value) };
  await sendDiscount(body);
}

async function sendDiscount(body) {
  try {
    await api(`/api/v1/table-sessions/${current.id}/discounts`, { method: "POST", body });
    toast(T.discount_given);
    return reload();
  } catch (ex) {
    if (ex.status !== 403) return toast(ex.message || T.network_error, "err");
    const again = await ask({ title: T.manager_approval,
      extra: [el("p", { class: "warn" }, ex.message), el("p", {}, T.manager_approval_hint)],
      fields: [{ name: "username", label: T.manager_username, autocomplete: "off" },
        { name: "password", label: T.password, type: "password", autocomplete: "off" }],
      ok: T.approve });
    if (!again) return;
    return sendDiscount({ ...body, approver: { username: again.username.trim(), password: again.password } });
  }
}

async function move() {
  const choices = app.st.tables.filter((t) => !current.table || t.id !== current.table.id);
  const v = await ask({ title: T.move_table, extra: [el("p", {}, T.move_hint)],
    fields: [{ name: "to", label: T.to_table, options: choices.map((t) => [String(t.id),
      `${t.code}${t.session ? ` · ${T.occupied}` : ""}`]), value: "" }],
    ok: T.move, check: (vals) => (vals.to ? null : T.choose_table) });
  if (!v) return;
  const target = choices.find((t) => String(t.id) === v.to);
  if (target.session && !(await confirmBox(T.merge, fmt(T.merge_confirm, { from: current.table.code, to: target.code }), T.merge))) return;
  try {
    const { session } = await api(`/api/v1/table-sessions/${current.id}/move`, { method: "POST",
      body: { to_table_id: target.id } });
    toast(fmt(target.session ? T.merged_into : T.moved_to, { code: target.code }));
    current = session;
    render(session);
    app.refreshFloor().catch(() => {});
  } catch (ex) { toast(ex.message || T.network_error, "err"); }
}

async function clear() {
  const unserved = current.orders.filter((o) => o.status !== "cancelled")
    .flatMap((o) => o.items.filter((i) => i.status !== "cancelled" && o.status !== "served"));
  if (unserved.length && !(await confirmBox(T.clear_table, fmt(T.unserved_confirm, { n: unserved.length,
    names: unserved.map((i) => i.name).join("、") }), T.clear_anyway, true))) return;
  try {
    await api(`/api/v1/table-sessions/${current.id}/close`, { method: "POST" });
    toast(current.table ? fmt(T.table_cleared, { code: current.table.code }) : T.handed_over);
    app.show(current.table ? "tables" : "takeaway");
    if (current.table) app.refreshFloor().catch(() => {}); else app.refreshTakeaways();
  } catch (ex) { toast(ex.message || T.network_error, "err"); }
}
