// WeChat's privacy guide: with "__usePrivacyCheck__": true in app.json, WeChat asks the
// mini-program to show its own privacy notice before the first privacy-related call
// (wx.onNeedPrivacyAuthorization), and the diner's tap on a button with
// open-type="agreePrivacyAuthorization" lets the call go on. The table page also asks up front
// with wx.requirePrivacyAuthorize, so the notice comes before ordering, not in the middle of it.
let pending = null;  // WeChat's resolve function while the notice is on screen
let show = null;     // the page's way to show the notice (set by the page on screen)

function install() {
  if (!wx.onNeedPrivacyAuthorization) return;  // base library older than 2.32.3: nothing to do
  wx.onNeedPrivacyAuthorization((resolve) => {
    pending = resolve;
    if (show) show();
  });
}

function attach(showNotice) {
  show = showNotice;
  if (pending && show) show();
}

function detach(showNotice) {
  if (show === showNotice) show = null;
}

function answer(agreed, buttonId) {
  if (!pending) return;
  const resolve = pending;
  pending = null;
  resolve(agreed ? { event: "agree", buttonId } : { event: "disagree" });
}

function ask() {
  return new Promise((resolve) => {
    if (!wx.requirePrivacyAuthorize) return resolve(true);
    wx.requirePrivacyAuthorize({ success: () => resolve(true), fail: () => resolve(false) });
  });
}

module.exports = { answer, ask, attach, detach, install };
