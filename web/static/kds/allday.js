// The all-day panel: how many of each dish are still to cook, and 估清 (sold out) with its state and
// its undo. A dish marked here stays listed, even with nothing left to cook, so the undo is at hand.
import { el, fmt } from "../dom.js";
import { $, T, api, hooks, say, stationQuery, toast } from "./core.js";

const markedHere = new Map();  // item id -> row

async function setSoldOut(row, soldOut) {
  if (soldOut && !window.confirm(fmt(T.confirm_sold_out, { name: row.name }))) return;
  try {
    await api(`/api/v1/kds/items/${row.item_id}/sold-out`, { method: "POST", body: { sold_out: soldOut } });
    if (soldOut) markedHere.set(row.item_id, row); else markedHere.delete(row.item_id);
    toast(fmt(soldOut ? T.marked_sold_out : T.back_on_menu, { name: row.name }));
    refreshAllDay();
  } catch (ex) { toast(say(ex)); }
}

function row(r) {
  return el("li", { class: r.sold_out ? "is-sold-out" : "" },
    el("b", {}, r.qty), el("span", {}, r.name, r.sold_out ? el("em", { class: "sold-tag" }, T.sold_out) : null),
    el("button", { type: "button", class: "soldout-btn", "aria-pressed": String(r.sold_out),
      title: r.sold_out ? T.back_on_menu_hint : T.mark_sold_out,
      onclick: () => setSoldOut(r, !r.sold_out) }, r.sold_out ? T.undo_sold_out : T.mark_sold_out_short));
}

let timer = null;
export async function refreshAllDay(soon = false) {
  if (soon) { clearTimeout(timer); timer = setTimeout(refreshAllDay, 400); return; }
  if ($("allday").hidden) return;
  try {
    const data = await api(`/api/v1/kds/all-day${stationQuery()}`);
    const listed = new Set(data.items.map((r) => r.item_id));
    const rows = [...data.items, ...[...markedHere.values()].filter((r) => !listed.has(r.item_id))
      .map((r) => ({ ...r, qty: 0, sold_out: true }))];
    $("allday-list").replaceChildren(...rows.map(row));
  } catch { /* the next change retries */ }
}
hooks.refreshAllDay = refreshAllDay;

export function togglePanel(id, button) {
  const on = $(id).hidden;
  $(id).hidden = !on;
  $(button).setAttribute("aria-pressed", String(on));
}
