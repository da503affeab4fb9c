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
import { refreshOrders, renderCheck, setRejoin } from "./diner/orders.js";
import { askHeadcount } from "./diner/headcount.js";
import "./diner/privacy.js";

// The page arrives with the table and its menu, or says the table code is unknown.
let boot = JSON.parse(document.getElementById("boot")?.textContent || "null");

function showTable(info) {
  state.store = info.store; state.table = info.table;
  state.sessionId = info.session?.id ?? null;
  state.tableSession = info.session;
  $("store-name").textContent = info.store.name;
  $("table-code").textContent = fmt(T.table_n, { code: info.table.code });
  document.title = `${info.store.name} · ${fmt(T.table_n, { code: info.table.code })}`;
}

// An unknown or rotated code: say what to do, offer nothing that cannot work (no retry, no call).
function unknownTable() {
  $("store-name").textContent = T.unknown_table_title;
  document.title = T.unknown_table_title;
  $("call-waiter").hidden = true;
  showError(T.unknown_table);
}

async function start() {
  try {
    if (boot?.error === "unknown_table") { unknownTable(); return; }
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
    $("call-waiter").hidden = false;
    setRejoin(refreshCart);
    await refreshCart();
    connectSocket();
    await refreshOrders();
    if (!pending()) askHeadcount(state.tableSession);
    resumePending();
    document.getElementById("app").dataset.ready = "1";  // everything loaded (tests wait for it)
  } catch (err) {
    if (err.status === 404) unknownTable();
    else if (err instanceof ApiError) showError(err.message, { retry: err.status >= 500 || err.status === 429 });
    else showError(T.network_error, { retry: true });
  }
}

$("open-cart").onclick = () => openSheet("cart-sheet");
$("checkout").onclick = () => openSheet("cart-sheet");
$("retry").onclick = start;
window.addEventListener("online", () => { if (pending() && !state.sending) submitRound(); });

start();
