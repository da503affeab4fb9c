// The mini-program speaks the diner's language: Chinese by default, English when WeChat runs in
// English, every text from the project's catalogue (lib/catalogue.js is written from the .po).
const i18n = require("../lib/i18n");
const strings = require("../lib/strings");
const catalogue = require("../lib/catalogue");
const { checkView } = require("../lib/check");
const { optionsView, findItem } = require("../lib/menu");
const { menu } = require("./fixtures");

function withLanguage(language) {
  global.wx = Object.assign(global.wx || {}, { getAppBaseInfo: () => ({ language }) });
  i18n.setLanguage(null);
}

afterEach(() => {
  delete global.wx.getAppBaseInfo;
  i18n.setLanguage(null);
});

describe("the mini-program's language", () => {
  test("Chinese when WeChat says zh_CN or says nothing", () => {
    withLanguage("zh_CN");
    expect(i18n.language()).toBe("zh_CN");
    expect(i18n.t("orderNumber", { n: 12 })).toBe("第 12 单");
    withLanguage("");
    expect(i18n.t("askBill")).toBe("请求结账");
  });

  test("English when WeChat runs in English: the catalogue's source text, placeholders filled", () => {
    withLanguage("en");
    expect(i18n.t("orderNumber", { n: 12 })).toBe("Order 12");
    expect(i18n.t("payWechat", { amount: "¥38.00" })).toBe("Pay ¥38.00 with WeChat");
    const fish = findItem(menu, 12);
    expect(optionsView(fish, []).groups[0].hint).toBe("Choose 1");
    const view = checkView({ id: 1, total: 3800, paid: 0, due: 3800, status: "open",
      orders: [{ id: 5, number: 7, status: "preparing", payment_status: "unpaid", total: 3800, items: [] }] }, "pay_later");
    expect(view.orders[0]).toMatchObject({ numberText: "Order 7", statusText: "Cooking", paymentText: "Unpaid" });
  });

  test("every text has its Chinese in the catalogue, with the same placeholders", () => {
    const zh = catalogue.zh_CN;
    for (const source of Object.values(strings)) {
      expect(zh[source]).toBeTruthy();
      const names = (text) => (text.match(/\{\w+\}/g) || []).sort();
      expect(names(zh[source])).toEqual(names(source));
    }
  });

  test("errors are told by the contract's code, never with the server's English message", () => {
    withLanguage("zh_CN");
    const sold = { code: "sold_out", message: "矿泉水 is sold out" };
    expect(i18n.errorText(sold, "addFailed")).toBe("已售罄");
    expect(i18n.errorText({ code: "overloaded", message: "try later" }, "sendFailed")).toBe("餐厅当前繁忙，请稍后再试");
    expect(i18n.errorText({ code: "invalid_state", message: "the check is closed" }, "sendFailed")).toBe("下单失败，请重试");
    expect(i18n.errorText({ code: "network_error", message: "request:fail timeout" })).toBe("网络不佳，请稍后再试");
  });

  test("an unknown text is a programming error, not a blank on the screen", () => {
    expect(() => i18n.t("noSuchText")).toThrow("no text noSuchText");
  });
});
