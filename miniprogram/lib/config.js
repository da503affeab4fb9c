// Where the mini-program finds the Diancan server. For local development against `make run`,
// keep the defaults and tick "不校验合法域名…" in WeChat's developer tool (see README).
// In production: apiBase = the HTTPS origin registered as the mini-program's request domain,
// sandbox = false.
module.exports = {
  apiBase: "http://127.0.0.1:5000",
  // true: log in and pay through the server's WeChat sandbox instead of wx.login's real code and
  // wx.requestPayment's real sheet (the sandbox does not know codes issued by WeChat).
  sandbox: true,
  requestTimeout: 10000,
};
