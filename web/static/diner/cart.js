// The table's shared cart, and sending a round that survives a weak network: the pending round
// and its client_key live in localStorage until the server answers.
import { ApiError, el, fmt, yuan } from "../dom.js";
import { refreshItem } from "./menu.js";
import { rememberOrder, refreshOrders } from "./orders.js";
import { $, PENDING_KEY, T, authed, banner, closeSheets, openSheet, show, state, tablePath } from "./core.js";
import { showTogether } from "./together.js";

export async function addToCart(item, qty, optionIds, note) {
  try {
    const data = await authed(tablePath("/cart/lines"), {
      method: "POST", body: { item_id: item.id, qty, option_ids: optionIds, note } });
    setCart(data.cart);
    banner(fmt(T.added_x, { name: item.name }), "ok", 1200);
  } catch (err) {
    banner(err.code === "sold_out" ? T.sold_out_now : (err.message || T.network_error), "error");
  }
}

export async function refreshCart() {
  const data = await authed(tablePath("/cart"));
  setCart(data.cart);
}

// Answers and cart.updated events can arrive out of order (two taps in flight, a slow answer):
// of two carts on the same check, the one with the lower revision is older and is dropped; checks
// are numbered in the order they open, so a cart of an earlier check, or of none, is older too.
function isStale(cart, known = state.cart) {
  if (known.table_session_id == null) return false;
  if (cart.table_session_id == null || cart.table_session_id < known.table_session_id) return true;
  return cart.table_session_id === known.table_session_id
    && cart.revision != null && known.revision != null && cart.revision < known.revision;
}

export function setCart(cart) {
  const app = $("app");
  app.dataset.carts = String(Number(app.dataset.carts || 0) + 1);  // carts handled, kept or not (tests wait for it)
  if (isStale(cart)) {
    if (state.cart.me == null && cart.me != null) { state.cart.me = cart.me; renderCartLines(); }
    return;
  }
  const me = cart.me ?? state.cart.me;
  state.cart = { ...cart, me };
  const count = cart.lines.reduce((n, l) => n + l.qty, 0);
  $("cart-count").textContent = count;
  $("cart-count").hidden = count === 0;
  $("cart-total").textContent = yuan(cart.total);
  $("sheet-total").textContent = yuan(cart.total);
  $("checkout").disabled = count === 0 && !pending();
  renderCartLines();
  for (const id of state.items.keys()) refreshItem(id);
}

function renderCartLines() {
  const box = $("cart-lines");
  box.replaceChildren();
  showTogether($("cart-together"), state.cart.lines.map((line) => line.item_id));
  if (!state.cart.lines.length) {
    box.append(el("p", { class: "empty" }, T.cart_empty));
    return;
  }
  for (const line of state.cart.lines) {
    const who = line.diner === state.cart.me ? T.you : fmt(T.diner_n, { n: line.diner });
    box.append(el("div", { class: `line${line.available ? "" : " unavailable"}` },
      el("div", { class: "line-main" },
        el("b", {}, line.name),
        el("small", {}, [line.options.map((o) => o.name).join(" / "), line.note ? `「${line.note}」` : ""].filter(Boolean).join(" ")),
        el("small", { class: "who" }, line.available ? who : T.sold_out_now)),
      el("span", { class: "line-price" }, yuan(line.line_total)),
      el("div", { class: "stepper" },
        el("button", { type: "button", "aria-label": T.fewer, onclick: () => setQty(line, line.qty - 1) }, "−"),
        el("span", {}, line.qty),
        el("button", { type: "button", "aria-label": T.more, onclick: () => setQty(line, line.qty + 1) }, "+"))));
  }
}

export async function setQty(line, qty) {
  try {
    const data = await authed(tablePath(`/cart/lines/${line.id}`), {
      method: "PATCH", body: { qty, version: line.version } });
    setCart(data.cart);
  } catch (err) {
    if (err.status === 409) { banner(T.changed_by_other, "warn"); await refreshCart(); }
    else banner(err.message || T.network_error, "error");
  }
}

// -- sending a round: kept in localStorage with its client_key until the server answers ---------
export const pending = () => JSON.parse(localStorage.getItem(PENDING_KEY) || "null");

function sendState(kind, text) {
  const box = $("send-state");
  box.className = `send-state ${kind}`;
  box.textContent = text;
}

export async function submitRound() {
  if (state.sending) return;
  let round = pending();
  if (!round) {
    if (!state.cart.lines.length) return;
    round = { client_key: crypto.randomUUID(), remark: $("remark").value.trim(), at: Date.now() };
    localStorage.setItem(PENDING_KEY, JSON.stringify(round));
  }
  state.sending = true;
  $("submit").disabled = true;
  let wait = 1000;
  for (let attempt = 1; ; attempt++) {
    sendState("sending", attempt === 1 ? T.sending : fmt(T.retrying_n, { n: attempt }));
    try {
      const data = await authed(tablePath("/cart/submit"), {
        method: "POST", body: { client_key: round.client_key, remark: round.remark } });
      localStorage.removeItem(PENDING_KEY);
      sendState("sent", fmt(T.sent_n, { n: data.order.number }));
      $("remark").value = "";
      rememberOrder(data.order);
      refreshOrders().catch(() => {});  // the check's total, paid and due
      setTimeout(() => { closeSheets(); show("orders"); }, 900);
      break;
    } catch (err) {
      const retryable = !(err instanceof ApiError) || err.status >= 500 || err.status === 429;
      if (!retryable) {
        localStorage.removeItem(PENDING_KEY);  // the server said no: nothing was placed
        sendState("failed", err.code === "sold_out" ? T.sold_out_now : err.message);
        await refreshCart().catch(() => {});
        break;
      }
      if (attempt >= 8) {
        sendState("failed", T.send_failed);
        $("submit").textContent = T.retry;
        break;
      }
      // The server may say when to come back (503 overloaded at the rush): then, not sooner.
      await new Promise((r) => setTimeout(r, err.retryAfter ? err.retryAfter * 1000 : wait));
      wait = Math.min(wait * 2, 8000);
    }
  }
  state.sending = false;
  $("submit").disabled = false;
}

export function resumePending() {
  const round = pending();
  if (round) {
    openSheet("cart-sheet");
    submitRound();  // same client_key: the server returns the first order if it got it before
  }
}

$("submit").onclick = () => { $("submit").textContent = T.place_order; submitRound(); };
