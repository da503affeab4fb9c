// The menu as the table page shows it, and choosing a dish's options: pure functions of the
// server's menu (GET /api/v1/stores/{id}/menu), tested without WeChat.
const { t } = require("./i18n");
const { yuan } = require("./money");

function groupHint(group) {
  if (group.min > 0 && group.max === group.min) return t("mustChoose", { n: group.min });
  if (group.min > 0) return t("chooseBetween", { min: group.min, max: group.max });
  return t("chooseUpTo", { max: group.max });
}

function soldOut(item) {
  return item.sold_out || item.stock === 0;
}

// Categories with what a card needs: price text, sold out, whether options must be chosen.
function menuView(menu) {
  return (menu.categories || [])
    .filter((c) => c.items && c.items.length)
    .map((c) => ({
      id: c.id,
      name: c.name,
      items: c.items.map((item) => ({
        id: item.id,
        name: item.name,
        description: item.description || "",
        priceText: yuan(item.price),
        soldOut: soldOut(item),
        stockLeft: item.stock !== null && item.stock !== undefined && item.stock > 0 && item.stock <= 5 ? item.stock : null,
        stockLeftText: item.stock > 0 && item.stock <= 5 ? t("onlyLeft", { n: item.stock }) : "",
        hasOptions: (item.option_groups || []).length > 0,
        photo: item.photo_url || "",
      })),
    }));
}

function findItem(menu, itemId) {
  for (const c of menu.categories || []) {
    for (const item of c.items || []) if (item.id === itemId) return item;
  }
  return null;
}

// Tapping an option: a single-choice group swaps its choice; a multi-choice group toggles up to max.
function toggleOption(item, selected, optionId) {
  const group = (item.option_groups || []).find((g) => g.options.some((o) => o.id === optionId));
  if (!group) return selected.slice();
  const inGroup = new Set(group.options.map((o) => o.id));
  if (selected.includes(optionId)) return selected.filter((id) => id !== optionId);
  const chosenHere = selected.filter((id) => inGroup.has(id));
  if (group.max === 1) return selected.filter((id) => !inGroup.has(id)).concat(optionId);
  if (chosenHere.length >= group.max) return selected.slice();
  return selected.concat(optionId);
}

// The groups whose minimum is not met yet, by name: the "add" button says what is missing.
function missingChoices(item, selected) {
  return (item.option_groups || [])
    .filter((g) => g.options.filter((o) => selected.includes(o.id)).length < g.min)
    .map((g) => g.name);
}

function unitPrice(item, selected) {
  let price = item.price;
  for (const g of item.option_groups || []) {
    for (const o of g.options) if (selected.includes(o.id)) price += o.price_delta;
  }
  return price;
}

// The option sheet's view of one dish with the current choice.
function optionsView(item, selected) {
  return {
    id: item.id,
    name: item.name,
    groups: (item.option_groups || []).map((g) => ({
      id: g.id,
      name: g.name,
      hint: groupHint(g),
      options: g.options.map((o) => ({
        id: o.id,
        name: o.name,
        deltaText: o.price_delta ? `+${yuan(o.price_delta)}` : "",
        chosen: selected.includes(o.id),
      })),
    })),
    missing: missingChoices(item, selected),
    addText: missingChoices(item, selected).length
      ? t("pleaseChoose", { name: missingChoices(item, selected)[0] }) : t("addToCart"),
    priceText: yuan(unitPrice(item, selected)),
  };
}

module.exports = { findItem, groupHint, menuView, missingChoices, optionsView, soldOut, toggleOption, unitPrice };
