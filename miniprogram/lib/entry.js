// How a diner arrives at a table: the table's mini-program code (wxacode.getUnlimited) opens
// pages/table/index with `scene` = the table's QR token; a scanned QR link
// ({PUBLIC_BASE_URL}/t/{token}, bound to the mini-program as "扫普通链接二维码打开小程序") opens it
// with `q` = the whole link, URL-encoded. Both arrive URL-encoded in the page's options.
const TOKEN = /^[0-9A-Za-z._~-]{1,64}$/;

function decode(value) {
  try {
    return decodeURIComponent(String(value));
  } catch (err) {
    return "";
  }
}

function tokenFromLink(link) {
  const match = /\/t\/([^/?#]+)/.exec(link);
  return match ? decode(match[1]) : "";
}

// The QR token a launch carries, or "" when it carries none (opened from the list, shared, …).
function tokenFromLaunch(options) {
  const opts = options || {};
  let token = "";
  if (opts.scene) token = decode(opts.scene);
  else if (opts.q) token = tokenFromLink(decode(opts.q));
  else if (opts.token) token = decode(opts.token);  // our own navigation between pages
  return TOKEN.test(token) ? token : "";
}

module.exports = { tokenFromLaunch, tokenFromLink };
