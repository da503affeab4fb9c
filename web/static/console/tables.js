// Tables and areas: codes, QR links, rotating a code, the printable sheet.
import { el, ApiError, delta, fmt, yuan } from "../dom.js";
import {
  $, T, META, PHOTO_MAX_MB, actions, api, btn, can, confirmDialog, emptyToNull, failed, field, formDialog, invalid, load, money,
  readForm, refresh, registerView, roleName, showErrors, state, td, th, toFen, toast, yuanInput,
} from "./core.js";

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

registerView("tables", viewTables);
