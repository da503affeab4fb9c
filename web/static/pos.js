// Floor staff: waiter calls and bill requests live (/staff namespace), tables with their checks,
// cash taken and tables cleared. Every write carries a client key so a retry never pays twice.
import { el, request, yuan } from "./dom.js";

const T = JSON.parse(document.getElementById("i18n").textContent);
const $ = (id) => document.getElementById(id);
const st = { token: localStorage.getItem("diancan.pos.token"), socket: null, calls: new Map(), tz: "Asia/Shanghai" };

const api = (path, { token = st.token, ...opts } = {}) => request(path, { ...opts, token });

function toast(text) {
  const t = el("div", { class: "toast", role: "status" }, text);
  document.body.append(t);
  setTimeout(() => t.remove(), 2200);
}

$("login-form").onsubmit = async (e) => {
  e.preventDefault();
  try {
    const data = await api("/api/v1/staff/login", { method: "POST", token: null, body: {
      store: $("store").value.trim(), username: $("username").value.trim(), password: $("password").value } });
    st.token = data.token;
    localStorage.setItem("diancan.pos.token", data.token);
    localStorage.setItem("diancan.pos.name", data.staff.name);
    $("password").value = "";
    start();
  } catch (ex) {
    $("login-error").textContent = ex.status ? ex.message : T.network_error;
    $("login-error").hidden = false;
  }
};

function logout() {
  st.socket?.disconnect();
  localStorage.removeItem("diancan.pos.token");
  st.token = null;
  $("board").hidden = true; $("login").hidden = false;
}
$("logout").onclick = logout;

async function start() {
  $("login").hidden = true; $("board").hidden = false;
  $("who").textContent = localStorage.getItem("diancan.pos.name") || "";
  try {
    const calls = await api("/api/v1/calls");
    st.calls = new Map(calls.calls.map((c) => [c.id, c]));
    renderCalls();
    await refreshFloor();
  } catch (ex) {
    if (ex.status === 401 || ex.status === 403) return logout();
  }
  const socket = io("/staff", { auth: { token: st.token }, transports: ["websocket", "polling"] });
  st.socket = socket;
  socket.on("connect", () => { $("offline").hidden = true; });
  socket.on("disconnect", () => { $("offline").hidden = false; });
  socket.on("call.created", ({ call }) => { st.calls.set(call.id, call); renderCalls(); toast(label(call)); refreshFloor(); });
  socket.on("call.updated", ({ call }) => { if (call.status !== "open") st.calls.delete(call.id); renderCalls(); });
  setInterval(() => refreshFloor().catch(() => {}), 10000);
}

const label = (call) => `${call.table_code} · ${call.kind === "bill" ? T.wants_bill : T.calls_waiter}`;

function renderCalls() {
  const list = [...st.calls.values()].sort((a, b) => a.id - b.id);
  $("calls-count").textContent = list.length || "";
  $("no-calls").hidden = list.length > 0;
  $("calls").replaceChildren(...list.map((c) => el("li", { class: c.kind },
    el("b", {}, c.table_code),
    el("div", { class: "what" }, c.kind === "bill" ? T.wants_bill : T.calls_waiter,
      el("small", {}, new Date(c.created_at).toLocaleTimeString(document.documentElement.lang,
        { hour: "2-digit", minute: "2-digit", timeZone: st.tz }))),
    el("button", { type: "button", class: "btn ok", onclick: () => done(c) }, T.handled))));
}

async function done(call) {
  try {
    await api(`/api/v1/calls/${call.id}/done`, { method: "POST" });
  } catch (ex) { if (ex.status !== 409) return toast(ex.message); }
  st.calls.delete(call.id);
  renderCalls();
}

async function refreshFloor() {
  const data = await api("/api/v1/floor");
  st.tz = data.store.timezone;  // the store's clock, wherever the phone thinks it is
  $("loading").hidden = true;
  $("tables").replaceChildren(...data.tables.map(tableCard));
}

function tableCard(t) {
  const s = t.session;
  const free = s ? s.due - (s.paying || 0) : 0;  // what a diner's WeChat payment in flight does not hold
  return el("article", { class: `table${s ? " busy" : ""}` },
    el("span", { class: "code" }, t.code),
    el("span", { class: "state" }, s ? T.orders_n.replace("{n}", s.orders) : T.free),
    s ? el("span", { class: `due${s.due === 0 ? " zero" : ""}` }, s.due ? `${T.due} ${yuan(s.due)}` : T.settled) : null,
    s?.paying ? el("span", { class: "paying" }, T.paying.replace("{amount}", yuan(s.paying))) : null,
    s?.overpaid ? el("span", { class: "overpaid", role: "alert" }, T.overpaid.replace("{amount}", yuan(s.overpaid))) : null,
    s ? el("div", { class: "actions" },
      free > 0 ? el("button", { type: "button", class: "btn", onclick: () => cash(t, s, free) }, T.take_cash) : null,
      s.paying_payment_id ? el("button", { type: "button", class: "btn", onclick: () => stopPaying(t, s) }, T.stop_paying) : null,
      s.due === 0 && !s.overpaid ? el("button", { type: "button", class: "btn ok", onclick: () => clear(t, s) }, T.clear_table) : null) : null);
}

async function stopPaying(t, s) {
  if (!window.confirm(T.confirm_stop_paying.replace("{code}", t.code).replace("{amount}", yuan(s.paying)))) return;
  try {
    await api(`/api/v1/payments/${s.paying_payment_id}/cancel`, { method: "POST" });
  } catch (ex) { toast(ex.message || T.network_error); }
  refreshFloor();
}

async function cash(t, s, free) {
  if (!window.confirm(T.confirm_cash.replace("{code}", t.code).replace("{amount}", yuan(free)))) return;
  const key = `diancan.pos.cash.${s.id}.${free}`;
  const clientKey = localStorage.getItem(key) || crypto.randomUUID();
  localStorage.setItem(key, clientKey);
  try {
    await api(`/api/v1/table-sessions/${s.id}/payments/offline`, { method: "POST", body: { client_key: clientKey, channel: "cash" } });
    localStorage.removeItem(key);
    toast(T.cash_taken);
  } catch (ex) { toast(ex.message || T.network_error); }
  refreshFloor();
}

async function clear(t, s) {
  try {
    await api(`/api/v1/table-sessions/${s.id}/close`, { method: "POST" });
    toast(T.table_cleared.replace("{code}", t.code));
  } catch (ex) { toast(ex.message || T.network_error); }
  refreshFloor();
}

if (st.token) start(); else $("login").hidden = false;
