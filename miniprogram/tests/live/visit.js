// A diner's whole visit through the mini-program's own modules (lib/), against a real Diancan
// server in sandbox mode: node visit.js BASE_URL QR_TOKEN. wx.* is played by Node's fetch and an
// in-memory storage; everything else is the mini-program's code. Prints a JSON summary.
// Run by tests/api/test_miniprogram_live.py.
const storage = new Map();
global.wx = {
  request({ url, method, data, header, timeout, success, fail }) {
    fetch(url, { method, headers: header, body: data === undefined ? undefined : JSON.stringify(data),
      signal: AbortSignal.timeout(timeout) })
      .then(async (res) => {
        const text = await res.text();
        let body = text;
        try { body = text ? JSON.parse(text) : ""; } catch (err) { /* not JSON: keep the text */ }
        success({ statusCode: res.status, data: body, header: Object.fromEntries(res.headers) });
      }, (err) => fail({ errMsg: `request:fail ${err.message}` }));
  },
  getStorageSync: (key) => (storage.has(key) ? storage.get(key) : ""),
  setStorageSync: (key, value) => storage.set(key, value),
  removeStorageSync: (key) => storage.delete(key),
  showModal: ({ success }) => success({ confirm: true }),  // the diner confirms the sandbox's sheet
};

const config = require("../../lib/config");
const cartLib = require("../../lib/cart");
const checkLib = require("../../lib/check");
const { createPoller } = require("../../lib/live");
const menuLib = require("../../lib/menu");
const { yuan } = require("../../lib/money");
const payLib = require("../../lib/pay");
const visitLib = require("../../lib/visit");

async function main() {
  const [base, token] = process.argv.slice(2);
  config.apiBase = base;
  config.sandbox = true;
  const visit = await visitLib.enter({ scene: encodeURIComponent(token) });
  const menu = await visitLib.loadMenu(visit.store.id);
  const item = menu.categories[0].items[0];
  let chosen = [];
  for (const group of item.option_groups) {
    for (const option of group.options.slice(0, group.min)) chosen = menuLib.toggleOption(item, chosen, option.id);
  }
  const added = await cartLib.add(visit.token, item.id, 1, chosen, "少放盐");
  const twice = await cartLib.setQty(visit.token, added.lines[0], 2);
  const order = await cartLib.submit(visit.token, "");
  const before = checkLib.checkView(await checkLib.load(order.table_session_id), visit.store.pay_mode);
  const call = await visitLib.callWaiter(visit.token, "bill");
  const { outcome } = await payLib.pay({ sessionId: order.table_session_id }, before.dueText);
  const paid = await new Promise((resolve, reject) => {  // the notify credits it on the server
    const deadline = setTimeout(() => { poller.stop(); reject(new Error("never paid")); }, 15000);
    const poller = createPoller({
      fetch: () => checkLib.load(order.table_session_id),
      onData: (check) => {
        if (checkLib.isPaid(check, { sessionId: order.table_session_id })) {
          poller.stop();
          clearTimeout(deadline);
          resolve(check);
        }
      },
      interval: 300,
    });
    poller.start();
  });
  console.log(JSON.stringify({
    store: visit.store.name, table: visit.table.code, qty: twice.lines[0].qty, options: chosen,
    order: { number: order.number, total: order.total, status: order.status }, dueBefore: before.due,
    canPay: before.canPayCheck, call: call.kind, outcome, paid: paid.paid, due: paid.due, totalText: yuan(paid.total),
  }));
}

main().catch((err) => {
  console.error(`${err.status || ""} ${err.code || ""} ${err.message}`);
  process.exit(1);
});
