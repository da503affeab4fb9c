// The manager's console: tables and QR codes, menu, staff, kitchen screens, settings, audit log.
// Signed in by an HttpOnly cookie (the script never sees the token); every write sends the CSRF
// token from the session answer. The server enforces every permission; the page only hides what
// the role cannot do.
import { el, fmt } from "./dom.js";
import { $, T, api, can, roleName, route, state, toast, formDialog, whenSessionOver } from "./console/core.js";
import "./console/tables.js";
import "./console/menu.js";
import "./console/staff.js";
import "./console/screens.js";
import "./console/printers.js";
import "./console/settings.js";
import "./console/audit.js";
import "./console/reports.js";
import "./console/stock.js";

// --- the shell: session, navigation --------------------------------------------------------

function sessionOver() {
  state.session = null;
  $("app").hidden = true;
  showLogin(T.session_over);
}

function showLogin(message) {
  $("booting").hidden = true;
  $("login").hidden = false;
  $("login-store").value ||= localStorage.getItem("console.store") || "";
  const error = $("login-error");
  error.textContent = message || "";
  error.hidden = !message;
  ($("login-store").value ? $("login-username") : $("login-store")).focus();
}

function started(session) {
  state.session = session;
  state.csrf = session.csrf_token;
  if (!can("console.use")) {
    api("/api/v1/staff/session", { method: "DELETE" }).catch(() => {});  // no console session for this role
    state.session = null;
    showLogin(T.not_allowed);
    return;
  }
  $("login").hidden = true;
  $("booting").hidden = true;
  $("app").hidden = false;
  $("store-name").textContent = session.store.name;
  $("who").textContent = `${session.staff.name} · ${roleName(session.staff.role)}`;
  for (const a of $("nav").querySelectorAll("a")) a.hidden = !can(a.dataset.perm);
  route();
  refreshWarnings();
}

// -- warnings banner: a screen offline, payments stuck, WeChat Pay failing, a printer down ------
const WARNING_SECONDS = 30;
let warningTimer = null;

async function refreshWarnings() {
  clearTimeout(warningTimer);
  if (!state.session || !can("floor.view")) return;
  try {
    const { warnings } = await api("/api/v1/floor/warnings");
    const box = $("warnings");
    box.replaceChildren(...warnings.map((w) => el("p", {},
      (T[`warn_${w.kind}`] || w.kind).replace("{count}", w.count).replace("{detail}", w.detail || ""))));
    box.hidden = warnings.length === 0;
  } catch { /* the next round tries again; the page keeps working */ }
  warningTimer = setTimeout(refreshWarnings, WARNING_SECONDS * 1000);
}

$("login-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const button = ev.target.querySelector("button");
  button.disabled = true;
  try {
    const session = await api("/api/v1/staff/session", { method: "POST", body: {
      store: $("login-store").value.trim(), username: $("login-username").value.trim(), password: $("login-password").value } });
    localStorage.setItem("console.store", $("login-store").value.trim());
    $("login-password").value = "";
    started(session);
  } catch (err) {
    showLogin(err.status === 429 ? T.locked : err.status === 0 ? T.network_error : T.login_failed);
  } finally {
    button.disabled = false;
  }
});

$("sign-out").addEventListener("click", async () => {
  try { await api("/api/v1/staff/session", { method: "DELETE" }); } catch { /* signed out either way */ }
  state.session = null;
  $("app").hidden = true;
  showLogin();
});

$("change-password").addEventListener("click", () => formDialog(T.change_password, [
  { name: "current_password", label: T.current_password, type: "password", autocomplete: "current-password" },
  { name: "new_password", label: T.new_password, type: "password", autocomplete: "new-password", hint: fmt(T.new_password_for, { name: "" }).trim() },
], async (v) => {
  await api("/api/v1/staff/me/password", { method: "POST", body: v });
  const session = await api("/api/v1/staff/session");
  state.csrf = session.csrf_token;
  toast(T.password_changed);
}));


whenSessionOver(sessionOver);
window.addEventListener("hashchange", route);

// --- start -------------------------------------------------------------------------------------

(async function boot() {
  try {
    started(await api("/api/v1/staff/session"));
  } catch (err) {
    showLogin(err.status === 0 ? T.network_error : "");
  }
})();
