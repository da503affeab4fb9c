const config = require("../lib/config");
const payLib = require("../lib/pay");
const { login, requestPayment } = require("./fixtures");
const { installWx } = require("./wx-mock");

describe("paying with WeChat Pay", () => {
  let fake;
  beforeEach(() => {
    config.sandbox = false;
    fake = installWx({
      "POST /api/v1/diner/login": () => ({ body: login }),
      "POST /api/v1/table-sessions/{session_id}/payments": () => ({ status: 201,
        body: { payment: { id: 5, out_trade_no: "DC3-1", amount: 3800, status: "paying" }, request_payment: requestPayment } }),
      "POST /api/v1/orders/{order_id}/payments": () => ({ status: 201,
        body: { payment: { id: 6, out_trade_no: "DC3-2", amount: 3800, status: "paying" }, request_payment: requestPayment } }),
    });
  });
  afterAll(() => { config.sandbox = true; });

  test("wx.requestPayment gets the contract's request_payment, and the client key is dropped once paid", async () => {
    const result = await payLib.pay({ sessionId: 9 }, "¥38.00");
    expect(result.outcome).toBe("paid");
    expect(fake.wx.requestPayment).toHaveBeenCalledWith(expect.objectContaining({ timeStamp: "1764739200",
      nonceStr: "abc", package: "prepay_id=wx0312", signType: "RSA", paySign: "c2lnbmF0dXJl" }));
    expect(fake.requests.find((r) => r.path === "/api/v1/table-sessions/9/payments").data.client_key).toBeTruthy();
    expect(fake.storage.has(payLib.keyFor({ sessionId: 9 }))).toBe(false);
  });

  test("a diner who cancels WeChat's sheet pays the same payment next time (same client key)", async () => {
    fake.wx.requestPayment.mockImplementationOnce(({ fail }) => fail({ errMsg: "requestPayment:fail cancel" }));
    expect((await payLib.pay({ orderId: 40 }, "¥38.00")).outcome).toBe("cancelled");
    await payLib.pay({ orderId: 40 }, "¥38.00");
    const keys = fake.requests.filter((r) => r.path === "/api/v1/orders/40/payments").map((r) => r.data.client_key);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
  });

  test("in sandbox mode the sandbox's confirm stands in for WeChat's sheet", async () => {
    config.sandbox = true;
    fake.server["POST /wechat-sandbox/login"] = () => ({ body: { code: "c" } });
    fake.server["POST /wechat-sandbox/pay/confirm"] = ({ data }) => ({ body: { status: data.package === "prepay_id=wx0312" ? "SUCCESS" : "NO" } });
    expect((await payLib.pay({ sessionId: 9 }, "¥38.00")).outcome).toBe("paid");
    expect(fake.wx.requestPayment).not.toHaveBeenCalled();
    expect(fake.wx.showModal).toHaveBeenCalledWith(expect.objectContaining({ content: "支付 ¥38.00" }));
  });
});
