// "Often ordered with" (常一起点): the store's own pairings of dishes (no one's profile), fetched
// once with the menu and shown on a dish's sheet and under the cart.
import { el, fmt } from "../dom.js";
import { T, api, state } from "./core.js";

let pairings = {};

export async function loadPairings() {
  try {
    pairings = (await api(`/api/v1/stores/${state.store.id}/often-ordered-with`, { auth: false })).items;
  } catch { pairings = {}; }  // a suggestion, nothing more: the page works without it
}

// Into ``box``: the dishes most often ordered with ``itemIds``, leaving out those already chosen.
export function showTogether(box, itemIds) {
  const chosen = new Set(itemIds);
  const seen = new Map();
  for (const id of itemIds) {
    for (const p of pairings[id] || []) if (!chosen.has(p.item_id)) seen.set(p.item_id, p.name);
  }
  const names = [...seen.values()].slice(0, 3);
  box.hidden = names.length === 0;
  box.replaceChildren(el("span", { class: "label" }, T.often_with), fmt(T.often_with_list, { dishes: names.join("、") }));
}
