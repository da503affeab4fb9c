// A fake WeChat for the tests: wx.* as jest mocks over an in-memory storage and a fake Diancan
// server (routes keyed "METHOD /path"). Every request is recorded, so tests can check what the
// mini-program asked of the server.
const config = require("../lib/config");

function installWx(handlers = {}) {
  const storage = new Map();
  const requests = [];
  const server = { ...handlers };
  const wx = {
    request: jest.fn((opts) => {
      const path = opts.url.slice(config.apiBase.length);
      const route = `${opts.method} ${path}`;
      requests.push({ method: opts.method, path, data: opts.data, header: opts.header });
      const handler = server[route] || Object.entries(server).find(([key]) => matches(key, route))?.[1];
      Promise.resolve().then(() => {
        if (!handler) return opts.success({ statusCode: 404, data: { error: { code: "not_found", message: route } } });
        const answer = handler({ data: opts.data, header: opts.header, path });
        if (answer === "network") return opts.fail({ errMsg: "request:fail timeout" });
        return opts.success({ statusCode: answer.status || 200, data: answer.body });
      });
    }),
    login: jest.fn(({ success }) => success({ code: "wx-login-code" })),
    getStorageSync: jest.fn((key) => (storage.has(key) ? storage.get(key) : "")),
    setStorageSync: jest.fn((key, value) => storage.set(key, value)),
    removeStorageSync: jest.fn((key) => storage.delete(key)),
    requestPayment: jest.fn(({ success }) => success({ errMsg: "requestPayment:ok" })),
    showModal: jest.fn(({ success }) => success({ confirm: true })),
    showToast: jest.fn(),
    navigateTo: jest.fn(),
    setNavigationBarTitle: jest.fn(),
    stopPullDownRefresh: jest.fn(),
    requirePrivacyAuthorize: jest.fn(({ success }) => success()),
    onNeedPrivacyAuthorization: jest.fn(),
  };
  global.wx = Object.assign(global.wx || {}, wx);
  global.getApp = () => global.__app || (global.__app = { globalData: {} });
  return { wx: global.wx, storage, requests, server };
}

// "GET /api/v1/tables/{qr_token}" style keys match concrete paths.
function matches(key, route) {
  if (!key.includes("{")) return false;
  const pattern = new RegExp(`^${key.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{\w+\}/g, "[^/]+")}$`);
  return pattern.test(route);
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

module.exports = { installWx, flush };
