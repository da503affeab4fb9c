const cartLib = require("../lib/cart");
const { TOKEN, cart, line, login, order } = require("./fixtures");
const { installWx } = require("./wx-mock");

describe("the shared cart", () => {
  let fake;
  beforeEach(() => {
    fake = installWx({ "POST /wechat-sandbox/login": () => ({ body: { code: "c" } }),
      "POST /api/v1/diner/login": () => ({ body: login }) });
  });

  test("lines show who added them, options, totals; a sold-out line blocks ordering", () => {
    const view = cartLib.cartView(cart([
      line({ id: 1, qty: 2, line_total: 7600 }),
      line({ id: 2, name: "水煮鱼", diner: 2, options: [{ id: 51, name: "微辣" }, { id: 61, name: "豆腐" }],
        line_total: 7100, available: false, problem: "sold_out" }),
    ]).cart);
    expect(view.count).toBe(3);
    expect(view.totalText).toBe("¥147.00");
    expect(view.lines[0]).toMatchObject({ mine: true, totalText: "¥76.00" });
    expect(view.lines[1]).toMatchObject({ mine: false, who: "2号", optionsText: "微辣、豆腐", problem: "已售罄" });
    expect(view.orderable).toBe(false);
    expect(cartLib.cartView(null)).toMatchObject({ lines: [], count: 0, orderable: false });
  });

  test("an older cart never replaces a newer one: a lower revision, an earlier check, or none", () => {
    const shown = cartLib.cartView({ ...cart([line({ id: 1 })]).cart, table_session_id: 7, revision: 5 });
    const on = (id, revision) => ({ ...cart([]).cart, table_session_id: id, revision });
    expect(cartLib.isStale(shown, on(7, 4))).toBe(true);
    expect(cartLib.isStale(shown, on(7, 5))).toBe(false);
    expect(cartLib.isStale(shown, on(7, 6))).toBe(false);
    expect(cartLib.isStale(shown, on(6, 9))).toBe(true);
    expect(cartLib.isStale(shown, on(null, 0))).toBe(true);
    expect(cartLib.isStale(shown, on(8, 1))).toBe(false);  // the table's next check
    expect(cartLib.isStale(cartLib.cartView(null), on(7, 1))).toBe(false);
    const sent = cartLib.sentView(shown);  // the round went: empty, and newer than a poll sent before it
    expect(sent).toMatchObject({ count: 0, sessionId: 7, revision: 6 });
    expect(cartLib.isStale(sent, { ...cart([line({ id: 1 })]).cart, table_session_id: 7, revision: 5 })).toBe(true);
  });

  test("adding a dish and changing a quantity carry the line's version", async () => {
    fake.server["POST /api/v1/tables/{qr_token}/cart/lines"] = ({ data }) => ({ body: cart([line({ option_ids: data.option_ids })]) });
    fake.server["POST /api/v1/tables/{qr_token}/cart/lines/{line_id}"] = ({ data }) => ({ body: cart([line({ qty: data.qty })]) });
    const added = await cartLib.add(TOKEN, 12, 1, [51], "");
    expect(added.lines[0].option_ids).toEqual([51]);
    await cartLib.setQty(TOKEN, { id: 1, version: 4 }, 3);
    const sent = fake.requests.filter((r) => r.path.includes("/cart/lines"));
    expect(sent[0]).toMatchObject({ method: "POST", path: `/api/v1/tables/${encodeURIComponent(TOKEN)}/cart/lines`,
      data: { item_id: 12, qty: 1, option_ids: [51], note: "" } });
    expect(sent[1]).toMatchObject({ method: "POST", path: `/api/v1/tables/${encodeURIComponent(TOKEN)}/cart/lines/1`,
      data: { qty: 3, version: 4 } });
  });

  test("a round whose answer was lost is sent again with the same client key, then the key is dropped", async () => {
    let attempts = 0;
    fake.server["POST /api/v1/tables/{qr_token}/cart/submit"] = () => (++attempts === 1 ? "network" : { status: 201, body: { order: order() } });
    await expect(cartLib.submit(TOKEN, "")).rejects.toMatchObject({ code: "network_error" });
    await expect(cartLib.submit(TOKEN, "")).resolves.toMatchObject({ id: 40 });
    const keys = fake.requests.filter((r) => r.path.endsWith("/cart/submit")).map((r) => r.data.client_key);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
    expect(fake.storage.has(`diancan.round.${TOKEN}`)).toBe(false);
  });
});
