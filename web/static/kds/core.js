// What every part of the kitchen display shares: its strings, its state, the API and small helpers.
import { el, fmt, request } from "../dom.js";

export const T = JSON.parse(document.getElementById("i18n").textContent);
export const root = document.getElementById("kds");
export const $ = (id) => document.getElementById(id);
export const OPEN = new Set(["new", "cooking", "done"]);
export const PENDING = "diancan.kds.pending-bumps";

export const st = {
  token: localStorage.getItem("diancan.kds.token"),
  stations: JSON.parse(localStorage.getItem("diancan.kds.stations") || "null"),
  sound: localStorage.getItem("diancan.kds.sound") !== "off",
  warn: Number(root.dataset.warn) * 60, late: Number(root.dataset.late) * 60,  // until the store's own arrive
  stationNames: new Map(),
  // the store's (Asia/Shanghai by default), kept from the last settings that arrived; before any, the PC's
  timeZone: localStorage.getItem("diancan.kds.tz") || undefined,
  tickets: new Map(), gone: new Map(), baseline: 0, complete: new Map(),
  resuming: false, dirty: false, socket: null, selected: 0, audio: null,
  keys: new Map(),  // card id -> bump key 1–9, kept until the card leaves so a bump never moves keys
  pending: new Set(JSON.parse(localStorage.getItem(PENDING) || "[]")),  // bumps made offline, by ticket id
};

// Parts register what they do on change here, so modules need not import each other in a circle.
export const hooks = { render: () => {}, refreshAllDay: () => {}, refreshRecent: () => {} };

export const api = (path, { token = st.token, ...opts } = {}) => request(path, { ...opts, token });
export const stationQuery = (sep = "?") => (st.stations ? `${sep}stations=${encodeURIComponent(st.stations.join(","))}` : "");
// A clock time ("18:05") in the store's time zone, whatever the kitchen PC is set to.
export const clockTime = (date) => {
  const opts = { hour: "2-digit", minute: "2-digit", timeZone: st.timeZone };
  try { return date.toLocaleTimeString(document.documentElement.lang, opts); } catch {
    return date.toLocaleTimeString(document.documentElement.lang, { ...opts, timeZone: undefined });  // unknown zone
  }
};
export const stationName = (code) => st.stationNames.get(code) || T[`station_${code}`] || code;
// "A1 桌" for a table, "取餐号 12" for a takeaway: one way to write each, everywhere on the wall.
export const label = (t) => (t.table_code ? fmt(T.table_n, { code: t.table_code }) : fmt(T.pickup_n, { n: t.pickup_number }));
// Only the catalogue speaks to the cook: the server answers in the page's language, a lost network
// has no status and gets our own words.
export const say = (ex) => (ex.status ? ex.message : T.network_error);

export function toast(text) {
  const t = el("div", { class: "toast", role: "status" }, text);
  document.body.append(t);
  setTimeout(() => t.remove(), 2600);
}
