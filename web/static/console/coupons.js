// The console's coupons (优惠券): make one, pause, resume or end it, and see what each earned
// (claimed, used, discount given, net sales of the checks that used it, the last 30 days).
import { el, ApiError, fmt, yuan } from "../dom.js";
import { T, api, failed, formDialog, refresh, storeDay, toast } from "./core.js";

const asFen = (text) => {
  const t = String(text).trim();
  return /^\d{1,6}(\.\d{1,2})?$/.test(t) ? Math.round(Number(t) * 100) : null;
};
const localInput = (date) => new Date(date.getTime() - date.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
const bad = (name, message) => new ApiError(422, { error: { code: "validation_error", message, fields: { [name]: [message] } } });

function couponBody(v) {
  const percent = v.kind === "percent_off";
  const value = percent ? Number(v.value) : asFen(v.value);
  if (!v.name.trim()) throw bad("name", T.coupon_name_needed);
  if (!Number.isInteger(value) || value < 1 || (percent && value > 99)) throw bad("value", percent ? T.coupon_percent_range : T.coupon_amount_bad);
  const minSpend = v.min_spend.trim() === "" ? 0 : asFen(v.min_spend);
  if (minSpend == null) throw bad("min_spend", T.coupon_amount_bad);
  if (!v.starts_at || !v.ends_at) throw bad("ends_at", T.coupon_window_needed);
  return { name: v.name.trim(), kind: v.kind, value, min_spend: minSpend,
    starts_at: new Date(v.starts_at).toISOString(), ends_at: new Date(v.ends_at).toISOString(),
    per_diner: Number(v.per_diner) || 1, total: v.total.trim() === "" ? null : Number(v.total) };
}

export async function viewCoupons() {
  const today = new Date();
  const from = storeDay(new Date(today.getTime() - 29 * 86400000));  // business days of the store
  const to = storeDay(today);
  const [{ coupons }, earned] = await Promise.all([api("/api/v1/admin/coupons"),
    api(`/api/v1/admin/reports/coupons?from=${from}&to=${to}`)]);
  const recent = new Map(earned.coupons.map((c) => [c.id, c]));
  const terms = (c) => (c.kind === "percent_off" ? fmt(T.coupon_percent_fmt, { percent: c.value }) : `-${yuan(c.value)}`)
    + (c.min_spend ? ` · ${T.coupon_min_spend} ${yuan(c.min_spend)}` : "");
  const move = (c, action) => async () => {
    try {
      await api(`/api/v1/admin/coupons/${c.id}/${action}`, { method: "POST" });
      toast(T.saved);
      refresh();
    } catch (err) { failed(err); }
  };
  const create = () => formDialog(T.new_coupon, [
    { name: "name", label: T.coupon_name, required: true, maxlength: 60 },
    { name: "kind", label: T.coupon_kind, type: "select", options: [["amount_off", T.amount_off], ["percent_off", T.percent_off]], value: "amount_off" },
    { name: "value", label: T.coupon_value, inputmode: "decimal", hint: T.coupon_value_hint },
    { name: "min_spend", label: T.coupon_min_spend_yuan, inputmode: "decimal", value: "0" },
    { name: "starts_at", label: T.coupon_starts, type: "datetime-local", value: localInput(today) },
    { name: "ends_at", label: T.coupon_ends, type: "datetime-local", value: localInput(new Date(today.getTime() + 30 * 86400000)) },
    { name: "per_diner", label: T.coupon_per_diner, type: "number", value: 1, min: 1, max: 100 },
    { name: "total", label: T.coupon_total, type: "number", min: 1, hint: T.coupon_total_hint },
  ], async (v) => {
    await api("/api/v1/admin/coupons", { method: "POST", body: couponBody(v) });
    toast(T.saved);
    refresh();
  });
  const statusTag = (s) => el("span", { class: `tag ${s === "active" ? "ok" : s === "paused" ? "warn" : ""}` }, T[`coupon_${s}`] || s);
  const td = (label, ...kids) => el("td", { "data-label": label }, ...kids);
  const btn = (label, onclick) => el("button", { type: "button", class: "btn small", onclick }, label);
  const rows = coupons.map((c) => {
    const r = recent.get(c.id) || { net_sales_with: 0 };
    return el("tr", { "data-coupon": c.id },
      td(T.coupon_name, c.name), td(T.coupon_terms, terms(c)), td(T.status, statusTag(c.status)),
      td(T.coupon_claimed, `${c.claimed}${c.total ? ` / ${c.total}` : ""}`), td(T.coupon_used, String(c.used)),
      td(T.coupon_discount, el("span", { class: "money" }, yuan(c.discount))),
      td(T.coupon_net_with, el("span", { class: "money" }, yuan(r.net_sales_with))),
      el("td", { class: "actions" }, el("div", { class: "row-actions" },
        c.status === "active" ? btn(T.coupon_pause, move(c, "pause")) : null,
        c.status === "paused" ? btn(T.coupon_resume, move(c, "resume")) : null,
        c.status !== "ended" ? btn(T.coupon_end, move(c, "end")) : null)));
  });
  return [
    el("h3", {}, T.coupons, el("span", { class: "actions" },
      el("button", { type: "button", class: "btn primary", onclick: create }, T.new_coupon))),
    coupons.length ? el("table", { class: "data" },
      el("thead", {}, el("tr", {}, [T.coupon_name, T.coupon_terms, T.status, T.coupon_claimed, T.coupon_used,
        T.coupon_discount, T.coupon_net_with, ""].map((h) => el("th", {}, h)))), el("tbody", {}, rows))
      : el("p", { class: "state" }, T.no_coupons),
  ];
}
