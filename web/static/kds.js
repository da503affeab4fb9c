// The kitchen display. Protocol (the same as tests/kds/screen.py):
// apply an event only if its seq is newer than what we hold for that ticket; per station keep
// the newest seq known complete and ask to resume when an event's prev is newer than that;
// resume on every (re)connect; a snapshot replaces everything.
import { el, request } from "./dom.js";

const T = JSON.parse(document.getElementById("i18n").textContent);
const root = document.getElementById("kds");
const $ = (id) => document.getElementById(id);
let WARN = Number(root.dataset.warn) * 60, LATE = Number(root.dataset.late) * 60;  // until the store's own arrive
const stationNames = new Map();
const stationName = (code) => stationNames.get(code) || T[`station_${code}`] || code;
const OPEN = new Set(["new", "cooking", "done"]);
const PENDING = "diancan.kds.pending-bumps";
// Only the catalogue speaks to the cook: a network failure has no status and gets our own words.
const say = (ex) => (ex.status ? ex.message : T.network_error);

const st = {
  token: localStorage.getItem("diancan.kds.token"),
  stations: JSON.parse(localStorage.getItem("diancan.kds.stations") || "null"),
  sound: localStorage.getItem("diancan.kds.sound") !== "off",
  tickets: new Map(), gone: new Map(), baseline: 0, complete: new Map(),
  resuming: false, dirty: false, socket: null, selected: 0, audio: null,
  keys: new Map(),  // ticket id -> bump key 1–9, kept until the ticket leaves so a bump never moves keys
  pending: new Set(JSON.parse(localStorage.getItem(PENDING) || "[]")),  // bumps made offline, by ticket id
};


const api = (path, { token = st.token, ...opts } = {}) => request(path, { ...opts, token });

// -- printers: a printer down shows as a banner ("热菜打印机离线 3 分钟") until it prints again ----
const printers = new Map();
function showPrinters() {
  const minutes = (iso) => Math.max(1, Math.round((Date.now() - new Date(iso).getTime()) / 60000));
  const down = [...printers.values()].filter((p) => p.state !== "ok");
  const banner = $("printers-down");
  banner.textContent = down.map((p) => "🖨 " + (p.state === "down"
    ? T.printer_down_for.replace("{name}", p.name).replace("{min}", minutes(p.down_since))
    : T.printer_rejected.replace("{name}", p.name))).join("　");
  banner.hidden = !down.length;
}
async function loadPrinters() {
  try {
    const { printers: list } = await api("/api/v1/kds/printers");
    printers.clear();
    for (const p of list) printers.set(p.id, p);
    showPrinters();
  } catch { /* the banner waits for the next event */ }
}
setInterval(showPrinters, 30000);  // the minutes keep counting

// -- login: pair the screen (preferred) or a cook's account ----------------------------------
function loginMode(pair) {
  $("mode-pair").setAttribute("aria-selected", String(pair));
  $("mode-staff").setAttribute("aria-selected", String(!pair));
  $("pair-fields").hidden = !pair; $("staff-fields").hidden = pair;
  (pair ? $("pair-code") : $("username")).focus();
}
$("mode-pair").onclick = () => loginMode(true);
$("mode-staff").onclick = () => loginMode(false);

$("login-form").onsubmit = async (e) => {
  e.preventDefault();
  const err = $("login-error");
  err.hidden = true;
  $("login-submit").disabled = true;
  try {
    if (!$("pair-fields").hidden) {
      const data = await api("/api/v1/kds/pair", { method: "POST", body: { code: $("pair-code").value.trim() }, token: null });
      saveLogin(data.token, data.device.stations.length ? data.device.stations : null);
    } else {
      const data = await api("/api/v1/staff/login", { method: "POST", token: null, body: {
        store: $("store").value.trim(), username: $("username").value.trim(), password: $("password").value } });
      if (!["cook", "manager", "owner"].includes(data.staff.role)) throw Object.assign(new Error(T.not_allowed), { status: 403 });
      saveLogin(data.token, null);
    }
    $("password").value = "";
    startBoard();
  } catch (ex) {
    err.textContent = ex.status === 401 && !$("pair-fields").hidden ? T.pair_failed : (ex.status ? ex.message : T.network_error);
    err.hidden = false;
  } finally {
    $("login-submit").disabled = false;
  }
};

function saveLogin(token, stations) {
  st.token = token; st.stations = stations;
  localStorage.setItem("diancan.kds.token", token);
  localStorage.setItem("diancan.kds.stations", JSON.stringify(stations));
}

function logout(message) {
  st.socket?.disconnect();
  localStorage.removeItem("diancan.kds.token");
  st.token = null; st.tickets.clear();
  $("board").hidden = true; $("login").hidden = false;
  if (message) { $("login-error").textContent = message; $("login-error").hidden = false; }
  loginMode(true);
}
$("logout").onclick = () => logout();

// -- the protocol ----------------------------------------------------------------------------
function applySnapshot(data) {
  st.tickets = new Map(data.tickets.map((t) => [t.id, { seq: data.seq, t }]));
  st.gone.clear(); st.complete.clear(); st.baseline = data.seq;
  render();
}

function applyEvent(name, data) {
  const { seq, prev = 0, ticket } = data;
  const known = st.complete.get(ticket.station) ?? st.baseline;
  let gap = false;
  if (prev > known) gap = true;
  else if (seq > known) st.complete.set(ticket.station, seq);
  if (seq > st.baseline) {
    const held = st.tickets.get(ticket.id)?.seq ?? 0;
    if (seq > held && seq > (st.gone.get(ticket.id) ?? 0)) {
      if (OPEN.has(ticket.status)) {
        const isNew = !st.tickets.has(ticket.id) && name === "ticket.created";
        st.tickets.set(ticket.id, { seq, t: ticket, fresh: isNew });
        if (isNew) chime();
      } else {
        st.tickets.delete(ticket.id);
        st.gone.set(ticket.id, seq);
      }
      render();
    }
  }
  if (gap) resume();
}

// Every few seconds the server says each station's latest seq: an event lost on its way (its
// process died before sending it) shows up here, and the screen catches up from the server.
function behindCheck(data) {
  for (const [station, seq] of Object.entries(data.stations || {})) {
    if (seq > (st.complete.get(station) ?? st.baseline)) return resume();
  }
}

function resumePoint() {
  return st.complete.size ? Math.min(st.baseline, ...st.complete.values()) : st.baseline;
}

function resume() {
  if (st.resuming) { st.dirty = true; return; }
  st.resuming = true; st.dirty = false;
  st.socket.emit("resume", { after: resumePoint() }, () => {
    st.resuming = false;
    if (st.dirty) resume();
  });
}

async function startBoard() {
  $("login").hidden = true; $("board").hidden = false; $("loading").hidden = false;
  try {
    const settings = await api("/api/v1/kds/settings");
    WARN = settings.warn_minutes * 60; LATE = settings.late_minutes * 60;
    for (const s of settings.stations) stationNames.set(s.code, s.name);
  } catch { /* the defaults serve until the next start */ }
  $("station-label").textContent = st.stations ? st.stations.map(stationName).join(" · ") : T.all_stations;
  try {
    const q = st.stations ? `&stations=${encodeURIComponent(st.stations.join(","))}` : "";
    applySnapshot(await api(`/api/v1/kds/tickets?status=open${q}`));
  } catch (ex) {
    if (ex.status === 401 || ex.status === 403) return logout(ex.status === 403 ? T.not_allowed : null);
  } finally {
    $("loading").hidden = true;
  }
  render();
  connect();
}

function connect() {
  st.socket?.disconnect();
  const auth = { token: st.token };
  if (st.stations) auth.stations = st.stations;
  const socket = io("/kds", { auth, transports: ["websocket", "polling"], reconnectionDelayMax: 5000 });
  st.socket = socket;
  socket.on("connect", () => {
    $("offline").hidden = true; st.resuming = false; flushPending(); resume(); refreshAllDay(); loadPrinters();
  });
  socket.on("disconnect", () => { $("offline").hidden = false; });
  socket.on("connect_error", (err) => {
    $("offline").hidden = false;
    if (err.message === "unauthorized") logout(T.revoked);
  });
  socket.on("ticket.created", (d) => applyEvent("ticket.created", d));
  socket.on("ticket.updated", (d) => applyEvent("ticket.updated", d));
  socket.on("snapshot", applySnapshot);
  socket.on("kitchen.seq", behindCheck);
  socket.on("device.revoked", () => logout(T.revoked));
  socket.on("printer.state", (d) => { printers.set(d.printer.id, d.printer); showPrinters(); });
}

// -- rendering -------------------------------------------------------------------------------
function ordered() {
  return [...st.tickets.values()].map((x) => x.t).sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id - b.id);
}

function age(t) { return Math.max(0, Math.floor((Date.now() - Date.parse(t.created_at)) / 1000)); }
function mmss(s) { return `${String(Math.floor(s / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`; }
function ageClass(s) { return s >= LATE ? "late" : s >= WARN ? "warn" : "ok"; }

// A key belongs to a ticket from its arrival to its departure; new tickets take the lowest free key.
function assignKeys(list) {
  const here = new Set(list.map((t) => t.id));
  for (const id of st.keys.keys()) if (!here.has(id)) st.keys.delete(id);
  const used = new Set(st.keys.values());
  for (const t of list) {
    if (st.keys.has(t.id)) continue;
    const free = [1, 2, 3, 4, 5, 6, 7, 8, 9].find((k) => !used.has(k));
    if (!free) break;
    st.keys.set(t.id, free); used.add(free);
  }
}

function render() {
  const list = ordered();
  const box = $("tickets");
  assignKeys(list);
  st.selected = Math.min(st.selected, Math.max(0, list.length - 1));
  box.replaceChildren(...list.map((t, i) => card(t, i)));
  $("open-count").textContent = list.length;
  $("empty").hidden = list.length > 0 || !$("loading").hidden;
  countHidden();
  refreshAllDaySoon();
}

// "+N 单": tickets not wholly on screen (below the fold) are counted so the cook knows there are more.
function countHidden() {
  requestAnimationFrame(() => {
    const bottom = window.innerHeight;
    const n = [...document.querySelectorAll("#tickets .ticket")].filter((c) => c.getBoundingClientRect().bottom > bottom + 1).length;
    $("more").hidden = n === 0;
    $("more").textContent = T.more_n.replace("{n}", n);
  });
}
$("more").onclick = () => window.scrollBy(0, window.innerHeight * 0.8);
window.addEventListener("scroll", countHidden, { passive: true });
window.addEventListener("resize", countHidden);

function card(t, index) {
  const s = age(t);
  const key = st.keys.get(t.id), pending = st.pending.has(t.id);
  const fresh = st.tickets.get(t.id)?.fresh;
  if (fresh) st.tickets.get(t.id).fresh = false;
  return el("article", { class: `ticket ${ageClass(s)}${index === st.selected ? " selected" : ""}${fresh ? " arrived" : ""}${pending ? " pending" : ""} st-${t.status}`,
    "data-ticket": t.id, "data-key": key ?? "", onclick: () => { st.selected = index; render(); } },
    el("header", {},
      key ? el("kbd", { class: "key", title: T.key_n.replace("{n}", key) }, String(key)) : null,
      t.table_code ? el("div", { class: "tcode" }, el("small", {}, T.table), t.table_code)
        : el("div", { class: "tcode takeaway" }, el("small", {}, T.takeaway), `#${t.pickup_number}`),
      el("div", { class: "tmeta" }, el("span", {}, T.order_n.replace("{n}", t.order_number)),
        el("span", { class: "station" }, stationName(t.station))),
      el("div", { class: "age", "data-created": t.created_at }, mmss(s))),
    el("ol", {}, sameDishes(t.items).map((it) => el("li", { class: `it-${it.status}`,
      onclick: async (e) => { e.stopPropagation(); for (const line of it.lines) await cycleItem(line); } },
      el("span", { class: "qty" }, `${it.qty}×`),
      el("div", {}, el("span", { class: "name" }, it.name,
          it.status === "cooking" ? el("span", { class: "cooking" }, T.cooking) : null),
        it.options.length ? el("span", { class: "opts" }, it.options.join(" · ")) : null,
        it.note ? el("span", { class: "note" }, `⚑ ${it.note}`) : null)))),
    t.remark ? el("p", { class: "remark" }, `${T.remark}: ${t.remark}`) : null,
    pending ? el("p", { class: "pending-note", role: "status" }, T.bump_pending) : null,
    el("button", { type: "button", class: "bump-btn", disabled: pending, onclick: (e) => { e.stopPropagation(); bump(t); } },
      `${T.bump}${key ? ` (${key})` : ""}`));
}

function savePending() { localStorage.setItem(PENDING, JSON.stringify([...st.pending])); }

async function bump(t) {
  if (st.pending.has(t.id)) return;
  try {
    const data = await api(`/api/v1/kds/tickets/${t.id}/bump`, { method: "POST" });
    st.tickets.delete(t.id);  // the event confirms it on every screen, this one included
    render();
    toast(T.bumped_n.replace("{code}", data.ticket.table_code || `${T.takeaway} #${data.ticket.pickup_number}`));
  } catch (ex) {
    if (ex.status) { toast(say(ex)); return; }
    // No answer: keep the bump on this screen and send it when the network is back.
    st.pending.add(t.id); savePending(); render();
    toast(T.bump_queued.replace("{code}", t.table_code || `${T.takeaway} #${t.pickup_number}`));
  }
}

// Send the bumps made offline, each once: a ticket already bumped (409) or gone (404) counts as sent.
let flushing = false;
async function flushPending() {
  if (flushing || !st.pending.size) return;
  flushing = true;
  try {
    for (const id of [...st.pending]) {
      try {
        await api(`/api/v1/kds/tickets/${id}/bump`, { method: "POST" });
      } catch (ex) {
        if (!ex.status || ex.status === 401 || ex.status >= 500) break;  // still offline: try again later
      }
      st.pending.delete(id); st.tickets.delete(id); savePending();
    }
  } finally { flushing = false; render(); }
}
window.addEventListener("online", flushPending);

// The same dish, done the same way, ordered by two diners is one line "2×" for the cook; the
// lines behind it still change status together.
function sameDishes(items) {
  const lines = new Map();
  for (const it of items) {
    const k = JSON.stringify([it.name, it.options, it.note || "", it.status]);
    const line = lines.get(k);
    if (line) { line.qty += it.qty; line.lines.push(it); } else lines.set(k, { ...it, lines: [it] });
  }
  return [...lines.values()];
}

async function cycleItem(it) {
  const next = { new: "cooking", cooking: "done", done: "cooking" }[it.status];
  try { await api(`/api/v1/kds/ticket-items/${it.id}/status`, { method: "POST", body: { status: next } }); }
  catch (ex) { toast(say(ex)); }
}

async function undo() {
  try {
    const q = st.stations ? `?stations=${encodeURIComponent(st.stations.join(","))}` : "";
    await api(`/api/v1/kds/undo${q}`, { method: "POST" });
    toast(T.undone);
  } catch (ex) { toast(ex.status === 404 ? T.nothing_to_undo : say(ex)); }
}
$("undo").onclick = undo;

// 估清 is a toggle: a dish marked here shows it and can be put back on the menu with one more tap.
// Dishes marked from this screen stay listed (even with nothing left to cook) so the undo is at hand.
const markedHere = new Map();  // item id -> row
async function setSoldOut(row, soldOut) {
  if (soldOut && !window.confirm(T.confirm_sold_out.replace("{name}", row.name))) return;
  try {
    await api(`/api/v1/kds/items/${row.item_id}/sold-out`, { method: "POST", body: { sold_out: soldOut } });
    if (soldOut) markedHere.set(row.item_id, row); else markedHere.delete(row.item_id);
    toast((soldOut ? T.marked_sold_out : T.back_on_menu).replace("{name}", row.name));
    refreshAllDay();
  } catch (ex) { toast(say(ex)); }
}

let allDayTimer = null;
function refreshAllDaySoon() { clearTimeout(allDayTimer); allDayTimer = setTimeout(refreshAllDay, 400); }
async function refreshAllDay() {
  if ($("allday").hidden) return;
  const q = st.stations ? `?stations=${encodeURIComponent(st.stations.join(","))}` : "";
  try {
    const data = await api(`/api/v1/kds/all-day${q}`);
    const listed = new Set(data.items.map((r) => r.item_id));
    const rows = [...data.items, ...[...markedHere.values()].filter((r) => !listed.has(r.item_id))
      .map((r) => ({ ...r, qty: 0, sold_out: true }))];
    $("allday-list").replaceChildren(...rows.map((r) => el("li", { class: r.sold_out ? "is-sold-out" : "" },
      el("b", {}, r.qty), el("span", {}, r.name, r.sold_out ? el("em", { class: "sold-tag" }, T.sold_out) : null),
      el("button", { type: "button", class: "soldout-btn", "aria-pressed": String(r.sold_out),
        title: r.sold_out ? T.back_on_menu_hint : T.mark_sold_out,
        onclick: () => setSoldOut(r, !r.sold_out) }, r.sold_out ? T.undo_sold_out : T.mark_sold_out_short))));
  } catch { /* the next change retries */ }
}
$("toggle-allday").onclick = () => {
  const on = $("allday").hidden;
  $("allday").hidden = !on;
  $("toggle-allday").setAttribute("aria-pressed", String(on));
  refreshAllDay();
};

function chime() {
  if (!st.sound) return;
  try {
    st.audio ??= new AudioContext();
    const o = st.audio.createOscillator(), g = st.audio.createGain();
    o.frequency.value = 880; g.gain.setValueAtTime(0.25, st.audio.currentTime);
    g.gain.exponentialRampToValueAtTime(0.001, st.audio.currentTime + 0.6);
    o.connect(g).connect(st.audio.destination); o.start(); o.stop(st.audio.currentTime + 0.6);
  } catch { /* no audio device */ }
}
function setSound(on) {
  st.sound = on;
  localStorage.setItem("diancan.kds.sound", on ? "on" : "off");
  $("toggle-sound").setAttribute("aria-pressed", String(on));
  $("toggle-sound").textContent = `${on ? "🔔" : "🔕"} ${$("toggle-sound").textContent.slice(2).trim()}`;
}
$("toggle-sound").onclick = () => setSound(!st.sound);

function toast(text) {
  const t = el("div", { class: "toast", role: "status" }, text);
  document.body.append(t);
  setTimeout(() => t.remove(), 2200);
}

// -- bump bar: 1–9 select and bump, arrows move, Enter/B bump selected, U undo, A all-day ------
document.addEventListener("keydown", (e) => {
  if ($("board").hidden || e.target.tagName === "INPUT") return;
  const list = ordered();
  if (/^[1-9]$/.test(e.key)) {
    const t = list.find((x) => st.keys.get(x.id) === Number(e.key));
    if (t) bump(t);
    return;
  }
  if (e.key === "PageDown" || e.key === " ") { window.scrollBy(0, window.innerHeight * 0.8); e.preventDefault(); return; }
  if (e.key === "ArrowRight" || e.key === "ArrowDown") st.selected = Math.min(list.length - 1, st.selected + 1);
  else if (e.key === "ArrowLeft" || e.key === "ArrowUp") st.selected = Math.max(0, st.selected - 1);
  else if ((e.key === "Enter" || e.key.toLowerCase() === "b") && list[st.selected]) { bump(list[st.selected]); return; }
  else if (e.key.toLowerCase() === "u") { undo(); return; }
  else if (e.key.toLowerCase() === "a") { $("toggle-allday").click(); return; }
  else if (e.key.toLowerCase() === "s") { setSound(!st.sound); return; }
  else return;
  render();
});

setInterval(() => {
  $("clock").textContent = new Date().toLocaleTimeString(document.documentElement.lang, { hour: "2-digit", minute: "2-digit" });
  document.querySelectorAll(".ticket .age").forEach((node) => {
    const s = Math.max(0, Math.floor((Date.now() - Date.parse(node.dataset.created)) / 1000));
    node.textContent = mmss(s);
    node.closest(".ticket").classList.remove("ok", "warn", "late");
    node.closest(".ticket").classList.add(ageClass(s));
  });
}, 1000);

setSound(st.sound);
if (st.token) startBoard(); else { $("login").hidden = false; loginMode(true); }
