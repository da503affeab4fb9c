// Live updates over Socket.IO (/table): the cart, the rounds (a table-mate's too), the check, the menu.
import { fmt } from "../dom.js";
import { refreshCart, setCart } from "./cart.js";
import { $, T, api, banner, showError, state, tableToken, tablePath } from "./core.js";
import { headcountAnswered } from "./headcount.js";
import { reloadMenuSoon, refreshItem } from "./menu.js";
import { heardLive, refreshCheckSoon, refreshOrders, rememberOrder, renderCheck, watchCheckPayment, watchOrderPayment } from "./orders.js";

export function connectSocket() {
  const socket = io("/table", { auth: { token: state.token, table_token: tableToken }, transports: ["websocket", "polling"] });
  state.socket = socket;
  socket.on("cart.updated", (data) => {
    setCart({ ...data.cart, me: state.cart.me });
    const id = data.cart.table_session_id;
    if (id && id !== state.sessionId) {  // the table's check opened after this page did: sit down at it
      state.sessionId = id;
      refreshCart().then(() => refreshOrders()).catch(() => {});
    }
  });
  socket.on("order.updated", (data) => {
    heardLive();
    const known = state.orders.some((o) => o.id === data.order.id);
    if (!known && !state.sending && (!state.sessionId || data.order.table_session_id === state.sessionId)) {
      // a table-mate sent the round (the cart they emptied was this phone's too): say so
      state.sessionId = data.order.table_session_id;
      const dishes = data.order.items.reduce((n, it) => n + it.qty, 0);
      banner(fmt(T.mate_sent_n, { n: dishes }), "ok", 5000);
    }
    if (known || data.order.table_session_id === state.sessionId) {
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
    heardLive();
    if (state.sessionId == null && data.session.headcount) state.sessionId = data.session.id;  // opened by the headcount
    if (data.session.id !== state.sessionId) return;
    state.check = { ...(state.check || {}), ...data.session };
    if (data.session.headcount) headcountAnswered(data.session.headcount);
    renderCheck();
    watchCheckPayment(data.session);
  });
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

