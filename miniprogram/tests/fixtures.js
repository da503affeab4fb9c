// Answers of the Diancan API in the contract's shapes.
const TOKEN = "7.1.cRsmHkqfvMJorar8";

const store = { id: 3, name: "川味小厨", pay_mode: "pay_later", currency: "CNY", timezone: "Asia/Shanghai" };

const menu = {
  categories: [
    { id: 1, name: "热菜", items: [
      { id: 11, name: "宫保鸡丁", description: "微辣", price: 3800, station: "hot", sold_out: false, stock: null,
        option_groups: [] },
      { id: 12, name: "水煮鱼", description: "", price: 6800, station: "hot", sold_out: false, stock: 3,
        option_groups: [
          { id: 5, name: "辣度", required: true, min: 1, max: 1,
            options: [{ id: 51, name: "微辣", price_delta: 0 }, { id: 52, name: "特辣", price_delta: 0 }] },
          { id: 6, name: "加料", required: false, min: 0, max: 2,
            options: [{ id: 61, name: "豆腐", price_delta: 300 }, { id: 62, name: "粉丝", price_delta: 200 },
              { id: 63, name: "藕片", price_delta: 400 }] },
        ] },
    ] },
    { id: 2, name: "凉菜", items: [
      { id: 21, name: "拍黄瓜", description: "", price: 1200, station: "cold", sold_out: true, stock: null,
        option_groups: [] },
    ] },
    { id: 3, name: "空类", items: [] },
  ],
};

function cart(lines, me = 1) {
  return { cart: { table_session_id: null, me, total: lines.reduce((n, l) => n + l.line_total, 0), lines } };
}

function line(overrides) {
  return { id: 1, item_id: 11, name: "宫保鸡丁", qty: 1, option_ids: [], options: [], note: "", unit_price: 3800,
    line_total: 3800, version: 1, diner: 1, available: true, ...overrides };
}

function order(overrides) {
  return { id: 40, number: 1, status: "submitted", payment_status: "unpaid", total: 3800, table_session_id: 9,
    created_at: "2026-12-03T12:00:00+08:00",
    items: [{ id: 1, item_id: 11, name: "宫保鸡丁", qty: 1, options: [], unit_price: 3800, line_total: 3800, note: "",
      status: "new" }], ...overrides };
}

function check(overrides) {
  return { session: { id: 9, table: { id: 4, code: "A3" }, status: "open", orders: [order()], total: 3800, paid: 0,
    due: 3800, ...overrides } };
}

const login = { token: "diner-token-1", expires_in: 7200, diner: { id: 77 } };

const requestPayment = { appId: "wx123", timeStamp: "1764739200", nonceStr: "abc", package: "prepay_id=wx0312",
  signType: "RSA", paySign: "c2lnbmF0dXJl" };

module.exports = { TOKEN, cart, check, line, login, menu, order, requestPayment, store };
