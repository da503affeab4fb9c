// The diner page's shared ground: the catalogue, the page state, WeChat login, screens, banners, sheets.
import { ApiError, request } from "../dom.js";

export const T = JSON.parse(document.getElementById("i18n").textContent);
export const app = document.getElementById("app");
export const tableToken = app.dataset.tableToken;
export const $ = (id) => document.getElementById(id);
export const PENDING_KEY = `diancan.pending.${tableToken}`;
export const SESSION_KEY = `diancan.check.${tableToken}`;
export const tablePath = (rest = "") => `/api/v1/tables/${encodeURIComponent(tableToken)}${rest}`;

export const state = {
  token: localStorage.getItem("diancan.diner"),
  store: null, table: null, menu: [], items: new Map(),
  cart: { lines: [], total: 0, me: null }, orders: [], sessionId: null,
  sending: false, socket: null,
};


export const api = (path, { auth = true, ...opts } = {}) => request(path, { ...opts, token: auth ? state.token : null });

// -- login through WeChat (the sandbox stands in for wx.login outside the mini-program) ---------
export async function login() {
  if (app.dataset.sandbox !== "1") throw new ApiError(401, { error: { message: T.open_in_wechat } });
  let user = localStorage.getItem("diancan.user");
  if (!user) {
    user = `h5-${crypto.randomUUID()}`;
    localStorage.setItem("diancan.user", user);
  }
  const { code } = await api("/wechat-sandbox/login", { method: "POST", body: { user }, auth: false });
  const { token } = await api("/api/v1/diner/login", { method: "POST", body: { code }, auth: false });
  state.token = token;
  localStorage.setItem("diancan.diner", token);
}

export async function authed(path, opts) {
  try {
    return await api(path, opts);
  } catch (err) {
    if (err.status !== 401) throw err;
    await login();
    return api(path, opts);
  }
}
// -- screens: loading, error, menu -----------------------------------------------------------
export function show(which) {
  for (const id of ["loading", "error", "menu", "orders"]) $(id).hidden = id !== which;
  $("cartbar").hidden = which !== "menu";
  $("tabs").hidden = !["menu", "orders"].includes(which);
  $("tab-menu").setAttribute("aria-selected", String(which === "menu"));
  $("tab-orders").setAttribute("aria-selected", String(which === "orders"));
}
$("tab-menu").onclick = () => show("menu");
$("tab-orders").onclick = () => show("orders");

// ``retry``: only where trying again can help (the network); an unknown table code cannot.
export function showError(message, { retry = false } = {}) {
  $("error-text").textContent = message;
  $("retry").hidden = !retry;
  show("error");
}

export function banner(text, kind = "info", ms = 3500) {
  const b = $("banner");
  b.textContent = text; b.className = `banner ${kind}`; b.hidden = false;
  clearTimeout(banner.timer);
  if (ms) banner.timer = setTimeout(() => { b.hidden = true; }, ms);
}

// -- sheets ----------------------------------------------------------------------------------
export function openSheet(id) {
  $("sheet-backdrop").hidden = false;
  $(id).hidden = false;
  $(id).querySelector("button:not([disabled])")?.focus();
}
export function closeSheets() {
  document.querySelectorAll(".sheet").forEach((sheet) => { sheet.hidden = true; });
  $("sheet-backdrop").hidden = true;
}
$("sheet-backdrop").onclick = closeSheets;
document.querySelectorAll("[data-close]").forEach((b) => { b.onclick = closeSheets; });
document.addEventListener("keydown", (e) => { if (e.key === "Escape") closeSheets(); });
