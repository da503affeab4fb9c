// The cashier's phone: tables live, a table's check, ring up (menu, codes, camera), takeaway, shifts.
// Writes carry client keys; cash sales and staff orders taken offline wait in IndexedDB (pos-queue.js).
import { $, T, el, fmt, showState, toast, yuan } from "./pos-ui.js";
import { api, cacheGet, cachePut, dismissRefused, onQueueChange, onSynced, pendingCount, refusedEntries, setAuth,
  syncQueue } from "./pos-queue.js";
import { floorChanged, initCheck, openCheck } from "./pos-check.js";
import { initRingup, ringUpFor, setMenu, setTables } from "./pos-ringup.js";
import { initShift, showShift } from "./pos-shift.js";
import { refreshStockBadge } from "./pos-stock.js";

const st = { token: localStorage.getItem("diancan.pos.token"), store: JSON.parse(localStorage.getItem("diancan.pos.store") || "null"),
  socket: null, calls: new Map(), tables: [], tz: "Asia/Shanghai", view: "tables", timers: [] };

const app = {
  st,
  show(view) {
    st.view = view;
    for (const v of document.querySelectorAll(".view")) v.hidden = v.id !== `view-${view}`;
    for (const b of document.querySelectorAll(".tabs button")) {
      const on = b.dataset.tab === view || (view === "check" && b.dataset.tab === "tables");
      if (on) b.setAttribute("aria-current", "page"); else b.removeAttribute("aria-current");
    }
    window.scrollTo(0, 0);
  },
  refreshFloor: () => refreshFloor(),
  openCheck: (id) => openCheck(id),
  ringUpFor: (target) => ringUpFor(target),
  pending: () => pendingCount(),
};

$("login-form").onsubmit = async (e) => {
  e.preventDefault();
  try {
    const data = await api("/api/v1/staff/login", { method: "POST", body: {
      store: $("store").value.trim(), username: $("username").value.trim(), password: $("password").value } });
    st.token = data.token;
    localStorage.setItem("diancan.pos.token", data.token);
    localStorage.setItem("diancan.pos.name", data.staff.name);
    localStorage.setItem("diancan.pos.role", data.staff.role);
    localStorage.setItem("diancan.pos.slug", $("store").value.trim());
    $("password").value = "";
    start();
  } catch (ex) {
    $("login-error").textContent = ex.status ? ex.message : T.network_error;
    $("login-error").hidden = false;
  }
};

function logout() {
  st.socket?.disconnect();
  st.timers.forEach(clearInterval);
  localStorage.removeItem("diancan.pos.token");
  st.token = null;
  setAuth(null, logout);
  $("app").hidden = true; $("login").hidden = false;
}
$("logout").onclick = async () => {
  if (await pendingCount()) return toast(T.unsynced_logout, "err");
  logout();
};

for (const b of document.querySelectorAll(".tabs button")) {
  b.onclick = () => {
    const tab = b.dataset.tab;
    app.show(tab);
    if (tab === "tables") refreshFloor().catch(() => {});
    if (tab === "takeaway") refreshTakeaways();
    if (tab === "shift") showShift();
  };
}
for (const b of document.querySelectorAll("[data-back]")) b.onclick = () => { app.show("tables"); refreshFloor().catch(() => {}); };

async function start() {
  setAuth(st.token, logout);
  $("login").hidden = true; $("app").hidden = false;
  $("who").textContent = localStorage.getItem("diancan.pos.name") || "";
  initCheck(app); initRingup(app); initShift(app);
  // Waiters ring up and move tables; money and shifts are the cashier's (the server refuses them anyway).
  document.querySelector('[data-tab="shift"]').hidden = localStorage.getItem("diancan.pos.role") === "waiter";
  app.show("tables");
  updateQueue(await pendingCount(), await refusedEntries());
  await loadMenu();
  try {
    const calls = await api("/api/v1/calls");
    st.calls = new Map(calls.calls.map((c) => [c.id, c]));
    renderCalls();
  } catch (ex) {
    if (ex.status === 403) return logout();
  }
  await refreshFloor().catch(() => {});
  connectSocket();
  st.timers.push(setInterval(() => { if (navigator.onLine) refreshFloor().catch(() => {}); }, 10000));
  syncQueue();
}

async function loadMenu() {
  try {
    const menu = await api("/api/v1/pos/menu");
    await cachePut("menu", menu);
    st.store = menu.store;
    localStorage.setItem("diancan.pos.store", JSON.stringify(menu.store));
    setMenu(menu);
  } catch (ex) {
    const cached = await cacheGet("menu");  // offline: ring up from the menu this phone saw last
    if (cached) setMenu(cached); else showState($("menu"), "err", T.network_error, loadMenu);
  }
  $("store-name").textContent = st.store?.name || T.cashier;
}

function connectSocket() {
  const socket = io("/staff", { auth: { token: st.token }, transports: ["websocket", "polling"] });
  st.socket = socket;
  socket.on("connect", () => { refreshFloor().catch(() => {}); });
  socket.on("call.created", ({ call }) => { st.calls.set(call.id, call); renderCalls(); toast(label(call)); refreshFloor(); });
  socket.on("call.updated", ({ call }) => { if (call.status !== "open") st.calls.delete(call.id); renderCalls(); });
  socket.on("floor.updated", () => { refreshFloor().catch(() => {}); });
}

function netState() { $("offline").hidden = navigator.onLine; }
window.addEventListener("online", () => { netState(); refreshFloor().catch(() => {}); });
window.addEventListener("offline", netState);
netState();

// What the diner asked for: the bill, water, tableware, 催单 for a round, or just a waiter.
const REASONS = { water: "wants_water", tableware: "wants_tableware" };
const what = (call) => (call.kind === "bill" ? T.wants_bill
  : call.reason === "hurry" ? fmt(T.hurries_n, { n: call.order_number }) : T[REASONS[call.reason]] || T.calls_waiter);
const label = (call) => `${call.table_code} · ${what(call)}`;

function renderCalls() {
  const list = [...st.calls.values()].sort((a, b) => a.id - b.id);
  $("calls-count").textContent = list.length || "";
  $("no-calls").hidden = list.length > 0;
  $("calls").replaceChildren(...list.map((c) => el("li", { class: c.kind },
    el("b", {}, c.table_code),
    el("div", { class: "what" }, what(c),
      el("small", {}, new Date(c.created_at).toLocaleTimeString(document.documentElement.lang,
        { hour: "2-digit", minute: "2-digit", timeZone: st.tz }))),
    el("button", { type: "button", class: "btn ok", onclick: () => done(c) }, T.handled))));
}

async function done(call) {
  try {
    await api(`/api/v1/calls/${call.id}/done`, { method: "POST" });
  } catch (ex) { if (ex.status !== 409) return toast(ex.message || T.network_error, "err"); }
  st.calls.delete(call.id);
  renderCalls();
}

async function refreshFloor() {
  let data;
  try {
    data = await api("/api/v1/floor");
    await cachePut("floor", data);
  } catch (ex) {
    data = await cacheGet("floor");
    if (!data) { showState($("tables"), "err", T.network_error, refreshFloor); throw ex; }
  }
  st.tz = data.store.timezone;  // the store's clock, wherever the phone thinks it is
  localStorage.setItem("diancan.pos.tz", st.tz);  // the shift's and the receipt's times too
  refreshStockBadge();  // low-stock badge, at most once a minute
  st.tables = data.tables;
  setTables(data.tables);
  floorChanged(data.tables);
  $("tables").replaceChildren(...(data.tables.length ? data.tables.map(tableCard)
    : [el("p", { class: "state-msg" }, T.no_tables)]));
}

function tableCard(t) {
  const s = t.session;
  return el("button", { type: "button", class: `table st-${t.state}`, "data-table": t.code,
    onclick: () => (s ? openCheck(s.id) : ringUpFor({ table_id: t.id, code: t.code })) },
    el("span", { class: "code" }, t.code),
    el("span", { class: "state" }, T[`state_${t.state}`]),
    s ? el("span", { class: "due" }, s.due ? `${T.due} ${yuan(s.due)}` : T.settled) : null,
    s?.headcount ? el("span", { class: "guests" }, fmt(T.guests_n, { n: s.headcount })) : null,
    s?.paying ? el("span", { class: "paying" }, fmt(T.paying, { amount: yuan(s.paying) })) : null,
    s?.overpaid ? el("span", { class: "overpaid", role: "alert" }, fmt(T.overpaid, { amount: yuan(s.overpaid) })) : null);
}

async function refreshTakeaways() {
  const box = $("takeaways");
  showState(box, "", T.loading);
  try {
    const { sessions } = await api("/api/v1/pos/takeaways");
    box.replaceChildren(...(sessions.length ? sessions.map((s) => el("button", { type: "button", class: "takeaway-row",
      onclick: () => openCheck(s.id) },
      el("b", {}, `#${s.pickup_number}`),
      el("span", {}, s.orders.flatMap((o) => o.items.map((i) => `${i.name}×${i.qty}`)).join("、")),
      el("span", { class: s.due ? "due" : "paid" }, s.due ? yuan(s.due) : T.settled)))
      : [el("p", { class: "state-msg" }, T.no_takeaways)]));
  } catch (ex) {
    showState(box, "err", ex.message || T.network_error, refreshTakeaways);
  }
}
app.refreshTakeaways = refreshTakeaways;

function updateQueue(n, refused) {
  const badge = $("sync-badge");
  badge.hidden = n === 0;
  badge.textContent = fmt(T.pending_n, { n });
  const box = $("refused");
  box.hidden = refused.length === 0;
  $("refused-list").replaceChildren(...refused.map((r) => el("li", {},
    el("div", {}, el("b", {}, r.label || r.kind), el("small", {}, r.code === "price_changed"
      ? fmt(T.price_changed, { was: yuan(r.expected_total), now: yuan(r.order.total) })
      : T[`refused_${r.code}`] || fmt(T.refused_other, { message: r.message }))),
    r.order || r.session_id ? el("button", { type: "button", class: "btn small",
      onclick: () => openCheck(r.order?.table_session_id ?? r.session_id) }, T.open_check) : null,
    el("button", { type: "button", class: "btn small", onclick: () => dismissRefused(r.id) }, T.resolved))));
}
onQueueChange(updateQueue);
badgeSync();
function badgeSync() { $("sync-badge").onclick = () => syncQueue(); }
onSynced(() => { refreshFloor().catch(() => {}); });

// The service worker keeps this page and its modules so /pos opens with no network (pos-sw.js).
async function keepShell() {
  const reg = await navigator.serviceWorker.register("/pos-sw.js", { scope: "/pos" });
  const worker = reg.active || reg.installing || reg.waiting;
  const here = (name) => new URL(name, import.meta.url).href;
  const urls = [location.pathname, here("pos.js"), here("pos-ui.js"), here("pos-queue.js"), here("pos-check.js"),
    here("pos-ringup.js"), here("pos-shift.js"), here("pos-pay.js"), here("pos-scan.js"), here("dom.js"), here("pos.css"), here("vendor/idb.js"),
    here("vendor/socket.io.min.js")];
  const send = (w) => w.postMessage({ type: "precache", urls });
  if (worker?.state === "activated") send(worker);
  else worker?.addEventListener("statechange", () => { if (worker.state === "activated") send(worker); });
}
if ("serviceWorker" in navigator) keepShell().catch(() => {});
if (st.token) start(); else $("login").hidden = false;
