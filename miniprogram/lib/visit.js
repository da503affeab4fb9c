// Arriving at a table: the QR token from the launch (or the last table, when the diner comes back
// from another page), a login, and what the token points at.
const api = require("./api");
const { tokenFromLaunch } = require("./entry");
const { t } = require("./i18n");
const session = require("./session");

const LAST = "diancan.table";

// { token, store, table, session } for the launch options; rejects with ApiError 404 when the
// code was rotated or the table disabled.
async function enter(options) {
  const token = tokenFromLaunch(options) || wx.getStorageSync(LAST) || "";
  if (!token) throw new api.ApiError(404, "no_table", t("scanTableCode"));
  await session.token();  // log in first: every table route after this one needs it
  const found = await api.call("table", { qr_token: token });
  wx.setStorageSync(LAST, token);
  return { token, store: found.store, table: found.table, session: found.session };
}

function loadMenu(storeId) {
  return api.call("menu", { store_id: storeId });
}

function callWaiter(token, kind) {
  return session.authed("callWaiter", { qr_token: token }, { kind: kind || "waiter" }).then((r) => r.call);
}

module.exports = { LAST, callWaiter, enter, loadMenu };
