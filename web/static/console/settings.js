// Store settings: pay mode, ordering hours, service charge, ticket timers, headcount on entry.
import { el, ApiError, delta, fmt, yuan } from "../dom.js";
import {
  $, T, META, PHOTO_MAX_MB, actions, api, btn, can, confirmDialog, emptyToNull, failed, field, formDialog, invalid, load, money,
  readForm, refresh, registerView, roleName, showErrors, state, td, th, toFen, toast, yuanInput,
} from "./core.js";

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
    { name: "cashier_discount_bp", label: T.cashier_discount, value: (store.cashier_discount_bp / 100).toString(),
      inputmode: "decimal", hint: T.discount_limit_hint },
    { name: "manager_discount_bp", label: T.manager_discount, value: (store.manager_discount_bp / 100).toString(),
      inputmode: "decimal" },
    { name: "max_portions_round", label: T.max_portions_round, type: "number", value: store.max_portions_round, min: 1,
      max: 2000, hint: T.max_portions_hint },
    { name: "max_portions_check", label: T.max_portions_check, type: "number", value: store.max_portions_check, min: 1,
      max: 10000 },
    { name: "ask_headcount", label: T.ask_headcount, type: "select", value: store.ask_headcount ? "1" : "0", wide: true,
      options: [["0", T.headcount_off], ["1", T.headcount_on]] },
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
      const limit = (name) => {  // a discount limit in percent, 0–100, as basis points
        const text = String(v[name]).trim() || "0";
        if (!/^\d{1,3}(\.\d{1,2})?$/.test(text) || Number(text) > 100) throw invalid(name, T.discount_limit_hint);
        return Math.round(Number(text) * 100);
      };
      await api("/api/v1/admin/store", { method: "PATCH", body: {
        name: v.name.trim(), pay_mode: v.pay_mode, opens_at: emptyToNull(v.opens_at), closes_at: emptyToNull(v.closes_at),
        service_charge_bp: Math.round(Number(pct) * 100), kds_warn_minutes: Number(v.kds_warn_minutes),
        kds_late_minutes: Number(v.kds_late_minutes), cashier_discount_bp: limit("cashier_discount_bp"),
        manager_discount_bp: limit("manager_discount_bp"), max_portions_round: Number(v.max_portions_round),
        max_portions_check: Number(v.max_portions_check), ask_headcount: v.ask_headcount === "1" } });
      showErrors(form, { fields: {}, message: "" });
      toast(T.saved);
      $("store-name").textContent = v.name.trim();
    } catch (err) {
      if (err instanceof ApiError) showErrors(form, err); else throw err;
    }
  });
  return [el("h2", {}, T.settings), form];
}

registerView("settings", viewSettings);
