// The diner's coupons (优惠券): the store's coupons above the menu, claimed with the diner's own
// login (no phone number), and one of them chosen when paying the check. The server prices it.
import { el, fmt, yuan } from "../dom.js";
import { $, T, authed, state } from "./core.js";

let offers = [];
let onChange = () => {};

const terms = (c) => (c.kind === "percent_off" ? fmt(T.coupon_percent, { percent: c.value }) : fmt(T.coupon_amount, { amount: yuan(c.value) }))
  + (c.min_spend ? ` · ${fmt(T.coupon_min_spend, { amount: yuan(c.min_spend) })}` : "");

// ``changed`` runs whenever the diner's coupons change (the check redraws its choice).
export async function loadCoupons(changed) {
  if (changed) onChange = changed;
  try {
    offers = (await authed(`/api/v1/stores/${state.store.id}/coupons`)).coupons;
  } catch { offers = []; }  // coupons are an extra: the menu works without them
  renderStrip();
  onChange();
}

async function claim(c, button) {
  button.disabled = true;
  try {
    await authed(`/api/v1/coupons/${c.id}/claim`, { method: "POST" });
    await loadCoupons();
  } catch (err) {
    button.disabled = false;
    button.textContent = err.message || T.network_error;
  }
}

function renderStrip() {
  const box = $("coupons");
  box.hidden = offers.length === 0;
  box.replaceChildren(...offers.map((c) => el("div", { class: "coupon", "data-coupon": c.id },
    el("b", {}, c.name), el("span", {}, terms(c)),
    c.claimed >= c.per_diner
      ? el("span", { class: "claimed" }, c.usable ? T.coupon_claimed : T.coupon_used)
      : el("button", { type: "button", class: "btn small", onclick: (ev) => claim(c, ev.currentTarget) }, T.coupon_claim))));
}

// The coupons this diner may use on ``due`` fen, as a choice beside the pay button.
export function renderChoice(due) {
  const box = $("coupon-choice");
  const usable = offers.filter((c) => c.usable > 0 && due >= Math.max(c.min_spend, 1));
  box.hidden = usable.length === 0 || due <= 0;
  const previous = $("coupon-select")?.value || "";
  const select = el("select", { id: "coupon-select", "aria-label": T.use_coupon },
    el("option", { value: "" }, T.no_coupon),
    usable.map((c) => el("option", { value: c.id, selected: String(c.id) === previous }, `${c.name} · ${terms(c)}`)));
  box.replaceChildren(el("label", {}, T.use_coupon, select));
}

export const chosenCoupon = () => Number($("coupon-select")?.value) || null;
