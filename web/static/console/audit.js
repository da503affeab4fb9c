// The audit log, with filters by day (store time), person and action.
import { el, ApiError, delta, fmt, yuan } from "../dom.js";
import {
  $, T, META, PHOTO_MAX_MB, actions, api, btn, can, confirmDialog, emptyToNull, failed, field, formDialog, invalid, load, money,
  readForm, refresh, registerView, roleName, showErrors, state, td, th, toFen, toast, yuanInput,
} from "./core.js";

// --- audit log ---------------------------------------------------------------------------------

const ACTIONS = ["item.create", "item.price", "item.update", "item.photo", "option.price", "order.void", "payment.cash",
  "payment.other", "payment.refund", "payment.overpaid", "payment.cancel", "table.rotate_qr", "table.disable",
  "table.enable", "store.update", "staff.create",
  "staff.role", "staff.update", "staff.deactivate", "staff.password_reset", "staff.password_change", "kds.device.create",
  "kds.device.revoke", "discount.give", "check.move", "check.merge", "shift.open", "shift.close",
  "printer.create", "printer.update", "printer.delete", "print.reprint", "item.sold_out", "table.clear", "table.create",
  "area.create"];

// A change as people read it: only the fields that changed, named in their language, money as ¥,
// yes/no for switches; a field that is new (nothing before) shows its value alone.
const MONEY = /(^|_)(price|price_delta|amount|cash|tendered|change|difference|min_spend|total|due|paid)$/;
function value(k, v) {
  if (v == null || v === "") return "—";
  if (typeof v === "boolean") return v ? T.yes : T.no;
  if (typeof v === "number" && MONEY.test(k)) return yuan(v);
  if (typeof v === "object") return Object.entries(v).map(([x, y]) => `${T[`f_${x}`] || x} ${value(x, y)}`).join("，");
  return String(v);
}
export function changes(before, after) {
  const b = before || {}, a = after || {};
  return [...new Set([...Object.keys(b), ...Object.keys(a)])]
    .filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]))
    .map((k) => el("div", { class: "change" }, el("span", { class: "field" }, T[`f_${k}`] || k), " ",
      k in b && k in a ? [el("s", {}, value(k, b[k])), " → ", el("b", {}, value(k, a[k]))]
        : el("b", {}, value(k, k in a ? a[k] : b[k]))));
}
const target = (e) => {
  const kind = T[`target_${e.target_type}`] || "";
  if (e.target_type === "table" && e.target_name) return fmt(T.table_n, { code: e.target_name });
  return e.target_name ? `${kind}${kind ? " " : ""}${e.target_name}` : `${kind || e.target_type} ${e.target_id ?? ""}`.trim();
};

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
          td(T.action, el("span", { class: "tag", title: e.action }, T[`act_${e.action}`] || e.action)), td(T.target, target(e)),
          td(T.change, el("div", { class: "diff" }, changes(e.before, e.after)))));
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

registerView("audit", viewAudit);
