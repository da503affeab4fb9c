// What a cook does to tickets: bump (queued while offline and sent once when back), item status,
// undo the last bump, and recall from the list of recent bumps.
import { el, fmt } from "../dom.js";
import { $, T, st, PENDING, api, clockTime, hooks, label, say, stationName, stationQuery, toast } from "./core.js";

function savePending() { localStorage.setItem(PENDING, JSON.stringify([...st.pending])); }

// A card is bumped whole: each of its open tickets (one per station on an all-stations card).
export async function bumpCard(c) {
  const open = c.tickets.filter((t) => !st.pending.has(t.id));
  if (!open.length) return;
  let queued = false;
  for (const t of open) {
    try {
      await api(`/api/v1/kds/tickets/${t.id}/bump`, { method: "POST" });
      st.tickets.delete(t.id);  // the event confirms it on every screen, this one included
    } catch (ex) {
      if (ex.status === 409 || ex.status === 404) { st.tickets.delete(t.id); continue; }  // bumped or gone already
      if (ex.status) { toast(say(ex)); hooks.render(); return; }
      // No answer: keep the bump on this screen and send it when the network is back.
      st.pending.add(t.id); savePending(); queued = true;
    }
  }
  hooks.render();
  const who = label(c.tickets[0]);
  toast(fmt(queued ? T.bump_queued : T.bumped_n, { label: who }));
  hooks.refreshRecent();
}

// Send the bumps made offline, each once: a ticket already bumped (409) or gone (404) counts as sent,
// and the server bumps a ticket only from an open state, so a repeat never bumps twice.
let flushing = false;
export async function flushPending() {
  if (flushing || !st.pending.size) return;
  flushing = true;
  try {
    for (const id of [...st.pending]) {
      try {
        await api(`/api/v1/kds/tickets/${id}/bump`, { method: "POST" });
      } catch (ex) {
        if (!ex.status || ex.status === 401 || ex.status >= 500) break;  // still offline: try again later
      }
      st.pending.delete(id); st.tickets.delete(id); savePending();
    }
  } finally { flushing = false; hooks.render(); hooks.refreshRecent(); }
}
window.addEventListener("online", flushPending);

export async function cycleItem(it) {
  const next = { new: "cooking", cooking: "done", done: "cooking" }[it.status];
  try { await api(`/api/v1/kds/ticket-items/${it.id}/status`, { method: "POST", body: { status: next } }); }
  catch (ex) { toast(say(ex)); }
}

export async function undo() {
  try {
    const { ticket } = await api(`/api/v1/kds/undo${stationQuery()}`, { method: "POST" });
    toast(fmt(T.recalled, { label: label(ticket) }));
    hooks.refreshRecent();
  } catch (ex) { toast(ex.status === 404 ? T.nothing_to_undo : say(ex)); }
}

async function recall(t) {
  try {
    await api(`/api/v1/kds/tickets/${t.id}/recall`, { method: "POST" });
    toast(fmt(T.recalled, { label: label(t) }));
  } catch (ex) { toast(say(ex)); }
  refreshRecent();
}

// The recently bumped tickets (30 minutes), newest first, each with its recall button.
export async function refreshRecent() {
  if ($("recent").hidden) return;
  try {
    const { tickets } = await api(`/api/v1/kds/tickets/bumped${stationQuery()}`);
    const time = (iso) => clockTime(new Date(iso));
    $("recent-list").replaceChildren(...(tickets.length ? tickets.map((t) => el("li", {},
      el("div", {}, el("span", { class: "who" }, `${label(t)} · ${fmt(T.order_n, { n: t.order_number })}`),
        el("small", {}, `${stationName(t.station)} · ${fmt(T.dishes_n, { n: t.items.reduce((a, i) => a + i.qty, 0) })} · ${fmt(T.bumped_at, { time: time(t.bumped_at) })}`)),
      el("button", { type: "button", class: "recall-btn", onclick: () => recall(t) }, T.recall)))
      : [el("li", { class: "hint" }, T.no_recent)]));
  } catch (ex) {
    $("recent-list").replaceChildren(el("li", { class: "hint" }, say(ex)));
  }
}
hooks.refreshRecent = refreshRecent;
