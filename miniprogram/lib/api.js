// The Diancan API over wx.request: JSON in and out, the diner's bearer token, the contract's
// errors as ApiError. Only the routes in lib/routes.js are ever called.
const { ROUTES, SANDBOX_ROUTES } = require("./routes");
const config = require("./config");

class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code || "request failed");
    this.status = status;
    this.code = code;
  }
}

function fillPath(template, params) {
  return template.replace(/\{(\w+)\}/g, (_, name) => {
    if (params[name] === undefined || params[name] === null) throw new Error(`missing path parameter ${name}`);
    return encodeURIComponent(String(params[name]));
  });
}

function request(method, path, { data, token, timeout } = {}) {
  const header = { Accept: "application/json" };
  if (data !== undefined) header["Content-Type"] = "application/json";
  if (token) header.Authorization = `Bearer ${token}`;
  return new Promise((resolve, reject) => {
    wx.request({
      url: config.apiBase + path,
      method,
      data,
      header,
      timeout: timeout || config.requestTimeout,
      success(res) {
        if (res.statusCode >= 200 && res.statusCode < 300) {
          resolve(res.statusCode === 204 ? null : res.data);
          return;
        }
        const err = (res.data && res.data.error) || {};
        reject(new ApiError(res.statusCode, err.code || "http_error", err.message));
      },
      fail(res) {
        reject(new ApiError(0, "network_error", (res && res.errMsg) || "network error"));
      },
    });
  });
}

// call("cartAdd", { qr_token }, body, token): one route of the API by its name.
function call(name, params, body, token) {
  const route = ROUTES[name] || SANDBOX_ROUTES[name];
  if (!route) throw new Error(`unknown route ${name}`);
  return request(route[0], fillPath(route[1], params || {}), { data: body, token });
}

module.exports = { ApiError, call, fillPath };
