// My data: what we keep, a copy to download, and forgetting it.
import { el } from "../dom.js";
import { $, T, api, authed, openSheet, state } from "./core.js";

async function openPrivacy() {
  openSheet("privacy-sheet");
  const facts = $("privacy-facts");
  facts.replaceChildren(el("dd", {}, T.loading));
  try {
    const data = await authed("/api/v1/diner/me/data");
    const day = (iso) => new Date(iso).toLocaleString(document.documentElement.lang, { timeZone: state.store?.timezone });
    facts.replaceChildren(el("dt", {}, T.first_seen), el("dd", {}, day(data.diner.created_at)),
      el("dt", {}, T.last_seen), el("dd", {}, day(data.diner.last_seen_at)),
      el("dt", {}, T.orders_kept), el("dd", {}, String(data.orders.length)));
    state.myData = data;
  } catch (err) {
    facts.replaceChildren(el("dd", {}, err.message || T.network_error));
  }
}
$("open-privacy").onclick = openPrivacy;
$("privacy-export").onclick = () => {
  if (!state.myData) return;
  const blob = new Blob([JSON.stringify(state.myData, null, 2)], { type: "application/json" });
  const link = el("a", { href: URL.createObjectURL(blob), download: "diancan-my-data.json" });
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
};
$("privacy-delete").onclick = async () => {
  if (!window.confirm(T.confirm_forget)) return;
  try {
    await api("/api/v1/diner/me", { method: "DELETE" });
    localStorage.removeItem("diancan.diner");
    localStorage.removeItem("diancan.user");
    state.token = null;
    state.myData = null;
    $("privacy-facts").replaceChildren();
    $("privacy-state").textContent = T.forgotten;
  } catch (err) {
    $("privacy-state").textContent = err.message || T.network_error;
  }
};
