// The board: one card per order on an all-stations screen (its items grouped by station), one per
// ticket on a station's screen; keys that stay on their cards; "+N 单" for every card not in view.
import { el, fmt } from "../dom.js";
import { $, T, st, clockTime, hooks, stationName, label } from "./core.js";
import { bumpCard, cycleItem } from "./actions.js";

const byAge = (a, b) => a.created_at.localeCompare(b.created_at) || a.id - b.id;

// Cards, oldest first: {id, tickets, created_at}. A station's screen never merges (st.stations set).
export function cards() {
  const tickets = [...st.tickets.values()].map((x) => x.t).sort(byAge);
  const list = new Map();
  for (const t of tickets) {
    const id = st.stations ? `t${t.id}` : `o${t.order_id}`;
    if (!list.has(id)) list.set(id, { id, tickets: [], created_at: t.created_at });
    list.get(id).tickets.push(t);
  }
  return [...list.values()];
}

export const age = (created) => Math.max(0, Math.floor((Date.now() - Date.parse(created)) / 1000));
export const mmss = (s) => `${String(Math.floor(s / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
export const ageClass = (s) => (s >= st.late ? "late" : s >= st.warn ? "warn" : "ok");

// A key belongs to a card from its arrival to its departure; new cards take the lowest free key.
function assignKeys(list) {
  const here = new Set(list.map((c) => c.id));
  for (const id of st.keys.keys()) if (!here.has(id)) st.keys.delete(id);
  const used = new Set(st.keys.values());
  for (const c of list) {
    if (st.keys.has(c.id)) continue;
    const free = [1, 2, 3, 4, 5, 6, 7, 8, 9].find((k) => !used.has(k));
    if (!free) break;
    st.keys.set(c.id, free); used.add(free);
  }
}

export function render() {
  const list = cards();
  assignKeys(list);
  st.selected = Math.min(st.selected, Math.max(0, list.length - 1));
  $("tickets").replaceChildren(...list.map((c, i) => card(c, i)));
  $("open-count").textContent = list.length;
  $("empty").hidden = list.length > 0 || !$("loading").hidden;
  countHidden();
  hooks.refreshAllDay(true);
}
hooks.render = render;

// "+N 单": cards not wholly in view, above or below, so the cook always knows how many are off screen.
export function countHidden() {
  requestAnimationFrame(() => {
    const top = $("board").querySelector(".kds-bar").getBoundingClientRect().bottom, bottom = window.innerHeight;
    const all = [...document.querySelectorAll("#tickets .ticket")].map((c) => c.getBoundingClientRect());
    const below = all.filter((r) => r.bottom > bottom + 1).length, above = all.filter((r) => r.top < top - 1).length;
    // Below first (the next page); once at the end, those above, with the way back up.
    $("more").hidden = below + above === 0;
    $("more").textContent = below ? fmt(T.more_n, { n: below }) : `${fmt(T.more_n, { n: above })} ↑`;
  });
}
// Pages down; from the last page, back to the top.
export function nextPage() {
  const end = window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2;
  window.scrollTo({ top: end ? 0 : window.scrollY + window.innerHeight * 0.8 });
}

// The same dish, done the same way, ordered by two diners is one line "2×" for the cook; the
// lines behind it still change status together.
export function sameDishes(items) {
  const lines = new Map();
  for (const it of items) {
    const k = JSON.stringify([it.name, it.options, it.note || "", it.status]);
    const line = lines.get(k);
    if (line) { line.qty += it.qty; line.lines.push(it); } else lines.set(k, { ...it, lines: [it] });
  }
  return [...lines.values()];
}

function dish(it) {
  return el("li", { class: `it-${it.status}`, onclick: async (e) => { e.stopPropagation(); for (const line of it.lines) await cycleItem(line); } },
    el("span", { class: "qty" }, `${it.qty}×`),
    el("div", {}, el("span", { class: "name" }, it.name,
        it.status === "cooking" ? el("span", { class: "cooking" }, T.cooking) : null,
        it.status === "done" ? el("span", { class: "done-tag" }, T.done) : null),
      it.options.length ? el("span", { class: "opts" }, it.options.join(" · ")) : null,
      it.note ? el("span", { class: "note" }, `⚑ ${it.note}`) : null));
}

// An order's dishes on the all-stations wall, station by station in the store's order (hot
// before drinks, as the console lists them), whichever ticket was written first.
function byStation(tickets) {
  const order = [...st.stationNames.keys()];
  const rank = (code) => (order.includes(code) ? order.indexOf(code) : order.length);
  return [...tickets].sort((a, b) => rank(a.station) - rank(b.station) || a.id - b.id);
}

function card(c, index) {
  const first = c.tickets[0], s = age(c.created_at);
  const key = st.keys.get(c.id), pending = c.tickets.some((t) => st.pending.has(t.id));
  const fresh = c.tickets.some((t) => st.tickets.get(t.id)?.fresh);
  for (const t of c.tickets) if (st.tickets.get(t.id)) st.tickets.get(t.id).fresh = false;
  const grouped = !st.stations;
  const stations = [...new Set(c.tickets.map((t) => t.station))];
  const cooking = c.tickets.some((t) => t.status === "cooking" || t.items.some((i) => i.status === "cooking"));
  const body = grouped
    ? byStation(c.tickets).map((t) => el("section", { class: "station-group" },
        el("h3", { class: "station" }, stationName(t.station)),
        el("ol", {}, sameDishes(t.items).map(dish))))
    : [el("ol", {}, sameDishes(first.items).map(dish))];
  return el("article", { class: `ticket ${ageClass(s)}${index === st.selected ? " selected" : ""}${fresh ? " arrived" : ""}${pending ? " pending" : ""}${cooking ? " is-cooking" : ""}`,
    "data-card": c.id, "data-order": first.order_id, "data-key": key ?? "", "aria-label": `${label(first)} ${fmt(T.order_n, { n: first.order_number })}`,
    onclick: () => { st.selected = index; render(); } },
    el("header", {},
      key ? el("kbd", { class: "key", title: fmt(T.key_n, { n: key }) }, String(key)) : null,
      el("div", { class: "tmeta" }, el("span", { class: `tcode${first.table_code ? "" : " takeaway"}` }, label(first)),
        el("span", { class: "onum" }, fmt(T.order_n, { n: first.order_number }),
          grouped ? null : el("span", { class: "station" }, ` · ${stationName(first.station)}`))),
      el("div", { class: "age", "data-created": c.created_at }, mmss(s))),
    cooking ? el("p", { class: "state-cooking" }, T.cooking_now) : null,
    ...body,
    first.remark ? el("p", { class: "remark" }, `${T.remark}: ${first.remark}`) : null,
    pending ? el("p", { class: "pending-note", role: "status" }, T.bump_pending) : null,
    el("button", { type: "button", class: "bump-btn", disabled: pending, onclick: (e) => { e.stopPropagation(); bumpCard(c); } },
      `${T.bump}${key ? ` (${key})` : ""}`));
}

export function tick() {
  $("clock").textContent = clockTime(new Date());
  document.querySelectorAll(".ticket .age").forEach((node) => {
    const s = age(node.dataset.created);
    node.textContent = mmss(s);
    node.closest(".ticket").classList.remove("ok", "warn", "late");
    node.closest(".ticket").classList.add(ageClass(s));
  });
}
