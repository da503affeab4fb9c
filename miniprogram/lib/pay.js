// Paying with WeChat Pay: our server creates the payment and signs the contract's
// `request_payment`; wx.requestPayment shows WeChat's sheet; the payment notify reaches our
// server, which credits it — the phone only waits to see the check paid.
const api = require("./api");
const config = require("./config");
const { t } = require("./i18n");
const session = require("./session");

function keyFor(target) {
  return `diancan.pay.${target.orderId ? `o${target.orderId}` : `s${target.sessionId}`}`;
}

function requestPayment(rp) {
  return new Promise((resolve, reject) => {
    wx.requestPayment({
      timeStamp: rp.timeStamp,
      nonceStr: rp.nonceStr,
      package: rp.package,
      signType: rp.signType,
      paySign: rp.paySign,
      success: () => resolve("paid"),
      fail: (res) => (res && /cancel/.test(res.errMsg || "") ? resolve("cancelled") : reject(new api.ApiError(0, "pay_failed", res && res.errMsg))),
    });
  });
}

// The sandbox's stand-in for WeChat's sheet: a confirm dialog, then the sandbox pays.
function sandboxSheet(rp, amountText) {
  return new Promise((resolve, reject) => {
    wx.showModal({
      title: t("sandboxPayTitle"),
      content: t("sandboxPayContent", { amount: amountText }),
      confirmText: t("sandboxPayConfirm"),
      success: (res) => {
        if (!res.confirm) return resolve("cancelled");
        api.call("sandboxConfirm", {}, { package: rp.package }).then(() => resolve("paid"), reject);
      },
      fail: reject,
    });
  });
}

// Pay an order (pay first) or the check (pay later). The client key is kept until paid, so a
// second tap after a lost answer is the same payment, never a second one.
async function pay(target, amountText) {
  const key = keyFor(target);
  let clientKey = wx.getStorageSync(key);
  if (!clientKey) {
    clientKey = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
    wx.setStorageSync(key, clientKey);
  }
  const answer = target.orderId
    ? await session.authed("payOrder", { order_id: target.orderId }, { client_key: clientKey })
    : await session.authed("payCheck", { session_id: target.sessionId }, { client_key: clientKey });
  const rp = answer.request_payment;
  const outcome = config.sandbox ? await sandboxSheet(rp, amountText) : await requestPayment(rp);
  if (outcome === "paid") wx.removeStorageSync(key);
  return { outcome, payment: answer.payment };
}

module.exports = { keyFor, pay, requestPayment };
