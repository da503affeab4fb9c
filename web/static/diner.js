// The diner's H5 page: menu, the table's shared cart, sending a round that survives a weak
// network (the pending round and its client_key live in localStorage until an answer comes),
// and the orders' progress, live over Socket.IO.
import { ApiError, delta, el, fmt, request, yuan } from "./dom.js";
import { chosenCoupon, initCoupons, loadCoupons, renderChoice } from "./diner_coupons.js";

const T = JSON.parse(document.getElementById("i18n").textContent);
const app = document.getElementById("app");
const tableToken = app.dataset.tableToken;
const $ = (id) => document.getElementById(id);
const PENDING_KEY = `diancan.pending.${tableToken}`;
const SESSION_KEY = `diancan.check.${tableToken}`;

const state = {
  token: localStorage.getItem("diancan.diner"),
  store: null, table: null, menu: [], items: new Map(),
  cart: { lines: [], total: 0, me: null }, orders: [], sessionId: null,
  sending: false, socket: null,
};


const api = (path, { auth = true, ...opts } = {}) => request(path, { ...opts, token: auth ? state.token : null });

// -- login through WeChat (the sandbox stands in for wx.login outside the mini-program) ---------
async function login() {
  if (app.dataset.sandbox !== "1") throw new ApiError(401, { error: { message: T.open_in_wechat } });
  let user = localStorage.getItem("diancan.user");
  if (!user) {
    user = `h5-${crypto.randomUUID()}`;
    localStorage.setItem("diancan.user", user);
  }
  const { code } = await api("/wechat-sandbox/login", { method: "POST", body: { user }, auth: false });
  const { token } = await api("/api/v1/diner/login", { method: "POST", body: { code }, auth: false });
  state.token = token;
  localStorage.setItem("diancan.diner", token);
}

async function authed(path, opts) {
  try {
    return await api(path, opts);
  } catch (err) {
    if (err.status !== 401) throw err;
    await login();
    return api(path, opts);
  }
}

// -- screens: loading, error, menu -----------------------------------------------------------
function show(which) {
  for (const id of ["loading", "error", "menu", "orders"]) $(id).hidden = id !== which;
  $("cartbar").hidden = which !== "menu";
  $("tabs").hidden = !["menu", "orders"].includes(which);
  $("tab-menu").setAttribute("aria-selected", String(which === "menu"));
  $("tab-orders").setAttribute("aria-selected", String(which === "orders"));
}
$("tab-menu").onclick = () => show("menu");
$("tab-orders").onclick = () => show("orders");

function showError(message) {
  $("error-text").textContent = message;
  show("error");
}

function banner(text, kind = "info", ms = 3500) {
  const b = $("banner");
  b.textContent = text; b.className = `banner ${kind}`; b.hidden = false;
  clearTimeout(banner.timer);
  if (ms) banner.timer = setTimeout(() => { b.hidden = true; }, ms);
}

async function start() {
  show("loading");
  try {
    if (!state.token) await login();
    const info = await authed(`/api/v1/tables/${encodeURIComponent(tableToken)}`);
    state.store = info.store; state.table = info.table;
    state.sessionId = info.session?.id ?? null;
    $("store-name").textContent = info.store.name;
    $("table-code").textContent = fmt(T.table_n, { code: info.table.code });
    document.title = `${info.store.name} · ${info.table.code}`;
    await loadMenu();
    initCoupons({ authed, T, storeId: () => state.store.id, onChange: () => renderCheck() });
    loadCoupons();
    show("menu");
    $("call-waiter").disabled = false;
    await refreshCart();
    connectSocket();
    await refreshOrders();
    resumePending();
  } catch (err) {
    if (err.status === 404) showError(T.unknown_table);
    else if (err instanceof ApiError) showError(err.message);
    else showError(T.network_error);
  }
}

async function loadMenu() {
  const menu = await api(`/api/v1/stores/${state.store.id}/menu`, { auth: false });
  state.menu = menu.categories;
  state.items.clear();
  for (const c of menu.categories) for (const i of c.items) state.items.set(i.id, i);
  renderMenu();
  const s = state.store;
  const hours = $("store-hours");
  hours.textContent = s.opens_at ? fmt(T.hours, { from: s.opens_at, until: s.closes_at }) : "";
  hours.hidden = !s.opens_at;
  const charge = $("service-charge");
  charge.textContent = s.service_charge_bp ? fmt(T.service_charge_n, { pct: `${s.service_charge_bp / 100}%` }) : "";
  charge.hidden = !s.service_charge_bp;
}

// The manager changed the menu: fetch it again (coalesced, so a burst of edits costs one reload).
let menuReload = null;
function reloadMenuSoon() {
  clearTimeout(menuReload);
  menuReload = setTimeout(async () => {
    try {
      const info = await authed(`/api/v1/tables/${encodeURIComponent(tableToken)}`);
      state.store = info.store;
      await loadMenu();
    } catch { /* the next change or reload tries again */ }
  }, 300);
}

function renderMenu() {
  const nav = $("categories"), list = $("items");
  nav.replaceChildren(); list.replaceChildren();
  state.menu.forEach((cat, idx) => {
    const anchor = `cat-${cat.id}`;
    nav.append(el("button", { type: "button", class: idx === 0 ? "active" : "", "data-target": anchor,
      onclick: (e) => { document.getElementById(anchor).scrollIntoView({ behavior: "smooth" }); setActive(e.currentTarget); } },
      cat.name));
    list.append(el("h2", { id: anchor, class: "cat-title" }, cat.name));
    for (const item of cat.items) list.append(itemCard(item));
  });
  const observer = new IntersectionObserver((entries) => {
    for (const entry of entries) if (entry.isIntersecting) {
      const btn = nav.querySelector(`[data-target="${entry.target.id}"]`);
      if (btn) setActive(btn);
    }
  }, { root: list, rootMargin: "0px 0px -80% 0px" });
  list.querySelectorAll(".cat-title").forEach((h) => observer.observe(h));
}

function setActive(btn) {
  btn.parentElement.querySelectorAll("button").forEach((b) => b.classList.toggle("active", b === btn));
}

function itemCard(item) {
  const soldOut = item.sold_out || item.stock === 0;
  const hasOptions = item.option_groups.length > 0;
  const inCart = state.cart.lines.filter((l) => l.item_id === item.id).reduce((n, l) => n + l.qty, 0);
  return el("article", { class: `dish${soldOut ? " sold-out" : ""}`, "data-item": item.id },
    item.photo_url
      ? el("img", { class: "dish-thumb", src: item.photo_url, alt: "", loading: "lazy" })
      : el("div", { class: "dish-thumb", "aria-hidden": "true" }, item.name.slice(0, 1)),
    el("div", { class: "dish-body" },
      el("h3", {}, item.name),
      item.description ? el("p", { class: "desc" }, item.description) : null,
      item.stock != null && !soldOut ? el("p", { class: "stock" }, fmt(T.left_n, { n: item.stock })) : null,
      el("div", { class: "dish-foot" },
        el("span", { class: "price" }, yuan(item.price)),
        soldOut ? el("span", { class: "badge" }, T.sold_out)
          : el("button", { type: "button", class: hasOptions ? "btn small" : "add", "aria-label": fmt(T.add_x, { name: item.name }),
            onclick: () => (hasOptions ? openOptions(item) : addToCart(item, 1, [], "")) },
          hasOptions ? T.choose : "+"),
        inCart ? el("span", { class: "in-cart" }, `×${inCart}`) : null)));
}

function refreshItem(id) {
  const old = document.querySelector(`[data-item="${id}"]`);
  if (old) old.replaceWith(itemCard(state.items.get(id)));
}

// -- options sheet ---------------------------------------------------------------------------
let choosing = null;
function openOptions(item) {
  choosing = { item, chosen: new Map(item.option_groups.map((g) => [g.id, new Set()])), qty: 1 };
  $("opt-name").textContent = item.name;
  $("opt-note").value = "";
  const body = $("opt-groups");
  body.replaceChildren();
  for (const g of item.option_groups) {
    const rule = g.required ? (g.min === g.max ? fmt(T.pick_exactly, { n: g.min }) : fmt(T.pick_range, { min: g.min, max: g.max }))
      : fmt(T.pick_up_to, { max: g.max });
    body.append(el("fieldset", { class: "group" },
      el("legend", {}, g.name, el("small", { class: g.required ? "req" : "" }, rule)),
      el("div", { class: "choices" }, g.options.map((o) => el("button", {
        type: "button", class: "choice", "aria-pressed": "false", "data-group": g.id, "data-option": o.id,
        onclick: (e) => toggleOption(g, o, e.currentTarget),
      }, o.name, o.price_delta ? el("small", {}, ` ${delta(o.price_delta)}`) : null)))));
  }
  updateOptionButton();
  openSheet("option-sheet");
}

function toggleOption(group, option, button) {
  const set = choosing.chosen.get(group.id);
  if (set.has(option.id)) set.delete(option.id);
  else {
    if (group.max === 1) set.clear();
    if (set.size >= group.max) return banner(fmt(T.pick_up_to, { max: group.max }), "warn");
    set.add(option.id);
  }
  document.querySelectorAll(`[data-group="${group.id}"]`).forEach((b) =>
    b.setAttribute("aria-pressed", String(set.has(Number(b.dataset.option)))));
  updateOptionButton();
}

function optionPrice() {
  let unit = choosing.item.price;
  for (const g of choosing.item.option_groups) for (const o of g.options) if (choosing.chosen.get(g.id).has(o.id)) unit += o.price_delta;
  return unit;
}

function updateOptionButton() {
  const missing = choosing.item.option_groups.find((g) => choosing.chosen.get(g.id).size < g.min);
  const btn = $("opt-add");
  btn.disabled = Boolean(missing);
  btn.textContent = missing ? fmt(T.please_choose, { name: missing.name }) : `${T.add_to_cart} ${yuan(optionPrice() * choosing.qty)}`;
  $("opt-qty").textContent = choosing.qty;
}

$("opt-minus").onclick = () => { choosing.qty = Math.max(1, choosing.qty - 1); updateOptionButton(); };
$("opt-plus").onclick = () => { choosing.qty = Math.min(99, choosing.qty + 1); updateOptionButton(); };
$("opt-add").onclick = async () => {
  const ids = [...choosing.chosen.values()].flatMap((s) => [...s]);
  closeSheets();
  await addToCart(choosing.item, choosing.qty, ids, $("opt-note").value.trim());
};

// -- the shared cart -------------------------------------------------------------------------
async function addToCart(item, qty, optionIds, note) {
  try {
    const data = await authed(`/api/v1/tables/${encodeURIComponent(tableToken)}/cart/lines`, {
      method: "POST", body: { item_id: item.id, qty, option_ids: optionIds, note } });
    setCart(data.cart);
    banner(fmt(T.added_x, { name: item.name }), "ok", 1200);
  } catch (err) {
    banner(err.code === "sold_out" ? T.sold_out_now : (err.message || T.network_error), "error");
  }
}

async function refreshCart() {
  const data = await authed(`/api/v1/tables/${encodeURIComponent(tableToken)}/cart`);
  setCart(data.cart);
}

function setCart(cart) {
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
      el("div", { class: "stepper small" },
        el("button", { type: "button", "aria-label": T.fewer, onclick: () => setQty(line, line.qty - 1) }, "−"),
        el("span", {}, line.qty),
        el("button", { type: "button", "aria-label": T.more, onclick: () => setQty(line, line.qty + 1) }, "+"))));
  }
}

async function setQty(line, qty) {
  try {
    const data = await authed(`/api/v1/tables/${encodeURIComponent(tableToken)}/cart/lines/${line.id}`, {
      method: "PATCH", body: { qty, version: line.version } });
    setCart(data.cart);
  } catch (err) {
    if (err.status === 409) { banner(T.changed_by_other, "warn"); await refreshCart(); }
    else banner(err.message || T.network_error, "error");
  }
}

// -- sending a round: kept in localStorage with its client_key until the server answers ---------
const pending = () => JSON.parse(localStorage.getItem(PENDING_KEY) || "null");

function sendState(kind, text) {
  const box = $("send-state");
  box.className = `send-state ${kind}`;
  box.textContent = text;
}

async function submitRound() {
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
      const data = await authed(`/api/v1/tables/${encodeURIComponent(tableToken)}/cart/submit`, {
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
      await new Promise((r) => setTimeout(r, wait));
      wait = Math.min(wait * 2, 8000);
    }
  }
  state.sending = false;
  $("submit").disabled = false;
}

function resumePending() {
  const round = pending();
  if (round) {
    openSheet("cart-sheet");
    submitRound();  // same client_key: the server returns the first order if it got it before
  }
}

$("submit").onclick = () => { $("submit").textContent = T.place_order; submitRound(); };

// -- orders and their progress ---------------------------------------------------------------
function rememberOrder(order) {
  state.sessionId = order.table_session_id;
  sessionStorage.setItem(SESSION_KEY, String(order.table_session_id));
  const i = state.orders.findIndex((o) => o.id === order.id);
  if (i >= 0) state.orders[i] = order; else state.orders.push(order);
  renderOrders();
}

async function refreshOrders() {
  if (!state.sessionId) return;
  try {
    const data = await authed(`/api/v1/table-sessions/${state.sessionId}`);
    state.orders = data.session.orders;
    state.check = data.session;
    renderOrders();
  } catch (err) {
    if (err.status !== 404) throw err;  // 404: this diner has not ordered in this check yet
  }
}

let checkTimer = null;
function refreshCheckSoon() {
  clearTimeout(checkTimer);
  checkTimer = setTimeout(() => refreshOrders().catch(() => {}), 300);
}

function renderCheck() {
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
  renderChoice(payLater ? c.due : 0);
}

function renderOrders() {
  renderCheck();
  const box = $("order-list");
  box.replaceChildren();
  $("no-orders").hidden = state.orders.length > 0;
  $("orders-count").textContent = state.orders.length ? `(${state.orders.length})` : "";
  for (const o of [...state.orders].reverse()) {
    box.append(el("article", { class: "order" },
      el("header", {},
        el("b", {}, fmt(T.order_n, { n: o.number })),
        el("span", { class: `status s-${o.status}` }, T[`status_${o.status}`] || o.status)),
      el("ul", {}, o.items.map((it) => el("li", { class: it.status === "cancelled" ? "cancelled" : "" },
        el("span", {}, `${it.name} ×${it.qty}`), el("span", {}, yuan(it.line_total))))),
      o.service_charge ? el("p", { class: "charge" }, el("span", {}, T.service_charge), el("span", {}, yuan(o.service_charge))) : null,
      el("footer", {}, el("span", {}, T.total), el("b", {}, yuan(o.total))),
      state.store?.pay_mode === "pay_first" && o.payment_status !== "paid" && o.status === "submitted"
        ? el("button", { type: "button", class: "btn wxpay pay-order", onclick: () => pay({ orderId: o.id, amount: o.total }) },
          fmt(T.pay_x, { amount: yuan(o.total) }))
        : null));
  }
}

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

// -- live updates ----------------------------------------------------------------------------
function connectSocket() {
  const socket = io("/table", { auth: { token: state.token, table_token: tableToken }, transports: ["websocket", "polling"] });
  state.socket = socket;
  socket.on("cart.updated", (data) => setCart({ ...data.cart, me: state.cart.me }));
  socket.on("order.updated", (data) => {
    if (state.orders.some((o) => o.id === data.order.id) || data.order.table_session_id === state.sessionId) {
      const before = state.orders.find((o) => o.id === data.order.id);
      rememberOrder(data.order);
      refreshCheckSoon();
      if (paying?.orderId === data.order.id && data.order.payment_status === "paid") paid();
      if (before && before.status !== data.order.status && data.order.status === "ready") banner(T.order_ready, "ok", 6000);
    }
  });
  socket.on("menu.updated", (data) => {
    if (data.reload) { reloadMenuSoon(); return; }
    for (const change of data.items) {
      const item = state.items.get(change.id);
      if (item) { Object.assign(item, change); refreshItem(change.id); }
    }
  });
  socket.on("check.updated", (data) => {
    if (data.session.id !== state.sessionId) return;
    state.check = { ...(state.check || {}), ...data.session };
    renderCheck();
    if (paying && data.session.due === 0) paid();
  });
  socket.on("call.created", (data) => banner(data.call.kind === "bill" ? T.bill_requested : T.waiter_called, "ok"));
  socket.on("connect", () => { refreshCart().catch(() => {}); refreshOrders().catch(() => {}); });
  socket.on("disconnect", () => banner(T.reconnecting, "warn", 0));
  socket.on("connect", () => { if (!$("banner").className.includes("ok")) $("banner").hidden = true; });
}

$("call-waiter").onclick = async () => {
  try {
    const data = await authed(`/api/v1/tables/${encodeURIComponent(tableToken)}/calls`, { method: "POST", body: { kind: "waiter" } });
    banner(data.call.kind === "bill" ? T.bill_requested : T.waiter_called, "ok");
  } catch (err) { banner(err.message || T.network_error, "error"); }
};

// -- sheets ----------------------------------------------------------------------------------
function openSheet(id) {
  $("sheet-backdrop").hidden = false;
  $(id).hidden = false;
  $(id).querySelector("button:not([disabled])")?.focus();
}
function closeSheets() {
  for (const id of ["option-sheet", "cart-sheet", "pay-sheet"]) $(id).hidden = true;
  $("sheet-backdrop").hidden = true;
}
$("sheet-backdrop").onclick = closeSheets;
document.querySelectorAll("[data-close]").forEach((b) => { b.onclick = closeSheets; });
document.addEventListener("keydown", (e) => { if (e.key === "Escape") closeSheets(); });
$("open-cart").onclick = () => openSheet("cart-sheet");

// -- my data: what we keep, a copy to download, and forgetting it -------------------------------
async function openPrivacy() {
  openSheet("privacy-sheet");
  const facts = $("privacy-facts");
  facts.replaceChildren(el("dd", {}, T.loading));
  try {
    const data = await authed("/api/v1/diner/me/data");
    const day = (iso) => new Date(iso).toLocaleString(document.documentElement.lang, { timeZone: state.store?.timezone });
    facts.replaceChildren(el("dt", {}, T.first_seen), el("dd", {}, day(data.diner.created_at)),
      el("dt", {}, T.last_seen), el("dd", {}, day(data.diner.last_seen_at)),
      el("dt", {}, T.orders_kept), el("dd", {}, String(data.orders.length)));
    state.myData = data;
  } catch (err) {
    facts.replaceChildren(el("dd", {}, err.message || T.network_error));
  }
}
$("open-privacy").onclick = openPrivacy;
$("privacy-export").onclick = () => {
  if (!state.myData) return;
  const blob = new Blob([JSON.stringify(state.myData, null, 2)], { type: "application/json" });
  const link = el("a", { href: URL.createObjectURL(blob), download: "diancan-my-data.json" });
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
};
$("privacy-delete").onclick = async () => {
  if (!window.confirm(T.confirm_forget)) return;
  try {
    await api("/api/v1/diner/me", { method: "DELETE" });
    localStorage.removeItem("diancan.diner");
    localStorage.removeItem("diancan.user");
    state.token = null;
    state.myData = null;
    $("privacy-facts").replaceChildren();
    $("privacy-state").textContent = T.forgotten;
  } catch (err) {
    $("privacy-state").textContent = err.message || T.network_error;
  }
};
$("checkout").onclick = () => openSheet("cart-sheet");
$("retry").onclick = start;
window.addEventListener("online", () => { if (pending() && !state.sending) submitRound(); });

start();
