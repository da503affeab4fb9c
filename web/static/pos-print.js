// Print-ready receipt (58/80 mm thermal paper) and shift X/Z report. No personal data on paper.
import { $, T, el, fmt, yuan } from "./pos-ui.js";
import { request } from "./dom.js";
import { reportRows } from "./pos-shift.js";

const paper = $("paper");
const token = localStorage.getItem("diancan.pos.token");
const store = JSON.parse(localStorage.getItem("diancan.pos.store") || "null");
const width = new URLSearchParams(location.search).get("w") === "80" ? "80" : "58";
const setWidth = (w) => { paper.className = `paper w${w}`; document.documentElement.dataset.paper = w; };
setWidth(width);
for (const b of document.querySelectorAll("[data-width]")) b.onclick = () => setWidth(b.dataset.width);
$("print").onclick = () => window.print();

const time = (iso) => new Date(iso).toLocaleString(document.documentElement.lang,
  { hour12: false, timeZone: localStorage.getItem("diancan.pos.tz") || undefined });

function receipt(s) {
  const lines = s.orders.filter((o) => o.status !== "cancelled").flatMap((o) => o.items.filter((i) => i.status !== "cancelled"));
  const sc = s.orders.reduce((a, o) => a + (o.status === "cancelled" ? 0 : o.service_charge || 0), 0);
  const row = (k, v, cls = "") => el("div", { class: `row ${cls}` }, el("span", {}, k), el("span", {}, v));
  return [
    el("h1", {}, store?.name || T.cashier),
    s.pickup_number ? el("p", { class: "pickup" }, T.pickup_number, el("b", {}, `#${s.pickup_number}`)) : null,
    el("p", { class: "meta" }, s.table ? fmt(T.table_n, { code: s.table.code }) : T.takeaway, " · ", fmt(T.check_n, { n: s.id })),
    el("p", { class: "meta" }, time(s.opened_at)),
    el("hr"),
    ...lines.map((i) => el("div", { class: "item" },
      el("div", { class: "row" }, el("span", {}, `${i.name} ×${i.qty}`), el("span", {}, yuan(i.line_total))),
      i.options.length ? el("small", {}, i.options.map((o) => o.name).join(" · ")) : null)),
    el("hr"),
    sc ? row(T.service_charge, yuan(sc)) : null,
    row(T.total, yuan(s.total)),
    ...s.discounts.map((d) => row(`${T.discount} (${d.reason})`, `-${yuan(d.amount)}`)),
    row(T.to_pay, yuan(s.total - s.discount), "strong"),
    el("hr"),
    ...s.payments.filter((p) => p.status === "paid").flatMap((p) => [
      row(T[`channel_${p.channel}`] || p.channel, yuan(p.amount)),
      p.tendered != null ? row(T.cash_taken_label, yuan(p.tendered)) : null,
      p.change != null ? row(T.change, yuan(p.change)) : null]),
    s.due ? row(T.due, yuan(s.due), "strong") : null,
    el("p", { class: "thanks" }, T.thanks),
  ].filter(Boolean);
}

async function load() {
  const kind = paper.dataset.kind, id = paper.dataset.id;
  try {
    if (kind === "receipt") {
      const { session } = await request(`/api/v1/table-sessions/${id}`, { token });
      paper.replaceChildren(...receipt(session));
    } else {
      const { shift } = await request(`/api/v1/shifts/${id}`, { token });
      paper.replaceChildren(el("h1", {}, store?.name || T.cashier),
        el("h2", {}, shift.status === "open" ? T.x_report : T.z_report),
        el("p", { class: "meta" }, shift.staff.name), reportRows(shift));
    }
  } catch (ex) {
    paper.replaceChildren(el("p", { class: "error" }, ex.message || T.network_error));
  }
}
load();
