// The menu: categories, dish cards, live changes from the console, and the options sheet.
import { delta, el, fmt, yuan } from "../dom.js";
import { addToCart, setQty } from "./cart.js";
import { $, T, api, authed, banner, closeSheets, openSheet, state, tablePath } from "./core.js";
import { showTogether } from "./together.js";

export async function loadMenu() {
  showMenu(await api(`/api/v1/stores/${state.store.id}/menu`, { auth: false }));
}

/** Lay out a menu answer (fetched, or the one the page arrived with). */
export function showMenu(menu) {
  state.menu = menu.categories;
  state.items.clear();
  for (const c of menu.categories) for (const i of c.items) state.items.set(i.id, i);
  renderMenu();
  const s = state.store;
  const hours = $("store-hours");
  hours.textContent = s.opens_at ? fmt(T.hours, { from: s.opens_at, until: s.closes_at }) : "";
  hours.hidden = !s.opens_at;
  const charge = $("service-charge");
  charge.textContent = s.service_charge_bp ? fmt(T.service_charge_n, { pct: `${s.service_charge_bp / 100}%` }) : "";
  charge.hidden = !s.service_charge_bp;
}

// The manager changed the menu: fetch it again (coalesced, so a burst of edits costs one reload).
let menuReload = null;
export function reloadMenuSoon() {
  clearTimeout(menuReload);
  menuReload = setTimeout(async () => {
    try {
      const info = await authed(tablePath());
      state.store = info.store;
      await loadMenu();
    } catch { /* the next change or reload tries again */ }
  }, 300);
}

function renderMenu() {
  const nav = $("categories"), list = $("items");
  nav.replaceChildren(); list.replaceChildren();
  state.menu.forEach((cat, idx) => {
    const anchor = `cat-${cat.id}`;
    nav.append(el("button", { type: "button", class: idx === 0 ? "active" : "", "data-target": anchor,
      onclick: (e) => { document.getElementById(anchor).scrollIntoView({ behavior: "smooth" }); setActive(e.currentTarget); } },
      cat.name));
    list.append(el("h2", { id: anchor, class: "cat-title" }, cat.name));
    for (const item of cat.items) list.append(itemCard(item));
  });
  const observer = new IntersectionObserver((entries) => {
    for (const entry of entries) if (entry.isIntersecting) {
      const btn = nav.querySelector(`[data-target="${entry.target.id}"]`);
      if (btn) setActive(btn);
    }
  }, { root: list, rootMargin: "0px 0px -80% 0px" });
  list.querySelectorAll(".cat-title").forEach((h) => observer.observe(h));
}

function setActive(btn) {
  btn.parentElement.querySelectorAll("button").forEach((b) => b.classList.toggle("active", b === btn));
}

function thumb(item) {
  if (!item.photo_url) return el("div", { class: "dish-thumb", "aria-hidden": "true" }, item.name.slice(0, 1));
  // thumbnails of the displayed size (76 px) at 1×, 2× and 3×: never a 1200 px photo in a 76 px box
  return el("img", { class: "dish-thumb", src: item.photo_url, srcset: item.photo_srcset || false,
    sizes: item.photo_srcset ? "76px" : false, width: 76, height: 76, alt: "", loading: "lazy" });
}

// The cart lines of ``item``, mine first, newest first: "−" takes one off the first of them.
function linesOf(item) {
  const mine = (l) => (l.diner === state.cart.me ? 0 : 1);
  return state.cart.lines.filter((l) => l.item_id === item.id).sort((a, b) => mine(a) - mine(b) || b.id - a.id);
}

function itemCard(item) {
  const soldOut = item.sold_out || item.stock === 0;
  const hasOptions = item.option_groups.length > 0;
  const inCart = linesOf(item).reduce((n, l) => n + l.qty, 0);
  // "+" keeps its place at the right edge whatever happens: the count and "−" appear to its left
  return el("article", { class: `dish${soldOut ? " sold-out" : ""}`, "data-item": item.id },
    thumb(item),
    el("div", { class: "dish-body" },
      el("h3", {}, item.name),
      item.description ? el("p", { class: "desc" }, item.description) : null,
      item.stock != null && !soldOut ? el("p", { class: "stock" }, fmt(T.left_n, { n: item.stock })) : null,
      el("div", { class: "dish-foot" },
        el("span", { class: "price" }, yuan(item.price)),
        soldOut ? el("span", { class: "badge" }, T.sold_out) : el("span", { class: "card-stepper" },
          // "−" and the count hold their place while empty (hidden): the first "+" moves nothing
          el("button", { type: "button", class: `less${inCart ? "" : " held"}`, "aria-label": fmt(T.fewer_x, { name: item.name }),
            "aria-hidden": inCart ? false : "true", tabindex: inCart ? false : "-1", onclick: () => takeOne(item) }, "−"),
          el("span", { class: `in-cart${inCart ? "" : " held"}`, "aria-label": inCart ? fmt(T.in_cart_n, { n: inCart }) : false },
            String(inCart)),
          // the accessible name holds the visible text ("选规格") too, for voice control
          el("button", { type: "button", class: hasOptions ? "btn small" : "add",
            "aria-label": hasOptions ? `${T.choose} · ${fmt(T.add_x, { name: item.name })}` : fmt(T.add_x, { name: item.name }),
            onclick: () => (hasOptions ? openOptions(item) : addToCart(item, 1, [], "")) },
          hasOptions ? T.choose : "+")))));
}

function takeOne(item) {
  const line = linesOf(item)[0];
  if (line) setQty(line, line.qty - 1);
}

export function refreshItem(id) {
  const old = document.querySelector(`[data-item="${id}"]`);
  if (!old) return;
  const focused = old.contains(document.activeElement) ? document.activeElement.className : null;
  const card = itemCard(state.items.get(id));
  old.replaceWith(card);
  if (focused) (card.querySelector(`[class="${focused}"]`) || card.querySelector(".add, .btn"))?.focus();
}

// -- options sheet ---------------------------------------------------------------------------
let choosing = null;
function openOptions(item) {
  choosing = { item, chosen: new Map(item.option_groups.map((g) => [g.id, new Set()])), qty: 1 };
  $("opt-name").textContent = item.name;
  showTogether($("opt-together"), [item.id]);
  $("opt-note").value = "";
  const body = $("opt-groups");
  body.replaceChildren();
  for (const g of item.option_groups) {
    const rule = g.required ? (g.min === g.max ? fmt(T.pick_exactly, { n: g.min }) : fmt(T.pick_range, { min: g.min, max: g.max }))
      : fmt(T.pick_up_to, { max: g.max });
    body.append(el("fieldset", { class: "group" },
      el("legend", {}, g.name, el("small", { class: g.required ? "req" : "" }, rule)),
      el("div", { class: "choices" }, g.options.map((o) => el("button", {
        type: "button", class: "choice", "aria-pressed": "false", "data-group": g.id, "data-option": o.id,
        onclick: (e) => toggleOption(g, o, e.currentTarget),
      }, o.name, o.price_delta ? el("small", {}, ` ${delta(o.price_delta)}`) : null)))));
  }
  updateOptionButton();
  openSheet("option-sheet");
}

function toggleOption(group, option, button) {
  const set = choosing.chosen.get(group.id);
  if (set.has(option.id)) set.delete(option.id);
  else {
    if (group.max === 1) set.clear();
    if (set.size >= group.max) return banner(fmt(T.pick_up_to, { max: group.max }), "warn");
    set.add(option.id);
  }
  document.querySelectorAll(`[data-group="${group.id}"]`).forEach((b) =>
    b.setAttribute("aria-pressed", String(set.has(Number(b.dataset.option)))));
  updateOptionButton();
}

function optionPrice() {
  let unit = choosing.item.price;
  for (const g of choosing.item.option_groups) for (const o of g.options) if (choosing.chosen.get(g.id).has(o.id)) unit += o.price_delta;
  return unit;
}

function updateOptionButton() {
  const missing = choosing.item.option_groups.find((g) => choosing.chosen.get(g.id).size < g.min);
  const btn = $("opt-add");
  btn.disabled = Boolean(missing);
  btn.textContent = missing ? fmt(T.please_choose, { name: missing.name }) : `${T.add_to_cart} ${yuan(optionPrice() * choosing.qty)}`;
  $("opt-qty").textContent = choosing.qty;
}

$("opt-minus").onclick = () => { choosing.qty = Math.max(1, choosing.qty - 1); updateOptionButton(); };
$("opt-plus").onclick = () => { choosing.qty = Math.min(99, choosing.qty + 1); updateOptionButton(); };
$("opt-add").onclick = async () => {
  const ids = [...choosing.chosen.values()].flatMap((s) => [...s]);
  closeSheets();
  await addToCart(choosing.item, choosing.qty, ids, $("opt-note").value.trim());
};
