// Headcount on entry (用餐人数): where the store asks, the first phone at a table without an answer
// asks how many are dining, once per check; the answer (anyone's) is the table's.
import { el, fmt } from "../dom.js";
import { $, T, authed, banner, closeSheets, openSheet, state, tableToken, tablePath } from "./core.js";

const ASKED_KEY = `diancan.headcount.${tableToken}`;
const CHOICES = Array.from({ length: 12 }, (_, i) => i + 1);

// Asked for this check, or (before any check opened) within the last two hours: the same party.
function skipped(session) {
  const asked = JSON.parse(localStorage.getItem(ASKED_KEY) || "null");
  if (!asked) return false;
  return session ? asked.id === session.id : asked.id === null && Date.now() - asked.at < 2 * 3600_000;
}

/** Ask now if the store wants a headcount and this check has none yet (and this phone did not skip it). */
export function askHeadcount(session) {
  if (!state.store?.ask_headcount || session?.headcount) return;
  if (skipped(session)) return;  // this phone was asked for this check already
  localStorage.setItem(ASKED_KEY, JSON.stringify({ id: session?.id ?? null, at: Date.now() }));
  $("headcount-choices").replaceChildren(...CHOICES.map((n) => el("button", {
    type: "button", class: "btn headcount", "aria-label": fmt(T.headcount_n, { n }), onclick: () => answer(n),
  }, String(n))));
  openSheet("headcount-sheet");
}

async function answer(n) {
  try {
    const data = await authed(tablePath("/headcount"), { method: "PUT", body: { headcount: n } });
    state.sessionId = data.session.id;
    localStorage.setItem(ASKED_KEY, JSON.stringify({ id: data.session.id, at: Date.now() }));
    headcountAnswered(n);
    banner(fmt(T.headcount_saved_n, { n }), "ok");
  } catch (err) { banner(err.message || T.network_error, "error"); }
}

/** Someone at the table answered: nobody else is asked. */
export function headcountAnswered(n) {
  if (!$("headcount-sheet").hidden) closeSheets();
  state.check = { ...(state.check || {}), headcount: n };
}
