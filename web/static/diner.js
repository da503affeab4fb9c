// The diner's H5 page: menu, the table's shared cart, sending a round that survives a weak
// network (the pending round and its client_key live in localStorage until an answer comes),
// and the orders' progress, live over Socket.IO.
import { ApiError, fmt } from "./dom.js";
import { pending, refreshCart, resumePending, submitRound } from "./diner/cart.js";
import { $, T, authed, openSheet, show, showError, state, tablePath, login } from "./diner/core.js";
import { connectSocket } from "./diner/live.js";
import { loadMenu, showMenu } from "./diner/menu.js";
import { loadCoupons } from "./diner/coupons.js";
import { loadPairings } from "./diner/together.js";
import { refreshOrders, renderCheck } from "./diner/orders.js";
import "./diner/privacy.js";

// The page arrives with the table and its menu, or says the table code is unknown.
let boot = JSON.parse(document.getElementById("boot")?.textContent || "null");

function showTable(info) {
  state.store = info.store; state.table = info.table;
  state.sessionId = info.session?.id ?? null;
  $("store-name").textContent = info.store.name;
  $("table-code").textContent = fmt(T.table_n, { code: info.table.code });
  document.title = `${info.store.name} · ${info.table.code}`;
}

async function start() {
  try {
    if (boot?.error === "unknown_table") { showError(T.unknown_table); return; }
    if (boot?.table) {  // the menu first; WeChat login and the live parts follow
      showTable(boot.table);
      showMenu(boot.menu);
      show("menu");
    } else show("loading");
    if (!state.token) await login();
    if (!boot?.table) {
      showTable(await authed(tablePath()));
      await loadMenu();
      show("menu");
    }
    boot = null;  // a retry asks the server afresh
    loadCoupons(renderCheck);
    loadPairings();
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

$("open-cart").onclick = () => openSheet("cart-sheet");
$("checkout").onclick = () => openSheet("cart-sheet");
$("retry").onclick = start;
window.addEventListener("online", () => { if (pending() && !state.sending) submitRound(); });

start();
