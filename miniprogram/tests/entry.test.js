const { tokenFromLaunch, tokenFromLink } = require("../lib/entry");
const { TOKEN } = require("./fixtures");

describe("arriving at a table", () => {
  test("a table's mini-program code gives the QR token as scene, URL-encoded", () => {
    expect(tokenFromLaunch({ scene: encodeURIComponent(TOKEN) })).toBe(TOKEN);
  });

  test("a scanned QR link gives the whole link as q; the token is its /t/ part", () => {
    const link = `https://order.example.com/t/${TOKEN}`;
    expect(tokenFromLaunch({ q: encodeURIComponent(link) })).toBe(TOKEN);
    expect(tokenFromLink(`${link}?from=poster`)).toBe(TOKEN);
  });

  test("scene wins over q, and our own navigation passes token", () => {
    expect(tokenFromLaunch({ scene: TOKEN, q: encodeURIComponent("https://x/t/other.1.x") })).toBe(TOKEN);
    expect(tokenFromLaunch({ token: TOKEN })).toBe(TOKEN);
  });

  test("no code, a link without /t/, broken encoding or odd characters give no token", () => {
    expect(tokenFromLaunch({})).toBe("");
    expect(tokenFromLaunch(undefined)).toBe("");
    expect(tokenFromLaunch({ q: encodeURIComponent("https://order.example.com/console") })).toBe("");
    expect(tokenFromLaunch({ scene: "%E0%A4%A" })).toBe("");
    expect(tokenFromLaunch({ scene: encodeURIComponent("1.1.<script>") })).toBe("");
  });
});
