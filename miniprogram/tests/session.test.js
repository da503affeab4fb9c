const config = require("../lib/config");
const session = require("../lib/session");
const { login } = require("./fixtures");
const { installWx } = require("./wx-mock");

describe("logging in", () => {
  let fake;
  beforeEach(() => {
    config.sandbox = false;
    fake = installWx({ "POST /api/v1/diner/login": () => ({ body: login }) });
  });
  afterAll(() => { config.sandbox = true; });

  test("wx.login's code goes to /api/v1/diner/login and the token is kept, not openid", async () => {
    expect(await session.token(1000)).toBe("diner-token-1");
    expect(fake.wx.login).toHaveBeenCalledTimes(1);
    expect(fake.requests).toEqual([expect.objectContaining({ method: "POST", path: "/api/v1/diner/login",
      data: { code: "wx-login-code" } })]);
    const kept = fake.storage.get(session.KEY);
    expect(kept).toEqual({ token: "diner-token-1", dinerId: 77, expiresAt: 1000 + 7200 * 1000 });
    expect(JSON.stringify([...fake.storage.values()])).not.toMatch(/openid|session_key/);
  });

  test("the kept token is used until a minute before it expires, then a new login", async () => {
    await session.token(0);
    await session.token(7200 * 1000 - 61 * 1000);
    expect(fake.wx.login).toHaveBeenCalledTimes(1);
    await session.token(7200 * 1000 - 30 * 1000);
    expect(fake.wx.login).toHaveBeenCalledTimes(2);
  });

  test("a call refused with 401 logs in again once and is repeated with the new token", async () => {
    fake.storage.set(session.KEY, { token: "expired-on-server", expiresAt: Date.now() + 3600 * 1000 });
    fake.server["GET /api/v1/diner/me/data"] = ({ header }) => (header.Authorization === "Bearer diner-token-1"
      ? { body: { diner: {}, orders: [] } } : { status: 401, body: { error: { code: "unauthorized" } } });
    await expect(session.authed("myData", {})).resolves.toEqual({ diner: {}, orders: [] });
    expect(fake.wx.login).toHaveBeenCalledTimes(1);
  });

  test("in sandbox mode the server's sandbox plays wx.login, with one user name per phone", async () => {
    config.sandbox = true;
    const users = [];
    fake.server["POST /wechat-sandbox/login"] = ({ data }) => { users.push(data.user); return { body: { code: "sb-code" } }; };
    await session.login();
    await session.login();
    expect(fake.wx.login).not.toHaveBeenCalled();
    expect(users).toHaveLength(2);
    expect(users[0]).toBe(users[1]);
  });
});
