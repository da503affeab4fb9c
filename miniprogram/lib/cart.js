// The table's shared cart: everyone at the table adds to one cart on the server
// (/api/v1/tables/{token}/cart) and one of them sends it to the kitchen as a round.
const { t } = require("./i18n");
const { yuan } = require("./money");
const session = require("./session");

function cartView(cart) {
  const lines = (cart && cart.lines) || [];
  return {
    lines: lines.map((line) => ({
      id: line.id,
      name: line.name,
      qty: line.qty,
      version: line.version,
      optionsText: (line.options || []).map((o) => o.name).join("、"),
      note: line.note || "",
      totalText: yuan(line.line_total),
      mine: cart.me !== null && cart.me !== undefined && line.diner === cart.me,
      who: line.diner ? t("dinerNumber", { n: line.diner }) : "",
      available: line.available !== false,
      problem: line.problem === "sold_out" ? t("soldOut") : (line.problem ? t("unavailable") : ""),
    })),
    count: lines.reduce((n, line) => n + line.qty, 0),
    totalText: yuan((cart && cart.total) || 0),
    orderable: lines.length > 0 && lines.every((line) => line.available !== false),
    sessionId: cart && cart.table_session_id != null ? cart.table_session_id : null,
    revision: cart && cart.revision != null ? cart.revision : null,
  };
}

// A poll's answer can arrive after the answer to a tap that came later: of two carts on the same
// check, the one with the lower revision is older and must not replace the newer one on screen;
// checks are numbered in the order they open, so a cart of an earlier check, or of none, is older too.
function isStale(view, cart) {
  if (!cart || !view || view.sessionId == null) return false;
  if (cart.table_session_id == null || cart.table_session_id < view.sessionId) return true;
  return cart.table_session_id === view.sessionId
    && cart.revision != null && view.revision != null && cart.revision < view.revision;
}

// The cart once its round is sent: empty, and newer than any poll that left before the round did.
function sentView(view) {
  return { ...cartView(null), sessionId: view.sessionId,
    revision: view.revision != null ? view.revision + 1 : null };
}

function newClientKey() {
  const hex = () => Math.random().toString(16).slice(2, 10).padEnd(8, "0");
  return `${Date.now().toString(16)}-${hex()}${hex()}`;
}

function load(token) {
  return session.authed("cart", { qr_token: token }).then((r) => r.cart);
}

function add(token, itemId, qty, optionIds, note) {
  return session.authed("cartAdd", { qr_token: token },
    { item_id: itemId, qty, option_ids: optionIds || [], note: note || "" }).then((r) => r.cart);
}

// Another diner may have changed the line meanwhile: the server checks `version` and answers 409.
function setQty(token, line, qty) {
  return session.authed("cartQty", { qr_token: token, line_id: line.id }, { qty, version: line.version })
    .then((r) => r.cart);
}

// A round is sent with a client key kept until the server answers, so a retry after a lost
// answer is the same order, never a second one.
async function submit(token, remark) {
  const key = `diancan.round.${token}`;
  let clientKey = wx.getStorageSync(key);
  if (!clientKey) {
    clientKey = newClientKey();
    wx.setStorageSync(key, clientKey);
  }
  try {
    const answer = await session.authed("cartSubmit", { qr_token: token }, { client_key: clientKey, remark: remark || "" });
    wx.removeStorageSync(key);
    return answer.order;
  } catch (err) {
    if (err.status && err.status < 500 && err.status !== 429) wx.removeStorageSync(key);  // refused: nothing placed
    throw err;
  }
}

module.exports = { add, cartView, isStale, load, newClientKey, sentView, setQty, submit };
