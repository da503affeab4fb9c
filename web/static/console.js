// The manager's console: tables and QR codes, menu, staff, kitchen screens, settings, audit log.
// Signed in by an HttpOnly cookie (the script never sees the token); every write sends the CSRF
// token from the session answer. The server enforces every permission; the page only hides what
// the role cannot do.
import { el, ApiError, delta, fmt, request, yuan } from "./dom.js";

const T = JSON.parse(document.getElementById("i18n").textContent);
const META = JSON.parse(document.getElementById("matrix").textContent);
const $ = (id) => document.getElementById(id);
const state = { session: null, csrf: "", view: null };
const PHOTO_MAX_MB = 5;

const yuanInput = (fen) => (fen == null ? "" : (fen / 100).toFixed(2));
function toFen(text) {
  const t = String(text).trim();
  if (!/^-?\d{1,6}(\.\d{1,2})?$/.test(t)) return null;
  const neg = t.startsWith("-");
  const [whole, frac = ""] = t.replace("-", "").split(".");
  const fen = Number(whole) * 100 + Number((frac + "00").slice(0, 2));
  return neg ? -fen : fen;
}
const can = (perm) => state.session?.permissions.includes(perm);
const roleName = (role) => T[`role_${role}`] || role;

// --- talking to the API -------------------------------------------------------------------

// The shared JSON call, riding on the session cookie: writes carry the CSRF token, a network
// failure becomes an ApiError with status 0, and a 401 means the session has ended.
async function api(path, { method = "GET", body, form } = {}) {
  try {
    return await request(path, { method, body, form, headers: method === "GET" ? {} : { "X-CSRF-Token": state.csrf } });
  } catch (err) {
    if (!(err instanceof ApiError)) throw new ApiError(0, { error: { code: "network", message: T.network_error } });
    if (err.status === 401 && state.session) sessionOver();
    throw err;
  }
}

function toast(message, kind = "ok") {
  const t = $("toast");
  t.textContent = message;
  t.className = `toast ${kind === "err" ? "err" : ""}`;
  t.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.hidden = true; }, kind === "err" ? 5000 : 2500);
}

const failed = (err) => toast(err.message || T.network_error, "err");

// --- dialogs: forms with field errors, and confirmations -----------------------------------

function field(f) {
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

function readForm(form, fields) {
  const out = {};
  for (const f of fields) {
    const node = form.elements[f.name];
    if (f.type === "checkbox") out[f.name] = node.checked;
    else out[f.name] = node.value;
  }
  return out;
}

function showErrors(form, err) {
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
function formDialog(title, fields, submit, { okLabel = T.save, danger = false, intro, cancel = true } = {}) {
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

const confirmDialog = (message, action, okLabel = T.confirm) =>
  formDialog(T.confirm, [], action, { okLabel, danger: true, intro: message });

// A client-side check that looks like the API's validation errors.
function invalid(name, message) {
  const err = new ApiError(422, { error: { code: "validation_error", message, fields: { [name]: [message] } } });
  return err;
}

function money(values, name, { allowNegative = false } = {}) {
  const fen = toFen(values[name]);
  if (fen == null || (!allowNegative && fen < 0)) throw invalid(name, T.bad_price);
  return fen;
}

const emptyToNull = (v) => (v === "" ? null : v);

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

const VIEWS = { tables: viewTables, menu: viewMenu, staff: viewStaff, screens: viewScreens, settings: viewSettings,
  audit: viewAudit,
  // reports and their charts live in their own module, fetched when first opened
  reports: (...rest) => import("./console_reports.js").then((m) => m.viewReports({ api, strings: T, session: state.session, failed,
    formDialog, toast, refresh }, ...rest)) };

function route() {
  if (!state.session) return;
  const [name, ...rest] = location.hash.replace(/^#/, "").split("/");
  const first = [...$("nav").querySelectorAll("a")].find((a) => !a.hidden)?.dataset.view;
  const view = VIEWS[name] && can($("nav").querySelector(`[data-view="${name}"]`).dataset.perm) ? name : first;
  for (const a of $("nav").querySelectorAll("a")) a.classList.toggle("current", a.dataset.view === view);
  state.view = view;
  load(() => VIEWS[view](...rest));
}
window.addEventListener("hashchange", route);

// Render a view: a loading line first, an error with a retry if it fails.
async function load(render) {
  const main = $("view");
  main.replaceChildren(el("p", { class: "state" }, T.loading));
  try {
    const nodes = await render();
    main.replaceChildren(...[].concat(nodes));
  } catch (err) {
    if (err.status === 401) return;
    main.replaceChildren(el("p", { class: "state err" }, err.message || T.load_failed, " ",
      el("button", { type: "button", class: "btn small", onclick: () => load(render) }, T.retry)));
  }
}
const refresh = () => route();

const th = (...labels) => el("thead", {}, el("tr", {}, labels.map((l) => el("th", {}, l))));
const td = (label, ...kids) => el("td", { "data-label": label }, ...kids);
const actions = (...buttons) => el("td", { class: "actions" }, el("div", { class: "row-actions" }, ...buttons));
const btn = (label, onclick, cls = "") => el("button", { type: "button", class: `btn small ${cls}`, onclick }, label);

// --- tables and areas ------------------------------------------------------------------------

async function viewTables() {
  const [{ areas }, { tables }] = await Promise.all([api("/api/v1/admin/areas"), api("/api/v1/admin/tables")]);
  const areaOptions = [["", T.no_area], ...areas.map((a) => [a.id, a.name])];
  const tableFields = (t = {}) => [
    { name: "code", label: T.code, value: t.code, required: true, maxlength: 20 },
    { name: "area_id", label: T.area, type: "select", options: areaOptions, value: t.area_id ?? "" },
    { name: "seats", label: T.seats, type: "number", value: t.seats ?? 4, min: 1, max: 99, inputmode: "numeric" },
  ];
  const tableBody = (v) => ({ code: v.code.trim(), area_id: v.area_id ? Number(v.area_id) : null, seats: Number(v.seats) });
  const areaForm = (a) => formDialog(a ? T.rename : T.new_area, [{ name: "name", label: T.area_name, value: a?.name, maxlength: 50 }],
    async (v) => {
      await api(a ? `/api/v1/admin/areas/${a.id}` : "/api/v1/admin/areas", { method: a ? "PATCH" : "POST", body: { name: v.name.trim() } });
      toast(T.saved); refresh();
    });
  const rows = tables.map((t) => el("tr", { class: t.active ? "" : "off", "data-table": t.code },
    td(T.code, el("strong", {}, t.code)), td(T.area, t.area || "—"), td(T.seats, String(t.seats)),
    td(T.status, el("span", { class: `tag ${t.active ? "ok" : ""}` }, t.active ? T.active : T.disabled)),
    actions(
      btn(T.edit, () => formDialog(`${T.edit} · ${t.code}`, tableFields(t), async (v) => {
        await api(`/api/v1/admin/tables/${t.id}`, { method: "PATCH", body: tableBody(v) });
        toast(T.saved); refresh();
      })),
      el("a", { class: "btn small", href: `/api/v1/admin/tables/${t.id}/qr.png`, target: "_blank", rel: "noopener" }, T.qr),
      el("a", { class: "btn small", href: `/api/v1/admin/tables/${t.id}/wxacode.png`, target: "_blank", rel: "noopener" }, T.wxa),
      btn(T.rotate, () => confirmDialog(fmt(T.confirm_rotate, { code: t.code }), async () => {
        await api(`/api/v1/admin/tables/${t.id}/rotate-qr`, { method: "POST" });
        toast(fmt(T.rotated, { code: t.code })); refresh();
      })),
      t.active
        ? btn(T.disable, () => confirmDialog(fmt(T.confirm_disable, { code: t.code }), async () => {
          await api(`/api/v1/admin/tables/${t.id}`, { method: "PATCH", body: { active: false } });
          toast(T.saved); refresh();
        }), "danger")
        : btn(T.enable, async () => {
          try { await api(`/api/v1/admin/tables/${t.id}`, { method: "PATCH", body: { active: true } }); toast(T.saved); refresh(); } catch (e) { failed(e); }
        }))));
  return [
    el("h2", {}, T.areas, el("span", { class: "actions" }, btn(T.new_area, () => areaForm(), "primary"))),
    el("div", { class: "chips" }, areas.length ? areas.map((a) => el("span", { class: "chip" }, a.name,
      btn("✎", () => areaForm(a), "ghost"),
      btn("×", () => confirmDialog(fmt(T.confirm_delete_area, { name: a.name }), async () => {
        await api(`/api/v1/admin/areas/${a.id}`, { method: "DELETE" }); toast(T.deleted); refresh();
      }), "ghost"))) : el("span", { class: "hint" }, T.no_area)),
    el("h2", {}, T.tables, el("span", { class: "actions" },
      btn(T.new_table, () => formDialog(T.new_table, tableFields(), async (v) => {
        await api("/api/v1/admin/tables", { method: "POST", body: tableBody(v) });
        toast(T.saved); refresh();
      }), "primary"),
      el("a", { class: "btn", id: "print-sheet", href: "/console/tables/print", target: "_blank", rel: "noopener" }, T.print_sheet),
      el("a", { class: "btn", href: "/console/tables/print?kind=wxa", target: "_blank", rel: "noopener" }, T.print_wxa_sheet))),
    tables.length ? el("table", { class: "data" }, th(T.code, T.area, T.seats, T.status, ""), el("tbody", {}, rows))
      : el("p", { class: "state" }, T.no_tables),
  ];
}

// --- menu ------------------------------------------------------------------------------------

async function viewMenu(sub, id) {
  const [{ categories }, { stations }] = await Promise.all([api("/api/v1/admin/menu"), api("/api/v1/admin/stations")]);
  if (sub === "item") {
    const item = categories.flatMap((c) => c.items).find((i) => String(i.id) === id);
    if (item) return itemEditor(item, categories, stations);
  }
  const catForm = (c) => formDialog(c ? T.rename : T.new_category, [
    { name: "name", label: T.name, value: c?.name, maxlength: 50 },
    { name: "sort", label: T.sort, type: "number", value: c?.sort ?? 0, min: 0, max: 10000 },
  ], async (v) => {
    await api(c ? `/api/v1/admin/categories/${c.id}` : "/api/v1/admin/categories",
      { method: c ? "PATCH" : "POST", body: { name: v.name.trim(), sort: Number(v.sort) || 0 } });
    toast(T.saved); refresh();
  });
  const newDish = (cat) => formDialog(`${T.new_dish} · ${cat.name}`, [
    { name: "name", label: T.name, maxlength: 80 },
    { name: "price", label: T.price, inputmode: "decimal", placeholder: "12.50" },
    { name: "station", label: T.station, type: "select", options: stations.map((s) => [s.code, s.name]) },
    { name: "description", label: T.description, type: "textarea", wide: true },
  ], async (v) => {
    const { item } = await api("/api/v1/admin/items", { method: "POST", body: {
      category_id: cat.id, name: v.name.trim(), price: money(v, "price"), station: v.station, description: v.description.trim() } });
    toast(T.saved);
    location.hash = `#menu/item/${item.id}`;
  });
  return [
    el("h2", {}, T.menu, el("span", { class: "actions" }, btn(T.new_category, () => catForm(), "primary"))),
    ...categories.map((cat) => el("section", { class: "card", "data-category": cat.name },
      el("h3", {}, cat.name, el("span", { class: "hint" }, `${T.sort} ${cat.sort}`),
        el("span", { class: "actions" }, btn(T.new_dish, () => newDish(cat), "primary"), btn(T.rename, () => catForm(cat)),
          btn(T.delete, () => confirmDialog(fmt(T.confirm_delete_category, { name: cat.name }), async () => {
            await api(`/api/v1/admin/categories/${cat.id}`, { method: "DELETE" }); toast(T.deleted); refresh();
          }), "danger"))),
      cat.items.length ? el("table", { class: "data" }, th(T.photo, T.dish, T.price, T.station, T.status, ""),
        el("tbody", {}, cat.items.map((i) => el("tr", { class: i.active ? "" : "off", "data-item": i.name },
          td(T.photo, i.photo_url ? el("img", { class: "thumb", src: i.photo_url, alt: "" }) : el("span", { class: "thumb" })),
          td(T.dish, el("strong", {}, i.name), i.option_groups.length ? el("span", { class: "hint" }, ` · ${i.option_groups.map((g) => g.name).join(" / ")}`) : null),
          td(T.price, el("span", { class: "money" }, yuan(i.price))),
          td(T.station, stations.find((s) => s.code === i.station)?.name || i.station),
          td(T.status, el("span", { class: `tag ${i.active ? "ok" : ""}` }, i.active ? T.on_menu : T.off_menu),
            i.sold_out ? el("span", { class: "tag err" }, T.sold_out) : null,
            i.stock != null ? el("span", { class: "tag warn" }, `${T.stock} ${i.stock}`) : null),
          actions(el("a", { class: "btn small", href: `#menu/item/${i.id}` }, T.edit)))))) : el("p", { class: "hint" }, T.no_dishes))),
  ];
}

function itemEditor(item, categories, stations) {
  const fields = [
    { name: "name", label: T.name, value: item.name, maxlength: 80 },
    { name: "price", label: T.price, value: yuanInput(item.price), inputmode: "decimal" },
    { name: "category_id", label: T.category, type: "select", options: categories.map((c) => [c.id, c.name]), value: item.category_id },
    { name: "station", label: T.station, type: "select", options: stations.map((s) => [s.code, s.name]), value: item.station },
    { name: "stock", label: T.stock, type: "number", value: item.stock ?? "", min: 0, hint: T.stock_hint, inputmode: "numeric" },
    { name: "available_from", label: T.hours_from, type: "time", value: item.available_from ?? "", hint: T.hours_hint },
    { name: "available_until", label: T.hours_until, type: "time", value: item.available_until ?? "" },
    { name: "sort", label: T.sort, type: "number", value: item.sort, min: 0, max: 10000 },
    { name: "description", label: T.description, type: "textarea", value: item.description, wide: true },
    { name: "active", label: T.on_menu, type: "checkbox", value: item.active },
    { name: "sold_out", label: T.sold_out, type: "checkbox", value: item.sold_out },
  ];
  const form = el("form", { class: "card", id: "item-form", novalidate: true },
    el("div", { class: "form-grid" }, ...fields.map(field)),
    el("p", { class: "error form-error", role: "alert", hidden: true }),
    el("div", { class: "form-actions" }, el("a", { class: "btn ghost", href: "#menu" }, T.close),
      el("button", { type: "submit", class: "btn primary" }, T.save)));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const v = readForm(form, fields);
    try {
      const body = { name: v.name.trim(), price: money(v, "price"), category_id: Number(v.category_id), station: v.station,
        stock: v.stock === "" ? null : Number(v.stock), available_from: emptyToNull(v.available_from),
        available_until: emptyToNull(v.available_until), sort: Number(v.sort) || 0, description: v.description.trim(),
        active: v.active, sold_out: v.sold_out };
      await api(`/api/v1/admin/items/${item.id}`, { method: "PATCH", body });
      toast(T.saved);
      showErrors(form, { fields: {}, message: "" });
    } catch (err) {
      if (err instanceof ApiError) showErrors(form, err); else throw err;
    }
  });

  const photoInput = el("input", { type: "file", accept: "image/jpeg,image/png,image/webp", id: "photo-input" });
  const photoError = el("p", { class: "error", role: "alert", hidden: true });
  photoInput.addEventListener("change", async () => {
    const file = photoInput.files[0];
    if (!file) return;
    photoError.hidden = true;
    if (file.size > PHOTO_MAX_MB * 1024 * 1024) {
      photoError.textContent = fmt(T.photo_too_big, { mb: PHOTO_MAX_MB }); photoError.hidden = false; return;
    }
    const data = new FormData();
    data.append("photo", file);
    try {
      await api(`/api/v1/admin/items/${item.id}/photo`, { method: "PUT", form: data });
      toast(T.saved); refresh();
    } catch (err) {
      photoError.textContent = err.message; photoError.hidden = false;
    }
  });
  const photo = el("section", { class: "card" }, el("h3", {}, T.photo),
    item.photo_url ? el("img", { class: "photo", src: item.photo_url, alt: item.name }) : null,
    el("div", { class: "inline-form" }, el("label", {}, T.upload_photo, photoInput),
      item.photo_url ? btn(T.remove_photo, async () => {
        try { await api(`/api/v1/admin/items/${item.id}/photo`, { method: "DELETE" }); toast(T.deleted); refresh(); } catch (e) { failed(e); }
      }, "danger") : null),
    el("p", { class: "hint" }, fmt(T.photo_hint, { mb: PHOTO_MAX_MB })), photoError);

  const groupForm = (g) => formDialog(g ? `${T.edit} · ${g.name}` : T.new_group, [
    { name: "name", label: T.group_name, value: g?.name, maxlength: 50 },
    { name: "min", label: T.min, type: "number", value: g?.min ?? 0, min: 0, max: 20 },
    { name: "max", label: T.max, type: "number", value: g?.max ?? 1, min: 1, max: 20 },
  ], async (v) => {
    const body = { name: v.name.trim(), min: Number(v.min), max: Number(v.max) };
    await api(g ? `/api/v1/admin/option-groups/${g.id}` : `/api/v1/admin/items/${item.id}/option-groups`, { method: g ? "PATCH" : "POST", body });
    toast(T.saved); refresh();
  });
  const optionForm = (g, o) => formDialog(o ? `${T.edit} · ${o.name}` : `${T.new_option} · ${g.name}`, [
    { name: "name", label: T.option, value: o?.name, maxlength: 50 },
    { name: "price_delta", label: T.price_delta, value: yuanInput(o?.price_delta ?? 0), inputmode: "decimal" },
  ], async (v) => {
    const body = { name: v.name.trim(), price_delta: money(v, "price_delta", { allowNegative: true }) };
    await api(o ? `/api/v1/admin/options/${o.id}` : `/api/v1/admin/option-groups/${g.id}/options`, { method: o ? "PATCH" : "POST", body });
    toast(T.saved); refresh();
  });
  const groups = el("section", { class: "card" },
    el("h3", {}, T.option_groups, el("span", { class: "actions" }, btn(T.new_group, () => groupForm(), "primary"))),
    ...item.option_groups.map((g) => el("div", { class: "group", "data-group": g.name },
      el("h3", {}, g.name, el("span", { class: "hint" }, `${T.min} ${g.min} · ${T.max} ${g.max}`),
        el("span", { class: "actions" }, btn(T.new_option, () => optionForm(g), "primary"), btn(T.edit, () => groupForm(g)),
          btn(T.delete, () => confirmDialog(fmt(T.confirm_delete_group, { name: g.name }), async () => {
            await api(`/api/v1/admin/option-groups/${g.id}`, { method: "DELETE" }); toast(T.deleted); refresh();
          }), "danger"))),
      el("ul", {}, g.options.map((o) => el("li", {}, el("span", { class: "grow" }, o.name),
        el("span", { class: "money" }, delta(o.price_delta) || "—"),
        btn(T.edit, () => optionForm(g, o)),
        btn(T.delete, () => confirmDialog(fmt(T.confirm_delete_option, { name: o.name }), async () => {
          await api(`/api/v1/admin/options/${o.id}`, { method: "DELETE" }); toast(T.deleted); refresh();
        }), "danger")))))));
  return [el("h2", {}, el("a", { href: "#menu" }, T.menu), "›", item.name), form, photo, groups];
}

// --- staff -----------------------------------------------------------------------------------

async function viewStaff() {
  const { staff } = await api("/api/v1/admin/staff");
  const mayManage = (role) => ["cashier", "waiter", "cook"].includes(role) || can("staff.manage_managers");
  const roles = META.roles.filter(mayManage).map((r) => [r, roleName(r)]);
  const me = state.session.staff.id;
  const rows = staff.map((s) => el("tr", { class: s.active ? "" : "off", "data-staff": s.username },
    td(T.name, el("strong", {}, s.name)), td(T.username, s.username), td(T.role, roleName(s.role)),
    td(T.status, el("span", { class: `tag ${s.active ? "ok" : ""}` }, s.active ? T.active : T.inactive),
      s.locked ? el("span", { class: "tag err" }, T.locked_out) : null),
    actions(...(mayManage(s.role) ? [
      btn(T.edit, () => formDialog(`${T.edit} · ${s.name}`, [
        { name: "name", label: T.name, value: s.name, maxlength: 50 },
        ...(s.id === me ? [] : [{ name: "role", label: T.role, type: "select", options: roles, value: s.role }]),
      ], async (v) => {
        await api(`/api/v1/admin/staff/${s.id}`, { method: "PATCH", body: { name: v.name.trim(), ...(v.role ? { role: v.role } : {}) } });
        toast(T.saved); refresh();
      })),
      btn(T.reset_password, () => formDialog(T.reset_password, [
        { name: "password", label: fmt(T.new_password_for, { name: s.name }), type: "password", autocomplete: "new-password" },
      ], async (v) => {
        await api(`/api/v1/admin/staff/${s.id}/password`, { method: "POST", body: v });
        toast(fmt(T.password_set, { name: s.name })); refresh();
      })),
      s.id === me ? null : s.active
        ? btn(T.deactivate, () => confirmDialog(fmt(T.confirm_deactivate, { name: s.name }), async () => {
          await api(`/api/v1/admin/staff/${s.id}`, { method: "PATCH", body: { active: false } }); toast(T.saved); refresh();
        }), "danger")
        : btn(T.reactivate, async () => {
          try { await api(`/api/v1/admin/staff/${s.id}`, { method: "PATCH", body: { active: true } }); toast(T.saved); refresh(); } catch (e) { failed(e); }
        }),
    ] : []))));
  const matrix = el("table", { class: "data matrix" }, th("", ...META.roles.map(roleName)),
    el("tbody", {}, META.matrix.map(([perm, holders]) => el("tr", {},
      el("td", {}, META.labels[perm] || perm),
      ...META.roles.map((r) => el("td", {}, holders.includes(r) ? el("span", { class: "yes", title: "✓" }, "✓") : el("span", { class: "no" }, "·")))))));
  return [
    el("h2", {}, T.staff, el("span", { class: "actions" }, btn(T.new_staff, () => formDialog(T.new_staff, [
      { name: "name", label: T.name, maxlength: 50 },
      { name: "username", label: T.username, maxlength: 40, autocomplete: "off" },
      { name: "role", label: T.role, type: "select", options: roles, value: "waiter" },
      { name: "password", label: T.password, type: "password", autocomplete: "new-password", hint: fmt(T.new_password_for, { name: "" }).trim() },
    ], async (v) => {
      await api("/api/v1/admin/staff", { method: "POST", body: { ...v, name: v.name.trim(), username: v.username.trim() } });
      toast(T.saved); refresh();
    }), "primary"))),
    el("table", { class: "data" }, th(T.name, T.username, T.role, T.status, ""), el("tbody", {}, rows)),
    el("h2", {}, T.permissions), matrix,
  ];
}

// --- kitchen screens and stations ---------------------------------------------------------------

async function viewScreens() {
  const [{ devices }, { stations }] = await Promise.all([api("/api/v1/admin/kds/devices"), api("/api/v1/admin/stations")]);
  const stationName = (code) => stations.find((s) => s.code === code)?.name || code;
  const pair = () => formDialog(T.new_screen, [
    { name: "name", label: T.screen_name, maxlength: 50, placeholder: "热菜 1" },
    ...stations.map((s) => ({ name: `st_${s.code}`, label: s.name, type: "checkbox", value: false })),
  ], async (v) => {
    const chosen = stations.filter((s) => v[`st_${s.code}`]).map((s) => s.code);
    const made = await api("/api/v1/admin/kds/devices", { method: "POST", body: { name: v.name.trim(), stations: chosen } });
    setTimeout(() => formDialog(T.pairing_code, [], async () => refresh(), { okLabel: T.close, cancel: false,
      intro: el("span", {}, el("span", { class: "pairing", id: "pairing-code" }, made.pairing_code), el("br"),
        fmt(T.pairing_hint, { min: Math.round(made.expires_in / 60) })) }), 0);
  });
  const stationForm = (s) => formDialog(s ? T.rename : T.new_station, [
    ...(s ? [] : [{ name: "code", label: T.station_code, maxlength: 20 }]),
    { name: "name", label: T.name, value: s?.name, maxlength: 50 },
    { name: "sort", label: T.sort, type: "number", value: s?.sort ?? 0, min: 0, max: 1000 },
  ], async (v) => {
    const body = { name: v.name.trim(), sort: Number(v.sort) || 0, ...(s ? {} : { code: v.code.trim() }) };
    await api(s ? `/api/v1/admin/stations/${s.id}` : "/api/v1/admin/stations", { method: s ? "PATCH" : "POST", body });
    toast(T.saved); refresh();
  });
  return [
    el("h2", {}, T.screens, el("span", { class: "actions" }, btn(T.new_screen, pair, "primary"))),
    devices.length ? el("table", { class: "data" }, th(T.name, T.stations, T.status, ""), el("tbody", {}, devices.map((d) =>
      el("tr", { class: d.status === "revoked" ? "off" : "" },
        td(T.name, el("strong", {}, d.name)), td(T.stations, d.stations.length ? d.stations.map(stationName).join("、") : "—"),
        td(T.status, el("span", { class: `tag ${d.status === "paired" ? "ok" : d.status === "pending" ? "warn" : ""}` }, T[d.status])),
        actions(d.status === "revoked" ? null : btn(T.revoke, () => confirmDialog(fmt(T.confirm_revoke, { name: d.name }), async () => {
          await api(`/api/v1/admin/kds/devices/${d.id}/revoke`, { method: "POST" }); toast(T.saved); refresh();
        }), "danger")))))) : el("p", { class: "state" }, T.no_screens),
    el("h2", {}, T.stations, el("span", { class: "actions" }, can("stations.manage") ? btn(T.new_station, () => stationForm(), "primary") : null)),
    el("table", { class: "data" }, th(T.code, T.name, T.sort, ""), el("tbody", {}, stations.map((s) => el("tr", {},
      td(T.code, s.code), td(T.name, s.name), td(T.sort, String(s.sort)), actions(btn(T.rename, () => stationForm(s))))))),
  ];
}

// --- settings --------------------------------------------------------------------------------

async function viewSettings() {
  const { store } = await api("/api/v1/admin/store");
  const fields = [
    { name: "name", label: T.store_name, value: store.name, maxlength: 100, wide: true },
    { name: "pay_mode", label: T.pay_mode, type: "select", value: store.pay_mode, wide: true,
      options: [["pay_later", T.pay_later], ["pay_first", T.pay_first]] },
    { name: "opens_at", label: T.opens_at, type: "time", value: store.opens_at ?? "", hint: T.hours_always },
    { name: "closes_at", label: T.closes_at, type: "time", value: store.closes_at ?? "" },
    { name: "service_charge_bp", label: T.service_charge, value: (store.service_charge_bp / 100).toString(), inputmode: "decimal",
      hint: T.service_charge_hint },
    { name: "kds_warn_minutes", label: T.warn_minutes, type: "number", value: store.kds_warn_minutes, min: 1, max: 240 },
    { name: "kds_late_minutes", label: T.late_minutes, type: "number", value: store.kds_late_minutes, min: 1, max: 480 },
  ];
  const form = el("form", { class: "card", id: "settings-form", novalidate: true },
    el("div", { class: "form-grid" }, ...fields.map(field)),
    el("p", { class: "error form-error", role: "alert", hidden: true }),
    el("div", { class: "form-actions" }, el("button", { type: "submit", class: "btn primary" }, T.save)));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const v = readForm(form, fields);
    try {
      const pct = String(v.service_charge_bp).trim() || "0";
      if (!/^\d{1,2}(\.\d{1,2})?$/.test(pct)) throw invalid("service_charge_bp", T.service_charge_hint);
      await api("/api/v1/admin/store", { method: "PATCH", body: {
        name: v.name.trim(), pay_mode: v.pay_mode, opens_at: emptyToNull(v.opens_at), closes_at: emptyToNull(v.closes_at),
        service_charge_bp: Math.round(Number(pct) * 100), kds_warn_minutes: Number(v.kds_warn_minutes),
        kds_late_minutes: Number(v.kds_late_minutes) } });
      showErrors(form, { fields: {}, message: "" });
      toast(T.saved);
      $("store-name").textContent = v.name.trim();
    } catch (err) {
      if (err instanceof ApiError) showErrors(form, err); else throw err;
    }
  });
  return [el("h2", {}, T.settings), form];
}

// --- audit log ---------------------------------------------------------------------------------

const ACTIONS = ["item.create", "item.price", "item.update", "item.photo", "option.price", "order.void", "payment.cash",
  "payment.other", "payment.refund", "table.rotate_qr", "table.disable", "table.enable", "store.update", "staff.create",
  "staff.role", "staff.update", "staff.deactivate", "staff.password_reset", "staff.password_change", "kds.device.create",
  "kds.device.revoke"];

async function viewAudit() {
  const { staff } = await api("/api/v1/admin/staff");
  const names = new Map(staff.map((s) => [s.id, s.name]));
  const tz = state.session.store.timezone || "Asia/Shanghai";
  const when = new Intl.DateTimeFormat(document.documentElement.lang, { timeZone: tz, dateStyle: "short", timeStyle: "medium" });
  const filters = { action: "", staff_id: "", since: "", until: "" };
  const tbody = el("tbody");
  const more = btn(T.more, () => page(), "");
  const empty = el("p", { class: "state", hidden: true }, T.no_entries);
  let lastId = null;
  const show = (v) => (v && typeof v === "object" ? Object.entries(v).map(([k, x]) => `${k}: ${JSON.stringify(x)}`).join(", ") : "");
  async function page(reset = false) {
    if (reset) { tbody.replaceChildren(); lastId = null; }
    const q = new URLSearchParams({ limit: "50" });
    if (filters.action) q.set("action", filters.action);
    if (filters.staff_id) q.set("staff_id", filters.staff_id);
    if (filters.since) q.set("date_from", filters.since);  // days in the store's time zone
    if (filters.until) q.set("date_to", filters.until);
    if (lastId) q.set("before_id", String(lastId));
    try {
      const { entries } = await api(`/api/v1/admin/audit?${q}`);
      for (const e of entries) {
        tbody.append(el("tr", { "data-action": e.action },
          td(T.when, when.format(new Date(e.created_at))), td(T.who, e.staff_id ? names.get(e.staff_id) || `#${e.staff_id}` : T.system),
          td(T.action, el("span", { class: "tag", title: e.action }, T[`act_${e.action}`] || e.action)), td(T.target, `${e.target_type} ${e.target_id ?? ""}`),
          td(T.change, el("div", { class: "diff" }, show(e.before), e.before || e.after ? " → " : "", show(e.after)))));
        lastId = e.id;
      }
      more.hidden = entries.length < 50;
      empty.hidden = tbody.children.length > 0;
    } catch (err) { failed(err); }
  }
  const ff = [
    { name: "action", label: T.action, type: "select", options: [["", T.all_actions], ...ACTIONS.map((a) => [a, T[`act_${a}`] || a])] },
    { name: "staff_id", label: T.who, type: "select", options: [["", T.all_staff], ...staff.map((s) => [s.id, s.name])] },
    { name: "since", label: T.from, type: "date" }, { name: "until", label: T.until, type: "date" },
  ];
  const form = el("form", { class: "card inline-form", novalidate: true }, ...ff.map(field),
    el("button", { type: "submit", class: "btn primary" }, T.filter));
  form.addEventListener("submit", (ev) => { ev.preventDefault(); Object.assign(filters, readForm(form, ff)); page(true); });
  await page(true);
  return [el("h2", {}, T.audit), form, el("table", { class: "data" }, th(T.when, T.who, T.action, T.target, T.change), tbody),
    empty, el("p", {}, more)];
}

// --- start -------------------------------------------------------------------------------------

(async function boot() {
  try {
    started(await api("/api/v1/staff/session"));
  } catch (err) {
    showLogin(err.status === 0 ? T.network_error : "");
  }
})();
