// The diner's login: wx.login's code → POST /api/v1/diner/login → a bearer token, kept in storage
// until shortly before it expires. The server never returns openid or session_key, and the
// mini-program never asks for them. A call answered 401 logs in again once and is repeated.
const api = require("./api");
const config = require("./config");

const KEY = "diancan.diner";
const MARGIN_MS = 60 * 1000;  // renew a minute before the server would refuse the token

function wxLoginCode() {
  return new Promise((resolve, reject) => {
    wx.login({
      success: (res) => (res.code ? resolve(res.code) : reject(new api.ApiError(0, "login_failed", res.errMsg))),
      fail: (res) => reject(new api.ApiError(0, "login_failed", res && res.errMsg)),
    });
  });
}

// In sandbox mode the server's sandbox plays the WeChat app: a stable user name per phone.
async function sandboxCode() {
  let user = wx.getStorageSync("diancan.sandbox_user");
  if (!user) {
    user = `mp-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    wx.setStorageSync("diancan.sandbox_user", user);
  }
  const { code } = await api.call("sandboxLogin", {}, { user });
  return code;
}

function saved(now) {
  const kept = wx.getStorageSync(KEY);
  if (kept && kept.token && kept.expiresAt - MARGIN_MS > now) return kept;
  return null;
}

async function login(now = Date.now()) {
  const code = config.sandbox ? await sandboxCode() : await wxLoginCode();
  const answer = await api.call("login", {}, { code });
  const kept = { token: answer.token, dinerId: answer.diner.id, expiresAt: now + answer.expires_in * 1000 };
  wx.setStorageSync(KEY, kept);
  return kept;
}

async function token(now = Date.now()) {
  const kept = saved(now);
  return kept ? kept.token : (await login(now)).token;
}

function forget() {
  wx.removeStorageSync(KEY);
}

// An authenticated call: with the kept token, or a fresh login when there is none or it is refused.
async function authed(name, params, body) {
  try {
    return await api.call(name, params, body, await token());
  } catch (err) {
    if (err.status !== 401) throw err;
    forget();
    return api.call(name, params, body, (await login()).token);
  }
}

module.exports = { authed, forget, login, token, KEY };
