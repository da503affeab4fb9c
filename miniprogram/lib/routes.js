// Every route of the Diancan API the mini-program calls, and nothing else: lib/api.js calls
// only these, and tests/api/test_miniprogram_routes.py checks each against the OpenAPI document.
const ROUTES = {
  login: ["POST", "/api/v1/diner/login"],
  table: ["GET", "/api/v1/tables/{qr_token}"],
  menu: ["GET", "/api/v1/stores/{store_id}/menu"],
  cart: ["GET", "/api/v1/tables/{qr_token}/cart"],
  cartAdd: ["POST", "/api/v1/tables/{qr_token}/cart/lines"],
  // wx.request cannot send PATCH: the API takes POST on the same path for the same change.
  cartQty: ["POST", "/api/v1/tables/{qr_token}/cart/lines/{line_id}"],
  cartSubmit: ["POST", "/api/v1/tables/{qr_token}/cart/submit"],
  check: ["GET", "/api/v1/table-sessions/{session_id}"],
  order: ["GET", "/api/v1/orders/{order_id}"],
  payOrder: ["POST", "/api/v1/orders/{order_id}/payments"],
  payCheck: ["POST", "/api/v1/table-sessions/{session_id}/payments"],
  callWaiter: ["POST", "/api/v1/tables/{qr_token}/calls"],
  myData: ["GET", "/api/v1/diner/me/data"],
  forgetMe: ["DELETE", "/api/v1/diner/me"],
};

// The sandbox's stand-ins for what the WeChat app does on the phone (sandbox mode only).
const SANDBOX_ROUTES = {
  sandboxLogin: ["POST", "/wechat-sandbox/login"],
  sandboxConfirm: ["POST", "/wechat-sandbox/pay/confirm"],
};

module.exports = { ROUTES, SANDBOX_ROUTES };
