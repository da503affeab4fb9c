// Live updates over Socket.IO (/table), and calling the waiter.
import { fmt } from "../dom.js";
import { refreshCart, setCart } from "./cart.js";
import { $, T, api, authed, banner, showError, state, tableToken, tablePath } from "./core.js";
import { reloadMenuSoon, refreshItem } from "./menu.js";
import { refreshCheckSoon, refreshOrders, rememberOrder, renderCheck, watchCheckPayment, watchOrderPayment } from "./orders.js";

export function connectSocket() {
  const socket = io("/table", { auth: { token: state.token, table_token: tableToken }, transports: ["websocket", "polling"] });
  state.socket = socket;
  socket.on("cart.updated", (data) => setCart({ ...data.cart, me: state.cart.me }));
  socket.on("order.updated", (data) => {
    if (state.orders.some((o) => o.id === data.order.id) || data.order.table_session_id === state.sessionId) {
      const before = state.orders.find((o) => o.id === data.order.id);
      rememberOrder(data.order);
      refreshCheckSoon();
      watchOrderPayment(data.order);
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
    watchCheckPayment(data.session);
  });
  socket.on("call.created", (data) => banner(data.call.kind === "bill" ? T.bill_requested : T.waiter_called, "ok"));
  socket.on("connect", () => { refreshCart().catch(() => {}); refreshOrders().catch(() => {}); });
  socket.on("disconnect", (reason) => {
    // The server cut us: the table's code was rotated, the table disabled, or we deleted ourselves.
    if (reason === "io server disconnect") {
      api(tablePath(), { auth: false }).catch((err) => { if (err.status === 404) showError(T.unknown_table); });
      return;
    }
    banner(T.reconnecting, "warn", 0);
  });
  socket.on("connect", () => { if (!$("banner").className.includes("ok")) $("banner").hidden = true; });
}

$("call-waiter").onclick = async () => {
  try {
    const data = await authed(tablePath("/calls"), { method: "POST", body: { kind: "waiter" } });
    banner(data.call.kind === "bill" ? T.bill_requested : T.waiter_called, "ok");
  } catch (err) { banner(err.message || T.network_error, "error"); }
};
