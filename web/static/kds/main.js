// The kitchen display. Protocol (the same as tests/kds/screen.py):
// apply an event only if its seq is newer than what we hold for that ticket; per station keep
// the newest seq known complete and ask to resume when an event's prev is newer than that;
// resume on every (re)connect; a snapshot replaces everything.
import { fmt } from "../dom.js";
import { $, T, OPEN, st, api, stationName } from "./core.js";
import { cards, countHidden, nextPage, render, tick } from "./board.js";
import { bumpCard, flushPending, refreshRecent, undo } from "./actions.js";
import { refreshAllDay, togglePanel } from "./allday.js";

// -- printers: a printer down shows as a banner ("热菜打印机离线 3 分钟") until it prints again ----
const printers = new Map();
function showPrinters() {
  const minutes = (iso) => Math.max(1, Math.round((Date.now() - new Date(iso).getTime()) / 60000));
  const down = [...printers.values()].filter((p) => p.state !== "ok");
  const banner = $("printers-down");
  banner.textContent = down.map((p) => "🖨 " + (p.state === "down"
    ? fmt(T.printer_down_for, { name: p.name, min: minutes(p.down_since) })
    : fmt(T.printer_rejected, { name: p.name }))).join("　");
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
    // The server's words come in the page's language (wrong username or password: 用户名或密码错误).
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
  // An event after a gap waits for the replay that fills the gap, so tickets still arrive (and
  // take their keys) oldest first: a screen that is still connecting sees order 1 before order 2.
  if (prev > known) return resume();
  if (seq > known) st.complete.set(ticket.station, seq);
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
        refreshRecent();
      }
      render();
    }
  }
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
    st.warn = settings.warn_minutes * 60; st.late = settings.late_minutes * 60;
    for (const s of settings.stations) st.stationNames.set(s.code, s.name);
    if (settings.timezone) {
      st.timeZone = settings.timezone;
      localStorage.setItem("diancan.kds.tz", settings.timezone);
    }
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
    $("offline").hidden = true; st.resuming = false; flushPending(); resume(); refreshAllDay(); refreshRecent(); loadPrinters();
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

// -- the bar: undo, recent bumps, all-day, sound; the bump bar's keys --------------------------
$("undo").onclick = undo;
$("toggle-recent").onclick = () => { togglePanel("recent", "toggle-recent"); refreshRecent(); };
$("toggle-allday").onclick = () => { togglePanel("allday", "toggle-allday"); refreshAllDay(); };
$("more").onclick = nextPage;
window.addEventListener("scroll", countHidden, { passive: true });
window.addEventListener("resize", countHidden);
new ResizeObserver(countHidden).observe($("tickets"));  // a panel opening or a card growing moves the fold

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

// 1–9 bump the card wearing that key, arrows move, Enter/B bump selected, U undo, A all-day, R recent.
document.addEventListener("keydown", (e) => {
  if ($("board").hidden || e.target.tagName === "INPUT") return;
  const list = cards();
  if (/^[1-9]$/.test(e.key)) {
    const c = list.find((x) => st.keys.get(x.id) === Number(e.key));
    if (c) bumpCard(c);
    return;
  }
  const k = e.key.toLowerCase();
  if (e.key === "PageDown" || e.key === " ") { nextPage(); e.preventDefault(); return; }
  if (e.key === "ArrowRight" || e.key === "ArrowDown") st.selected = Math.min(list.length - 1, st.selected + 1);
  else if (e.key === "ArrowLeft" || e.key === "ArrowUp") st.selected = Math.max(0, st.selected - 1);
  else if ((e.key === "Enter" || k === "b") && list[st.selected]) { bumpCard(list[st.selected]); return; }
  else if (k === "u") { undo(); return; }
  else if (k === "a") { $("toggle-allday").click(); return; }
  else if (k === "r") { $("toggle-recent").click(); return; }
  else if (k === "s") { setSound(!st.sound); return; }
  else return;
  render();
});

setInterval(tick, 1000);
setSound(st.sound);
if (st.token) startBoard(); else { $("login").hidden = false; loginMode(true); }
