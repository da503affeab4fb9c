// Staff and roles: accounts, the permission matrix, password resets, deactivation.
import { el, ApiError, delta, fmt, yuan } from "../dom.js";
import {
  $, T, META, PHOTO_MAX_MB, actions, api, btn, can, confirmDialog, emptyToNull, failed, field, formDialog, invalid, load, money,
  readForm, refresh, registerView, roleName, showErrors, state, td, th, toFen, toast, yuanInput,
} from "./core.js";

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

registerView("staff", viewStaff);
