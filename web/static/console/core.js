// The console's shared ground: the catalogue, the session state, the API call, toasts, form dialogs,
// table helpers, and the views registry that each section module adds itself to.
import { el, ApiError, fmt, request } from "../dom.js";

export const T = JSON.parse(document.getElementById("i18n").textContent);
export const META = JSON.parse(document.getElementById("matrix").textContent);
export const $ = (id) => document.getElementById(id);
export const state = { session: null, csrf: "", view: null };
export const PHOTO_MAX_MB = 5;

export const yuanInput = (fen) => (fen == null ? "" : (fen / 100).toFixed(2));
export function toFen(text) {
  const t = String(text).trim();
  if (!/^-?\d{1,6}(\.\d{1,2})?$/.test(t)) return null;
  const neg = t.startsWith("-");
  const [whole, frac = ""] = t.replace("-", "").split(".");
  const fen = Number(whole) * 100 + Number((frac + "00").slice(0, 2));
  return neg ? -fen : fen;
}
// A day in the store's time zone, as YYYY-MM-DD (en-CA writes ISO dates): reports ask by business day.
export const storeDay = (date = new Date()) =>
  new Intl.DateTimeFormat("en-CA", { timeZone: state.session?.store?.timezone || "Asia/Shanghai" }).format(date);
export const can = (perm) => state.session?.permissions.includes(perm);
export const roleName = (role) => T[`role_${role}`] || role;

// --- talking to the API -------------------------------------------------------------------

// The shared JSON call, riding on the session cookie: writes carry the CSRF token, a network
// failure becomes an ApiError with status 0, and a 401 means the session has ended.
export async function api(path, { method = "GET", body, form } = {}) {
  try {
    return await request(path, { method, body, form, headers: method === "GET" ? {} : { "X-CSRF-Token": state.csrf } });
  } catch (err) {
    if (!(err instanceof ApiError)) throw new ApiError(0, { error: { code: "network", message: T.network_error } });
    if (err.status === 401 && state.session) onSessionOver();
    throw err;
  }
}

export function toast(message, kind = "ok") {
  const t = $("toast");
  t.textContent = message;
  t.className = `toast ${kind === "err" ? "err" : ""}`;
  t.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.hidden = true; }, kind === "err" ? 5000 : 2500);
}

export const failed = (err) => toast(err.message || T.network_error, "err");

// --- dialogs: forms with field errors, and confirmations -----------------------------------

export function field(f) {
  const id = `f-${f.name}`;
  let input;
  if (f.type === "select") {
    input = el("select", { id, name: f.name }, f.options.map(([v, label]) =>
      el("option", { value: v, selected: String(v) === String(f.value ?? "") }, label)));
  } else if (f.type === "checkbox") {
    return el("label", { class: "check" }, el("input", { id, name: f.name, type: "checkbox", checked: !!f.value }), f.label);
  } else if (f.type === "textarea") {
    input = el("textarea", { id, name: f.name, rows: 3, maxlength: f.maxlength || 500 });
    input.value = f.value ?? "";
  } else {
    input = el("input", { id, name: f.name, type: f.type || "text", required: !!f.required, inputmode: f.inputmode,
      placeholder: f.placeholder, autocomplete: f.autocomplete || "off", maxlength: f.maxlength, min: f.min, max: f.max });
    input.value = f.value ?? "";
  }
  return el("label", { class: f.wide ? "wide" : "" }, f.label, input, f.hint ? el("span", { class: "hint" }, f.hint) : null,
    el("span", { class: "field-error", "data-for": f.name, hidden: true }));
}

export function readForm(form, fields) {
  const out = {};
  for (const f of fields) {
    const node = form.elements[f.name];
    if (f.type === "checkbox") out[f.name] = node.checked;
    else out[f.name] = node.value;
  }
  return out;
}

export function showErrors(form, err) {
  form.querySelectorAll(".field-error").forEach((n) => { n.hidden = true; });
  form.querySelectorAll("[aria-invalid]").forEach((n) => n.removeAttribute("aria-invalid"));
  let shown = false;
  for (const [name, messages] of Object.entries(err.fields || {})) {
    const slot = form.querySelector(`.field-error[data-for="${CSS.escape(name.split(".")[0])}"]`);
    if (slot) {
      slot.textContent = [].concat(messages).join(" ");
      slot.hidden = false;
      form.elements[name.split(".")[0]]?.setAttribute("aria-invalid", "true");
      shown = true;
    }
  }
  const general = form.querySelector(".form-error");
  general.textContent = shown && err.status === 422 ? "" : err.message;
  general.hidden = !general.textContent;
}

// A modal form. ``submit(values)`` returns a promise; field errors from the API show under fields.
export function formDialog(title, fields, submit, { okLabel = T.save, danger = false, intro, cancel = true } = {}) {
  const dialog = $("dialog");
  const form = el("form", { method: "dialog", novalidate: true },
    el("h3", {}, title), intro ? el("p", {}, intro) : null,
    ...fields.map(field),
    el("p", { class: "error form-error", role: "alert", hidden: true }),
    el("div", { class: "form-actions" },
      cancel ? el("button", { type: "button", class: "btn ghost", onclick: () => dialog.close() }, T.cancel) : null,
      el("button", { type: "submit", class: `btn ${danger ? "danger" : "primary"}` }, okLabel)));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      await submit(readForm(form, fields), form);
      dialog.close();
    } catch (err) {
      if (err instanceof ApiError || err.fields) showErrors(form, err);
      else throw err;
    } finally {
      button.disabled = false;
    }
  });
  dialog.replaceChildren(form);
  dialog.showModal();
  form.querySelector("input, select, textarea")?.focus();
}

export const confirmDialog = (message, action, okLabel = T.confirm) =>
  formDialog(T.confirm, [], action, { okLabel, danger: true, intro: message });

// A client-side check that looks like the API's validation errors.
export function invalid(name, message) {
  const err = new ApiError(422, { error: { code: "validation_error", message, fields: { [name]: [message] } } });
  return err;
}

export function money(values, name, { allowNegative = false } = {}) {
  const fen = toFen(values[name]);
  if (fen == null || (!allowNegative && fen < 0)) throw invalid(name, T.bad_price);
  return fen;
}

export const emptyToNull = (v) => (v === "" ? null : v);


// --- views: each section module registers itself; the shell routes between them ----------------
// A section is { render(...hashParts), perm } keyed by the nav link's data-view.
export const VIEWS = {};
export const registerView = (name, render) => { VIEWS[name] = render; };

// What to do when the server says the session is over (the shell shows the sign-in form).
let onSessionOver = () => {};
export const whenSessionOver = (fn) => { onSessionOver = fn; };

export function route() {
  if (!state.session) return;
  const [name, ...rest] = location.hash.replace(/^#/, "").split("/");
  const first = [...$("nav").querySelectorAll("a")].find((a) => !a.hidden)?.dataset.view;
  const view = VIEWS[name] && can($("nav").querySelector(`[data-view="${name}"]`).dataset.perm) ? name : first;
  for (const a of $("nav").querySelectorAll("a")) a.classList.toggle("current", a.dataset.view === view);
  state.view = view;
  load(() => VIEWS[view](...rest));
}

// Render a view: a loading line first, an error with a retry if it fails. Only the newest load
// may fill the page: a slower earlier view (the first view after sign-in, a tab left at once)
// never overwrites the one the person went to.
let loads = 0;
export async function load(render) {
  const main = $("view");
  const mine = ++loads;
  main.replaceChildren(el("p", { class: "state" }, T.loading));
  try {
    const nodes = await render();
    if (mine !== loads) return;
    main.replaceChildren(...[].concat(nodes));
  } catch (err) {
    if (err.status === 401 || mine !== loads) return;
    main.replaceChildren(el("p", { class: "state err" }, err.message || T.load_failed, " ",
      el("button", { type: "button", class: "btn small", onclick: () => load(render) }, T.retry)));
  }
}
export const refresh = () => route();

export const th = (...labels) => el("thead", {}, el("tr", {}, labels.map((l) => el("th", {}, l))));
export const td = (label, ...kids) => el("td", { "data-label": label }, ...kids);
export const actions = (...buttons) => el("td", { class: "actions" }, el("div", { class: "row-actions" }, ...buttons));
export const btn = (label, onclick, cls = "") => el("button", { type: "button", class: `btn small ${cls}`, onclick }, label);
