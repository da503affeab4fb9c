// The check: every round with its progress, what is due, and paying it with WeChat Pay
// (wx.requestPayment inside WeChat; the sandbox's sheet elsewhere).
import { el, fmt, yuan } from "../dom.js";
import { chosenCoupon, loadCoupons, renderChoice } from "./coupons.js";
import { $, SESSION_KEY, T, api, authed, banner, closeSheets, openSheet, state, tablePath } from "./core.js";

export function rememberOrder(order) {
  state.sessionId = order.table_session_id;
  sessionStorage.setItem(SESSION_KEY, String(order.table_session_id));
  const i = state.orders.findIndex((o) => o.id === order.id);
  if (i >= 0) state.orders[i] = order; else state.orders.push(order);
  renderOrders();
}

// Live changes heard on the socket. An answer asked for before one of them may be older than
// what the page already shows (a payment confirmed while the check was on its way): ask again.
let heard = 0;
export function heardLive() { heard += 1; }

export async function refreshOrders({ rejoined = false } = {}) {
  if (!state.sessionId) return;
  try {
    let data;
    for (let tries = 0; ; tries++) {
      const before = heard;
      data = await authed(`/api/v1/table-sessions/${state.sessionId}`);
      if (heard === before || tries >= 2) break;
    }
    state.orders = data.session.orders;
    state.check = data.session;
    renderOrders();
  } catch (err) {
    if (err.status !== 404) throw err;
    // 404: not seated at this check yet (it opened after this page loaded). Opening the table's
    // cart seats us (the table's code is the credential); then the check once more.
    if (!rejoined) { await onRejoin(); await refreshOrders({ rejoined: true }); }
  }
}

let onRejoin = async () => {};
/** How to sit down at the table's check again (the cart module's refresh: no import cycle). */
export function setRejoin(fn) { onRejoin = fn; }

let checkTimer = null;
export function refreshCheckSoon() {
  clearTimeout(checkTimer);
  checkTimer = setTimeout(() => refreshOrders().catch(() => {}), 300);
}

export function renderCheck() {
  const c = state.check;
  $("check-summary").hidden = !c || !state.orders.length;
  if (!c) return;
  $("check-total").textContent = yuan(c.total);
  $("check-paid").textContent = yuan(c.paid);
  $("check-coupon-row").hidden = !c.coupon_discount;
  $("check-coupon").textContent = yuan(-(c.coupon_discount || 0));
  $("check-due").textContent = yuan(c.due);
  $("check-due").classList.toggle("settled", c.due === 0);
  const payLater = state.store?.pay_mode === "pay_later";
  $("pay-check").hidden = !payLater || c.due <= 0;
  $("pay-check").textContent = fmt(T.pay_x, { amount: yuan(c.due) });
  $("ask-bill").hidden = c.due <= 0;
  $("check-headcount").hidden = !c.headcount;
  $("check-headcount").textContent = c.headcount ? fmt(T.headcount_n, { n: c.headcount }) : "";
  renderChoice(payLater ? c.due : 0);
}

const late = (o) => state.store?.kds_late_minutes && ["accepted", "preparing"].includes(o.status)
  && Date.now() - new Date(o.created_at).getTime() > state.store.kds_late_minutes * 60_000;

function dishLine(it) {
  const extras = [it.options.map((op) => op.name).join(" / "), it.note ? fmt(T.note_x, { note: it.note }) : ""].filter(Boolean);
  return el("li", { class: `dish-line${it.status === "cancelled" ? " cancelled" : ""}` },
    el("div", { class: "dish-line-main" },
      el("span", {}, `${it.name} ×${it.qty}`),
      extras.length ? el("small", {}, extras.join(" · ")) : null),
    el("span", { class: `progress p-${it.status}` }, T[`item_${it.status}`] || it.status),
    el("span", { class: "dish-line-price" }, yuan(it.line_total)));
}

function renderOrders() {
  renderCheck();
  const box = $("order-list");
  box.replaceChildren();
  $("no-orders").hidden = state.orders.length > 0;
  $("orders-count").textContent = state.orders.length ? `(${state.orders.length})` : "";
  for (const o of [...state.orders].reverse()) {
    const paid = o.payment_status === "paid" ? T.paid_status : (o.payment_status === "paying" ? T.paying_status : null);
    box.append(el("article", { class: "order", "data-order": o.id },
      el("header", {},
        el("b", {}, fmt(T.order_n, { n: o.number })),
        el("span", { class: "order-tags" },
          paid ? el("span", { class: "status s-paid" }, paid) : null,
          el("span", { class: `status s-${o.status}` }, T[`status_${o.status}`] || o.status))),
      el("ul", {}, o.items.map(dishLine)),
      o.remark ? el("p", { class: "remark" }, fmt(T.remark_x, { remark: o.remark })) : null,
      o.service_charge ? el("p", { class: "charge" }, el("span", {}, T.service_charge), el("span", {}, yuan(o.service_charge))) : null,
      el("footer", {}, el("span", {}, T.total), el("b", {}, yuan(o.total))),
      late(o) ? el("button", { type: "button", class: "btn ghost hurry", "aria-label": fmt(T.hurry_x, { n: o.number }),
        onclick: () => callStaff("waiter", "hurry", o) }, T.hurry) : null,
      state.store?.pay_mode === "pay_first" && o.payment_status !== "paid" && o.status === "submitted"
        ? el("button", { type: "button", class: "btn wxpay pay-order", onclick: () => pay({ orderId: o.id, amount: o.total }) },
          fmt(T.pay_x, { amount: yuan(o.total) }))
        : null));
  }
}

// -- calls: a waiter (加水, 餐具 or just come), the bill (结账), or 催单 for a late round ------------
const CALLED = { "": "waiter_called", water: "water_called", tableware: "tableware_called" };

export async function callStaff(kind, reason = "", order = null) {
  closeSheets();
  try {
    const body = { kind, ...(reason ? { reason } : {}), ...(order ? { order_id: order.id } : {}) };
    await authed(tablePath("/calls"), { method: "POST", body });
    banner(kind === "bill" ? T.bill_requested : (order ? fmt(T.hurried_n, { n: order.number }) : T[CALLED[reason]]), "ok");
  } catch (err) { banner(err.message || T.network_error, "error"); }
}
$("call-waiter").onclick = () => openSheet("call-sheet");
document.querySelectorAll("#call-sheet [data-kind]").forEach((b) => {
  b.onclick = () => callStaff(b.dataset.kind, b.dataset.reason);
});
$("ask-bill").onclick = () => callStaff("bill");

// -- paying: WeChat Pay (wx.requestPayment in WeChat; the sandbox's sheet elsewhere) -----------
let paying = null;
$("pay-check").onclick = () => pay({ sessionId: state.sessionId, amount: state.check.due, couponId: chosenCoupon() });

async function pay({ orderId, sessionId, amount, couponId = null }) {
  // one key per check and coupon: paying with a coupon after backing out of paying without is a new payment
  const key = `diancan.pay.${orderId ? `o${orderId}` : `s${sessionId}`}${couponId ? `.c${couponId}` : ""}`;
  const clientKey = localStorage.getItem(key) || crypto.randomUUID();
  localStorage.setItem(key, clientKey);  // a retry is the same payment, never a second one
  const path = orderId ? `/api/v1/orders/${orderId}/payments` : `/api/v1/table-sessions/${sessionId}/payments`;
  $("wx-merchant").textContent = state.store.name;
  $("wx-amount").textContent = yuan(amount);
  $("wx-state").textContent = T.preparing_payment; $("wx-state").className = "wx-state";
  $("wx-confirm").disabled = true;
  openSheet("pay-sheet");
  try {
    const data = await authed(path, { method: "POST", body: { client_key: clientKey, ...(couponId ? { coupon_id: couponId } : {}) } });
    paying = { key, orderId, request: data.request_payment };
    $("wx-amount").textContent = yuan(data.payment.amount);  // the server's price, coupon taken off
    if (window.WeixinJSBridge) {  // inside WeChat: the real payment sheet
      window.WeixinJSBridge.invoke("getBrandWCPayRequest", data.request_payment, () => {});
      $("wx-state").textContent = T.waiting_for_wechat;
    } else {
      $("wx-state").textContent = "";
      $("wx-confirm").disabled = false;
    }
  } catch (err) {
    $("wx-state").textContent = err.message || T.network_error; $("wx-state").className = "wx-state err";
    if (err.status === 409) localStorage.removeItem(key);
  }
}

$("wx-confirm").onclick = async () => {
  $("wx-confirm").disabled = true;
  $("wx-state").textContent = T.paying;
  try {
    await api("/wechat-sandbox/pay/confirm", { method: "POST", body: { package: paying.request.package }, auth: false });
    setTimeout(() => { if (paying) refreshOrders().then(() => { if (isPaid()) paid(); }); }, 2500);
  } catch (err) {
    $("wx-state").textContent = err.message || T.network_error; $("wx-state").className = "wx-state err";
    $("wx-confirm").disabled = false;
  }
};

function isPaid() {
  if (!paying) return false;
  if (paying.orderId) return state.orders.find((o) => o.id === paying.orderId)?.payment_status === "paid";
  return state.check?.due === 0;
}

function paid() {
  localStorage.removeItem(paying.key);
  loadCoupons();
  paying = null;
  $("wx-state").textContent = T.paid_ok; $("wx-state").className = "wx-state ok";
  setTimeout(closeSheets, 1200);
  refreshOrders().catch(() => {});
}

/** A live order change: the payment in progress may just have been confirmed. */
export function watchOrderPayment(order) {
  if (paying?.orderId === order.id && order.payment_status === "paid") paid();
}

/** A live change of the check: paying it is done once nothing is due. */
export function watchCheckPayment(session) {
  if (paying && session.due === 0) paid();
}
