// The diner's language: Simplified Chinese unless WeChat runs in another language, then English
// (the catalogue's source). t("key", {n: 2}) is one text; texts() is all of them for a page's data.
const strings = require("./strings");
const catalogue = require("./catalogue");

let chosen = null;

function systemLanguage() {
  try {
    if (typeof wx.getAppBaseInfo === "function") return wx.getAppBaseInfo().language || "";
    if (typeof wx.getSystemInfoSync === "function") return wx.getSystemInfoSync().language || "";
  } catch (err) {
    // an old base library without either: the default below
  }
  return "";
}

// "zh_CN" (WeChat's spelling), "zh-Hans", "" → Chinese; "en", "en_US" → English.
function language() {
  if (chosen) return chosen;
  const lang = systemLanguage().toLowerCase();
  chosen = !lang || lang.startsWith("zh") ? "zh_CN" : "en";
  return chosen;
}

function setLanguage(lang) {
  chosen = lang || null;
}

function fill(text, params) {
  return text.replace(/\{(\w+)\}/g, (whole, name) => (params && params[name] !== undefined ? String(params[name]) : whole));
}

function t(key, params) {
  const source = strings[key];
  if (source === undefined) throw new Error(`no text ${key}`);
  const table = catalogue[language()] || {};
  return fill(table[source] || source, params);
}

function texts() {
  const all = {};
  for (const key of Object.keys(strings)) all[key] = t(key);
  return all;
}

// What to tell the diner about a failed call: by the contract's stable error code, never the
// server's English message; `fallback` names the text for anything else.
const BY_CODE = { network_error: "networkPoor", sold_out: "soldOut", overloaded: "tooBusy", rate_limited: "tooBusy",
  no_table: "scanTableCode" };

function errorText(err, fallback) {
  const key = err && BY_CODE[err.code];
  return t(key || fallback || "failed");
}

module.exports = { errorText, language, setLanguage, t, texts };
