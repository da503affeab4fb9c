// The menu: categories, dishes with prices, photos, stock and options.
import { el, ApiError, delta, fmt, yuan } from "../dom.js";
import {
  $, T, META, PHOTO_MAX_MB, actions, api, btn, can, confirmDialog, emptyToNull, failed, field, formDialog, invalid, load, money,
  readForm, refresh, registerView, roleName, showErrors, state, td, th, toFen, toast, yuanInput,
} from "./core.js";

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
  // 估清 in one tap from the list, and back on with the next; the kitchen and every phone hear it at once.
  const soldOut = async (i, on) => {
    try {
      await api(`/api/v1/admin/items/${i.id}`, { method: "PATCH", body: { sold_out: on } });
      toast(fmt(on ? T.marked_sold_out : T.back_on_menu, { name: i.name })); refresh();
    } catch (err) { failed(err); }
  };
  const search = el("input", { type: "search", id: "menu-search", placeholder: T.search_dishes, "aria-label": T.search_dishes,
    value: state.menuSearch || "" });
  const noMatch = el("p", { class: "state", hidden: true }, T.no_match);
  const filter = () => {
    const q = (state.menuSearch = search.value.trim().toLowerCase());
    let shown = 0;
    for (const section of document.querySelectorAll("section[data-category]")) {
      let here = 0;
      for (const row of section.querySelectorAll("tr[data-item]")) {
        row.hidden = q !== "" && !row.dataset.item.toLowerCase().includes(q);
        if (!row.hidden) here += 1;
      }
      section.hidden = q !== "" && here === 0;
      shown += here;
    }
    noMatch.hidden = q === "" || shown > 0;
  };
  search.addEventListener("input", filter);
  if (search.value) requestAnimationFrame(filter);
  return [
    el("div", { class: "menu-tools" }, search), noMatch,
    el("h2", {}, T.menu, el("span", { class: "actions" }, btn(T.new_category, () => catForm(), "primary"),
      el("a", { class: "btn", id: "print-labels", href: "/console/menu/labels", target: "_blank", rel: "noopener" },
        T.print_labels))),
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
          actions(btn(i.sold_out ? T.back_on_now : T.sell_out_now, () => soldOut(i, !i.sold_out), `small${i.sold_out ? " pressed" : ""}`),
            el("a", { class: "btn small", href: `#menu/item/${i.id}` }, T.edit)))))) : el("p", { class: "hint" }, T.no_dishes))),
  ];
}

function itemEditor(item, categories, stations) {
  const fields = [
    { name: "name", label: T.name, value: item.name, maxlength: 80 },
    { name: "price", label: T.price, value: yuanInput(item.price), inputmode: "decimal" },
    { name: "category_id", label: T.category, type: "select", options: categories.map((c) => [c.id, c.name]), value: item.category_id },
    { name: "station", label: T.station, type: "select", options: stations.map((s) => [s.code, s.name]), value: item.station },
    { name: "stock", label: T.stock, type: "number", value: item.stock ?? "", min: 0, hint: T.stock_hint, inputmode: "numeric" },
    { name: "code", label: T.item_code, value: item.code ?? "", maxlength: 64, hint: T.item_code_hint },
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
      can("stock.manage") ? el("a", { class: "btn", href: `#stock/recipe/${item.id}`, id: "edit-recipe" }, T.edit_recipe) : null,
      el("button", { type: "submit", class: "btn primary" }, T.save)));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const v = readForm(form, fields);
    try {
      const body = { name: v.name.trim(), price: money(v, "price"), category_id: Number(v.category_id), station: v.station,
        stock: v.stock === "" ? null : Number(v.stock), available_from: emptyToNull(v.available_from),
        available_until: emptyToNull(v.available_until), sort: Number(v.sort) || 0, description: v.description.trim(),
        active: v.active, sold_out: v.sold_out, code: emptyToNull(v.code.trim()) };
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

registerView("menu", viewMenu);
