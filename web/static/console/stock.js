// Ingredient stock (原料库存): what to reorder, every ingredient with its on-hand quantity,
// deliveries (到货) and counts (盘点, with the variance), and a dish's recipe (#stock/recipe/<item id>).
import { el, fmt } from "../dom.js";
import { T, actions, api, btn, failed, formDialog, invalid, refresh, registerView, td, th, toast } from "./core.js";

const UNITS = ["g", "ml", "pcs"];
const unitName = (u) => T[`unit_${u}`] || u;
const qty = (n, unit) => `${n} ${unitName(unit)}`;
const key = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`).replace(/-/g, "");
const whole = (v, name, { min = 0 } = {}) => {
  const t = String(v[name] ?? "").trim();
  if (!/^\d{1,9}$/.test(t) || Number(t) < min) throw invalid(name, T.stock_whole_number);
  return Number(t);
};

function ingredientForm(ing) {
  const fields = [
    { name: "name", label: T.ingredient_name, value: ing?.name, required: true, maxlength: 60 },
    { name: "unit", label: T.stock_unit, type: "select", options: UNITS.map((u) => [u, unitName(u)]), value: ing?.unit || "g" },
    ...(ing ? [] : [{ name: "on_hand", label: T.on_hand, type: "number", value: 0, min: 0, inputmode: "numeric" }]),
    { name: "low_at", label: T.low_at, type: "number", value: ing?.low_at ?? 0, min: 0, inputmode: "numeric", hint: T.low_at_hint },
    { name: "reorder_qty", label: T.reorder_qty, type: "number", value: ing?.reorder_qty ?? 0, min: 0, inputmode: "numeric",
      hint: T.reorder_qty_hint },
    ...(ing ? [{ name: "active", label: T.ingredient_active, type: "checkbox", value: ing.active }] : []),
  ];
  return formDialog(ing ? `${T.edit} · ${ing.name}` : T.new_ingredient, fields, async (v) => {
    if (!v.name.trim()) throw invalid("name", T.ingredient_name_needed);
    const body = { name: v.name.trim(), unit: v.unit, low_at: whole(v, "low_at"), reorder_qty: whole(v, "reorder_qty") };
    if (ing) body.active = !!v.active; else body.on_hand = whole(v, "on_hand");
    await api(ing ? `/api/v1/admin/ingredients/${ing.id}` : "/api/v1/admin/ingredients",
      { method: ing ? "PATCH" : "POST", body });
    toast(T.saved); refresh();
  });
}

function moveForm(ing, kind) {
  const delivery = kind === "delivery";
  const clientKey = key();  // one per form: a resent tap is the same delivery or count
  return formDialog(`${delivery ? T.delivery : T.stock_count} · ${ing.name}`, [
    { name: "qty", label: delivery ? fmt(T.delivery_qty, { unit: unitName(ing.unit) }) : fmt(T.counted_qty, { unit: unitName(ing.unit) }),
      type: "number", min: delivery ? 1 : 0, inputmode: "numeric", required: true,
      value: delivery ? (ing.reorder || "") : "", hint: delivery ? "" : fmt(T.expected_on_hand, { qty: qty(ing.on_hand, ing.unit) }) },
    { name: "note", label: T.note, maxlength: 200 },
  ], async (v) => {
    const n = whole(v, "qty", { min: delivery ? 1 : 0 });
    const body = delivery ? { client_key: clientKey, qty: n, note: v.note.trim() } : { client_key: clientKey, counted: n, note: v.note.trim() };
    const { move } = await api(`/api/v1/admin/ingredients/${ing.id}/${delivery ? "deliveries" : "counts"}`, { method: "POST", body });
    toast(delivery ? T.saved : fmt(T.variance_done, { variance: `${move.variance > 0 ? "+" : ""}${move.variance} ${unitName(ing.unit)}` }));
    refresh();
  });
}

function statusTag(i) {
  if (!i.active) return el("span", { class: "tag" }, T.ingredient_inactive);
  if (i.on_hand <= 0) return el("span", { class: "tag err" }, T.stock_out);
  if (i.low) return el("span", { class: "tag warn" }, T.stock_low);
  return el("span", { class: "tag ok" }, T.stock_ok);
}

async function viewStock(sub, id) {
  if (sub === "recipe" && id) return recipeEditor(id);
  const { ingredients } = await api("/api/v1/admin/ingredients");
  const dishName = new Map(ingredients.flatMap((i) => i.dishes).map((d) => [d.id, d.name]));
  const low = ingredients.filter((i) => i.low).sort((a, b) => (a.on_hand > 0) - (b.on_hand > 0) || a.on_hand / Math.max(a.low_at, 1) - b.on_hand / Math.max(b.low_at, 1));
  const blocked = (i) => i.blocking.map((d) => dishName.get(d) || `#${d}`).join("、");
  const lowList = el("section", { class: "card", id: "low-stock", "aria-labelledby": "low-stock-title" },
    el("h3", { id: "low-stock-title" }, T.low_stock, el("span", { class: "tag warn" }, String(low.length))),
    low.length ? el("table", { class: "data" }, th(T.ingredient_name, T.on_hand, T.low_at, T.reorder, T.sold_out_dishes, ""),
      el("tbody", {}, low.map((i) => el("tr", { "data-low": i.name },
        td(T.ingredient_name, i.name), td(T.on_hand, statusTag(i), " ", qty(i.on_hand, i.unit)),
        td(T.low_at, qty(i.low_at, i.unit)), td(T.reorder, el("strong", {}, qty(i.reorder, i.unit))),
        td(T.sold_out_dishes, blocked(i) || "—"),
        actions(btn(T.delivery, () => moveForm(i, "delivery"), "primary"))))))
      : el("p", { class: "state" }, T.nothing_low));
  const all = ingredients.length ? el("table", { class: "data", id: "ingredients" },
    th(T.ingredient_name, T.on_hand, T.low_at, T.used_by, ""),
    el("tbody", {}, ingredients.map((i) => el("tr", { "data-ingredient": i.name },
      td(T.ingredient_name, i.name), td(T.on_hand, statusTag(i), " ", qty(i.on_hand, i.unit)),
      td(T.low_at, qty(i.low_at, i.unit)),
      td(T.used_by, i.dishes.length ? i.dishes.map((d, n) => [n ? "、" : "", el("a", { href: `#stock/recipe/${d.id}` }, d.name)]).flat() : "—"),
      actions(btn(T.delivery, () => moveForm(i, "delivery")), btn(T.stock_count, () => moveForm(i, "count")),
        btn(T.edit, () => ingredientForm(i)))))))
    : el("p", { class: "state" }, T.no_ingredients);
  return [
    el("h2", {}, T.ingredients, el("span", { class: "actions" },
      btn(T.new_ingredient, () => ingredientForm(null), "primary"),
      el("a", { class: "btn", href: "#stock/recipe" }, T.recipes))),
    lowList,
    el("section", { class: "card" }, el("h3", {}, T.all_ingredients), all),
  ];
}

async function recipeEditor(itemId) {
  const [{ categories }, { ingredients }] = await Promise.all([api("/api/v1/admin/menu"), api("/api/v1/admin/ingredients")]);
  const dishes = categories.flatMap((c) => c.items);
  const picker = el("label", {}, T.dish, el("select", { id: "recipe-dish", onchange: (ev) => { location.hash = `#stock/recipe/${ev.target.value}`; } },
    el("option", { value: "" }, T.choose_dish), dishes.map((d) => el("option", { value: d.id, selected: String(d.id) === itemId }, d.name))));
  const head = [el("h2", {}, T.recipe, el("span", { class: "actions" }, el("a", { class: "btn ghost", href: "#stock" }, T.close))),
    el("div", { class: "card" }, picker)];
  const item = dishes.find((d) => String(d.id) === itemId);
  if (!item) return [...head, el("p", { class: "state" }, T.choose_dish)];
  const { recipe } = await api(`/api/v1/admin/items/${item.id}/recipe`);
  const options = (item.option_groups || []).flatMap((g) => g.options.map((o) => [o.id, `${g.name} · ${o.name}`]));
  const rows = el("tbody", {});
  const addRow = (line = {}) => {
    const ing = el("select", { name: "ingredient_id", "aria-label": T.ingredient_name },
      ingredients.map((i) => el("option", { value: i.id, selected: i.id === line.ingredient_id }, `${i.name} (${unitName(i.unit)})`)));
    const amount = el("input", { name: "qty", type: "number", min: 1, inputmode: "numeric", "aria-label": T.per_portion, value: line.qty ?? "" });
    const opt = el("select", { name: "option_id", "aria-label": T.recipe_when },
      el("option", { value: "" }, T.every_portion), options.map(([v, label]) => el("option", { value: v, selected: v === line.option_id }, label)));
    const row = el("tr", {}, td(T.ingredient_name, ing), td(T.per_portion, amount), td(T.recipe_when, opt),
      actions(btn(T.delete, () => row.remove())));
    rows.append(row);
  };
  recipe.lines.forEach(addRow);
  const error = el("p", { class: "error form-error", role: "alert", hidden: true });
  const save = async () => {
    error.hidden = true;
    const lines = [...rows.querySelectorAll("tr")].map((tr) => ({
      ingredient_id: Number(tr.querySelector("[name=ingredient_id]").value), qty: Number(tr.querySelector("[name=qty]").value),
      option_id: tr.querySelector("[name=option_id]").value ? Number(tr.querySelector("[name=option_id]").value) : null }));
    if (lines.some((l) => !Number.isInteger(l.qty) || l.qty < 1)) { error.textContent = T.stock_whole_number; error.hidden = false; return; }
    try {
      await api(`/api/v1/admin/items/${item.id}/recipe`, { method: "PUT", body: { lines } });
      toast(T.saved); refresh();
    } catch (err) { error.textContent = err.message || T.network_error; error.hidden = false; failed(err); }
  };
  const left = recipe.portions_left == null ? T.no_recipe : fmt(T.portions_left, { count: recipe.portions_left });
  return [...head, el("section", { class: "card", id: "recipe" },
    el("h3", {}, item.name, el("span", { class: "hint" }, left)),
    ingredients.length ? el("table", { class: "data" }, th(T.ingredient_name, T.per_portion, T.recipe_when, ""), rows)
      : el("p", { class: "state" }, T.no_ingredients),
    error,
    el("div", { class: "form-actions" }, ingredients.length ? btn(T.add_ingredient_line, () => addRow()) : null,
      el("button", { type: "button", class: "btn primary", onclick: save }, T.save)))];
}

registerView("stock", viewStock);
