// The pages rendered by miniprogram-simulate (j-component on jsdom) with wx.* mocked.
const path = require("path");
const simulate = require("miniprogram-simulate");
const config = require("../lib/config");
const { ROUTES, SANDBOX_ROUTES } = require("../lib/routes");
const { TOKEN, cart, check, line, login, menu, order, store } = require("./fixtures");
const { installWx, flush } = require("./wx-mock");

const ROOT = path.resolve(__dirname, "..");
const allRequests = [];
const loaded = {};  // a page's code runs once per test file, as in WeChat: one definition, many renders

function page(name) {
  if (!loaded[name]) {
    loaded[name] = simulate.load(path.join(ROOT, "pages", name, "index"), { rootPath: ROOT, compiler: "simulate" });
  }
  const comp = simulate.render(loaded[name]);
  comp.attach(document.createElement("parent-wrapper"));
  return comp;
}

function text(comp, selector) {
  return comp.querySelectorAll(selector).map((node) => node.dom.textContent.replace(/\s+/g, " ").trim());
}

async function settle() {
  for (let i = 0; i < 10; i++) await flush();  // several awaited wx.request round trips
}

function server(overrides = {}) {
  return {
    "POST /wechat-sandbox/login": () => ({ body: { code: "sandbox-code" } }),
    "POST /api/v1/diner/login": () => ({ body: login }),
    "GET /api/v1/tables/{qr_token}": () => ({ body: { store, table: { id: 4, code: "A3" }, session: null } }),
    "GET /api/v1/stores/{store_id}/menu": () => ({ body: menu }),
    "GET /api/v1/tables/{qr_token}/cart": () => ({ body: cart([]) }),
    ...overrides,
  };
}

describe("the pages", () => {
  let fake;
  beforeEach(() => {
    config.sandbox = true;
    global.__app = { globalData: {} };
  });
  afterEach(() => {
    allRequests.push(...fake.requests);
    for (const p of global.__pages || []) if (p.instance.onUnload) p.instance.onUnload();
    global.__pages = [];
  });

  function open(name) {
    const comp = page(name);
    (global.__pages = global.__pages || []).push(comp);
    return comp;
  }

  test("the table page opens from a table's code: logs in, shows the store and the menu by category", async () => {
    fake = installWx(server());
    const table = open("table");
    await table.instance.onLoad({ scene: encodeURIComponent(TOKEN) });
    await settle();
    expect(fake.requests.map((r) => `${r.method} ${r.path}`).slice(0, 4)).toEqual([
      "POST /wechat-sandbox/login", "POST /api/v1/diner/login", `GET /api/v1/tables/${encodeURIComponent(TOKEN)}`,
      "GET /api/v1/stores/3/menu"]);
    expect(text(table, ".where")).toEqual(["川味小厨 · A3"]);
    expect(text(table, ".cat")).toEqual(["热菜", "凉菜"]);
    expect(text(table, ".item .name")).toEqual(["宫保鸡丁", "水煮鱼"]);
    expect(text(table, ".item .price")).toEqual(["¥38.00", "¥68.00"]);
    expect(text(table, ".left")).toEqual(["仅剩 3 份"]);
    expect(fake.wx.requirePrivacyAuthorize).toHaveBeenCalled();
    const cats = table.querySelectorAll(".cat");
    cats[1].dispatchEvent("tap");
    await settle();
    expect(text(table, ".item .name")).toEqual(["拍黄瓜"]);
    expect(text(table, ".sold-out .tag")).toEqual(["已售罄"]);
  });

  test("a rotated code shows what to do instead of a menu", async () => {
    fake = installWx(server({ "GET /api/v1/tables/{qr_token}": () => ({ status: 404, body: { error: { code: "not_found" } } }) }));
    const table = open("table");
    await table.instance.onLoad({ scene: TOKEN });
    await settle();
    expect(text(table, ".state")).toEqual(["这张桌码已失效，请扫描餐桌上的新二维码"]);
  });

  test("opened without a table's code, it asks for one", async () => {
    fake = installWx(server());
    const table = open("table");
    await table.instance.onLoad({});
    await settle();
    expect(text(table, ".state")).toEqual(["请扫描餐桌上的二维码"]);
    expect(fake.requests.filter((r) => r.path.startsWith("/api/v1/tables/"))).toEqual([]);
  });

  test("choosing options: the add button names the missing choice, then adds with the options", async () => {
    const added = [];
    fake = installWx(server({ "POST /api/v1/tables/{qr_token}/cart/lines": ({ data }) => {
      added.push(data);
      return { body: cart([line({ id: 8, name: "水煮鱼", qty: 1, line_total: 7100, options: [{ id: 51, name: "微辣" }] })]) };
    } }));
    const table = open("table");
    await table.instance.onLoad({ q: encodeURIComponent(`https://order.example.com/t/${TOKEN}`) });
    await settle();
    table.querySelectorAll(".item")[1].dispatchEvent("tap");
    await settle();
    expect(text(table, ".add-chosen")).toEqual(["请选择辣度"]);
    table.querySelectorAll(".opt")[0].dispatchEvent("tap");  // 微辣
    table.querySelectorAll(".opt")[2].dispatchEvent("tap");  // 豆腐 +¥3.00
    await settle();
    expect(text(table, ".options .price")).toEqual(["¥71.00"]);
    table.querySelector(".add-chosen").dispatchEvent("tap");
    await settle();
    expect(added).toEqual([{ item_id: 12, qty: 1, option_ids: [51, 61], note: "" }]);
    expect(text(table, ".count")).toEqual(["1"]);
  });

  test("a poll that answers after a tap never puts the older cart back on screen", async () => {
    const onCheck = (lines, revision) => ({ body: { cart: { ...cart(lines).cart, table_session_id: 7, revision } } });
    let polls = 0;
    fake = installWx(server({
      "GET /api/v1/tables/{qr_token}/cart": () => onCheck([], ++polls === 1 ? 1 : 2),  // later polls: read before the tap
      "POST /api/v1/tables/{qr_token}/cart/lines": () => onCheck([line({ id: 1 })], 3),
    }));
    const table = open("table");
    await table.instance.onLoad({ scene: TOKEN });
    await settle();
    table.querySelectorAll(".item")[0].dispatchEvent("tap");
    await settle();
    expect(text(table, ".count")).toEqual(["1"]);
    table.instance.poller.poke();
    await settle();
    expect(polls).toBeGreaterThan(1);
    expect(text(table, ".count")).toEqual(["1"]);  // revision 2 is older than the 3 on screen
  });

  test("the shared cart shows everyone's lines and sends the round, then the orders page opens", async () => {
    fake = installWx(server({
      "GET /api/v1/tables/{qr_token}/cart": () => ({ body: cart([line({ id: 1 }), line({ id: 2, diner: 2, name: "水煮鱼",
        line_total: 6800 })]) }),
      "POST /api/v1/tables/{qr_token}/cart/submit": () => ({ status: 201, body: { order: order() } }),
    }));
    const table = open("table");
    await table.instance.onLoad({ scene: TOKEN });
    await settle();
    table.querySelector(".cart-btn").dispatchEvent("tap");
    await settle();
    expect(text(table, ".line .name")).toEqual(["宫保鸡丁", "水煮鱼"]);
    expect(text(table, ".line .who")).toEqual(["我点的", "2号"]);
    table.querySelector(".send").dispatchEvent("tap");
    await settle();
    expect(fake.requests.some((r) => r.path.endsWith("/cart/submit") && r.data.client_key)).toBe(true);
    expect(fake.wx.navigateTo).toHaveBeenCalledWith({ url: `/pages/orders/index?token=${encodeURIComponent(TOKEN)}` });
  });

  test("the orders page follows each round's status and pays the check with wx.requestPayment", async () => {
    config.sandbox = false;
    let status = "submitted";
    let due = 3800;
    fake = installWx(server({
      "GET /api/v1/table-sessions/{session_id}": () => ({ body: check({ due, paid: 3800 - due,
        orders: [order({ status })] }) }),
      "POST /api/v1/table-sessions/{session_id}/payments": () => ({ status: 201, body: {
        payment: { id: 1, out_trade_no: "DC3-9", amount: 3800, status: "paying" },
        request_payment: { appId: "wx1", timeStamp: "1", nonceStr: "n", package: "prepay_id=wx9", signType: "RSA",
          paySign: "s" } } }),
    }));
    global.__app.globalData.visit = { token: TOKEN, store, table: { code: "A3" }, session: { id: 9 } };
    const orders = open("orders");
    await orders.instance.onLoad({ token: TOKEN });
    await settle();
    expect(text(orders, ".status")).toEqual(["已下单"]);
    expect(text(orders, ".due")).toEqual(["¥38.00"]);
    status = "preparing";
    orders.instance.poller.poke();
    await settle();
    expect(text(orders, ".status")).toEqual(["制作中"]);
    fake.wx.requestPayment.mockImplementationOnce((opts) => { due = 0; opts.success({}); });
    orders.querySelector(".pay-check").dispatchEvent("tap");
    await settle();
    expect(fake.wx.requestPayment).toHaveBeenCalledWith(expect.objectContaining({ package: "prepay_id=wx9",
      signType: "RSA", paySign: "s" }));
    expect(text(orders, ".due")).toEqual(["¥0.00"]);
    expect(orders.querySelector(".pay-check")).toBeUndefined();
    expect(fake.wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: "支付成功" }));
  });

  test("calling the waiter and asking for the bill post to the table's calls", async () => {
    const kinds = [];
    fake = installWx(server({
      "GET /api/v1/table-sessions/{session_id}": () => ({ body: check() }),
      "POST /api/v1/tables/{qr_token}/calls": ({ data }) => { kinds.push(data.kind); return { status: 201, body: { call: { id: 1 } } }; },
    }));
    global.__app.globalData.visit = { token: TOKEN, store, table: { code: "A3" }, session: { id: 9 } };
    const orders = open("orders");
    await orders.instance.onLoad({});
    await settle();
    for (const button of orders.querySelectorAll(".actions .btn")) button.dispatchEvent("tap");
    await settle();
    expect(kinds).toEqual(["waiter", "bill"]);
  });

  test("my data shows what is kept and deleting it forgets the login", async () => {
    fake = installWx(server({
      "GET /api/v1/diner/me/data": () => ({ body: { diner: { created_at: "2026-12-01T12:00:00+08:00",
        last_seen_at: "2026-12-03T19:30:00+08:00" }, orders: [{}, {}] } }),
      "DELETE /api/v1/diner/me": () => ({ status: 204 }),
    }));
    const me = open("me");
    await me.instance.onLoad();
    await settle();
    expect(text(me, ".first")).toEqual(["2026-12-01 12:00"]);
    expect(text(me, ".orders")).toEqual(["2"]);
    me.querySelector(".forget").dispatchEvent("tap");
    await settle();
    expect(text(me, ".done")).toEqual(["您的数据已删除。"]);
    expect(fake.storage.has("diancan.diner")).toBe(false);
  });

  test("the privacy guide appears when WeChat asks, and agreeing lets WeChat's call go on", async () => {
    const privacy = require("../lib/privacy");
    fake = installWx(server());
    let need;
    fake.wx.onNeedPrivacyAuthorization.mockImplementation((handler) => { need = handler; });
    privacy.install();
    const table = open("table");
    await table.instance.onLoad({ scene: TOKEN });
    await settle();
    const resolve = jest.fn();
    need(resolve);
    await settle();
    const sheet = table.querySelector("#privacy");
    expect(text(sheet, ".text")[0]).toContain("在川味小厨点餐前");
    sheet.querySelector(".agree").dispatchEvent("agreeprivacyauthorization");
    await settle();
    expect(resolve).toHaveBeenCalledWith({ event: "agree", buttonId: "agree-privacy" });
    expect(table.querySelector("#privacy")).toBeUndefined();
  });

  afterAll(() => {
    // Every request the pages made is one of the routes in lib/routes.js (checked against the
    // server's OpenAPI document by tests/api/test_miniprogram_routes.py).
    const known = Object.values({ ...ROUTES, ...SANDBOX_ROUTES }).map(([method, template]) =>
      new RegExp(`^${method} ${template.replace(/\{\w+\}/g, "[^/]+")}$`));
    const unknown = allRequests.map((r) => `${r.method} ${r.path}`).filter((req) => !known.some((re) => re.test(req)));
    expect(unknown).toEqual([]);
    expect(allRequests.length).toBeGreaterThan(20);
  });
});
