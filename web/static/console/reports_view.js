// The console's reports (报表): the daily close and ranges, with charts (Apache ECharts, only bar,
// line and pie), each chart also a table and a CSV download. Fetched by ./reports.js when the
// view opens, so the chart library is loaded only by those who read reports.
import { el, fmt, yuan } from "../dom.js";
import { init } from "../vendor/echarts.js";
import { T, api, can, failed, storeDay } from "./core.js";

const COLORS = ["#ff6a00", "#1664ff", "#18a058", "#f0a020", "#8a4dff", "#d03050", "#14b8c4"];
let charts = [];

const shiftDay = (day, n) => {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};
const money = (fen) => (fen / 100).toFixed(2);
const channelName = (c) => T[`channel_${c}`] || c;

// --- one chart: a canvas, the same figures as a table, and a CSV of them ---------------------

function downloadCsv(name, columns, rows) {
  const cell = (v) => {
    let s = String(v ?? "");
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;  // a spreadsheet must not run a dish name as a formula
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const text = "\ufeff" + [columns, ...rows].map((r) => r.map(cell).join(",")).join("\r\n");
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const a = el("a", { href: url, download: `${name}.csv`, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function chartCard(id, title, columns, rows, option) {
  const canvas = el("div", { class: "chart", role: "img", "aria-label": title });
  const table = el("table", { class: "data compact" },
    el("thead", {}, el("tr", {}, columns.map((c) => el("th", { scope: "col" }, c)))),
    el("tbody", {}, rows.map((r) => el("tr", {}, r.map((v, i) => el("td", { "data-label": columns[i] }, String(v)))))));
  const empty = rows.length === 0;
  const card = el("section", { class: "card report-chart", "data-chart": id },
    el("h3", {}, title, el("span", { class: "actions" },
      el("button", { type: "button", class: "btn small", "data-csv": id, disabled: empty,
        onclick: () => downloadCsv(id, columns, rows) }, T.download_csv))),
    empty ? el("p", { class: "state" }, T.no_business) : canvas,
    empty ? null : el("details", { class: "as-table" }, el("summary", {}, T.show_table), table));
  if (!empty) charts.push([canvas, option]);
  return card;
}

function drawCharts() {
  for (const [node, option] of charts) {
    if (!node.isConnected) continue;
    const chart = init(node, null, { renderer: "canvas" });
    chart.setOption({ color: COLORS, aria: { enabled: true }, animation: false, tooltip: { trigger: "axis" }, ...option });
    new ResizeObserver(() => chart.resize()).observe(node);
  }
  charts = [];
}

const grid = { left: 8, right: 12, top: 28, bottom: 8, containLabel: true };
const yuanAxis = { type: "value", axisLabel: { formatter: (v) => `¥${v}` } };

function hoursChart(hours) {
  const open = hours.filter((h) => h.orders || h.net_sales);
  const rows = open.map((h) => [`${String(h.hour).padStart(2, "0")}:00`, h.orders, money(h.net_sales)]);
  return chartCard("sales-by-hour", T.sales_by_hour, [T.hour, T.orders, T.net_sales_yuan], rows, {
    grid, xAxis: { type: "category", data: hours.map((h) => String(h.hour)) }, yAxis: yuanAxis,
    series: [{ type: "bar", name: T.net_sales, data: hours.map((h) => h.net_sales / 100) }],
  });
}

function daysChart(days) {
  const rows = days.map((d) => [d.date, d.orders, money(d.net_sales), d.previous.date, money(d.previous.net_sales)]);
  return chartCard("sales-by-day", T.sales_by_day, [T.date, T.orders, T.net_sales_yuan, T.previous_date,
    T.previous_net_sales_yuan], days.some((d) => d.orders || d.previous.orders) ? rows : [], {
    grid, legend: { top: 0 }, xAxis: { type: "category", data: days.map((d) => d.date.slice(5)) }, yAxis: yuanAxis,
    series: [{ type: "line", name: T.this_period, data: days.map((d) => d.net_sales / 100) },
      { type: "line", name: T.previous_period, lineStyle: { type: "dashed" }, data: days.map((d) => d.previous.net_sales / 100) }],
  });
}

function paymentsChart(payments) {
  const entries = Object.entries(payments);
  return chartCard("payment-mix", T.payment_mix, [T.channel, T.amount_yuan],
    entries.map(([c, fen]) => [channelName(c), money(fen)]), {
      tooltip: { trigger: "item" }, legend: { bottom: 0 },
      series: [{ type: "pie", radius: ["35%", "65%"], data: entries.map(([c, fen]) => ({ name: channelName(c), value: fen / 100 })) }],
    });
}

function sellersChart(items) {
  const top = items.slice(0, 10);
  return chartCard("best-sellers", T.best_sellers, [T.dish, T.qty, T.sales_yuan],
    items.map((i) => [i.name, i.qty, money(i.sales)]), {
      grid, xAxis: { type: "value" }, yAxis: { type: "category", inverse: true, data: top.map((i) => i.name) },
      series: [{ type: "bar", name: T.qty, data: top.map((i) => i.qty) }],
    });
}

function stationsChart(stations) {
  const min = (s) => (s == null ? "" : (s / 60).toFixed(1));
  return chartCard("prep-times", T.prep_times, [T.station, T.tickets, T.p50_min, T.p90_min, T.late, T.recalls],
    stations.map((s) => [s.station, s.tickets, min(s.prep_p50_s), min(s.prep_p90_s), s.late, s.recalls]), {
      grid, legend: { top: 0 }, xAxis: { type: "category", data: stations.map((s) => s.station) },
      yAxis: { type: "value", axisLabel: { formatter: (v) => `${v}′` } },
      series: [{ type: "bar", name: "p50", data: stations.map((s) => (s.prep_p50_s ?? 0) / 60) },
        { type: "bar", name: "p90", data: stations.map((s) => (s.prep_p90_s ?? 0) / 60) }],
    });
}

// --- the figures above the charts --------------------------------------------------------------

function change(now, before) {
  if (before == null) return null;
  if (!before) return now ? el("span", { class: "delta up" }, "—") : null;
  const pct = Math.round(((now - before) / Math.abs(before)) * 100);
  return el("span", { class: `delta ${pct >= 0 ? "up" : "down"}` }, `${pct >= 0 ? "+" : ""}${pct}%`);
}

function figures(list) {
  return el("div", { class: "figures" }, list.map(([label, value, key, before]) =>
    el("div", { class: "figure", "data-figure": key }, el("span", { class: "label" }, label),
      el("strong", { class: "money" }, value), change(...(before === undefined ? [0, null] : before)))));
}

function summary(r, prev) {
  const pair = (k) => (prev ? [r[k], prev[k]] : undefined);
  return figures([
    [T.net_sales, yuan(r.net_sales), "net_sales", pair("net_sales")], [T.orders, String(r.orders), "orders", pair("orders")],
    [T.gross_sales, yuan(r.gross_sales), "gross_sales", pair("gross_sales")],
    [T.discounts, yuan(r.discounts), "discounts", pair("discounts")],
    [T.service_charge, yuan(r.service_charge), "service_charge"], [T.refunds, yuan(r.refunds), "refunds"],
    [T.average_check, yuan(r.average_check), "average_check", pair("average_check")],
    ...(r.voids_count != null ? [[T.voids, fmt(T.voids_line, { count: r.voids_count, amount: yuan(r.voids) }), "voids"]] : []),
    ...(r.tables ? [[T.checks_turnover, `${r.tables.checks} · ${r.tables.turnover}`, "checks"]] : []),
  ]);
}

function voidsCard(voids) {
  if (!voids.count) return null;
  return el("section", { class: "card" }, el("h3", {}, T.voids),
    el("table", { class: "data compact" }, el("thead", {}, el("tr", {}, el("th", {}, T.reason), el("th", {}, T.count), el("th", {}, T.amount_yuan))),
      el("tbody", {}, voids.by_reason.map((v) => el("tr", {}, el("td", { "data-label": T.reason }, v.reason),
        el("td", { "data-label": T.count }, String(v.count)), el("td", { "data-label": T.amount_yuan }, money(v.amount)))))),
    el("p", { class: "hint" }, voids.by_person.map((p) => `${p.name}: ${p.count} · ${yuan(p.amount)}`).join("　")));
}

// --- the view ----------------------------------------------------------------------------------

function tabs(mode) {
  const tab = (name, href, label) => el("a", { href, class: mode === name ? "current" : "", role: "tab",
    "aria-selected": String(mode === name) }, label);
  return el("div", { class: "seg", role: "tablist" }, tab("daily", "#reports", T.daily_close),
    tab("range", "#reports/range", T.date_range),
    can("promotions.manage") ? tab("coupons", "#reports/coupons", T.coupons) : null);
}

async function daily(day) {
  const r = await api(`/api/v1/admin/reports/daily?date=${day}`);
  const view = { ...r, voids_count: r.voids.count, voids: r.voids.amount };
  const empty = !r.orders && !r.refunds && !Object.keys(r.payments).length;
  return [
    empty ? el("p", { class: "state", "data-empty": "" }, T.no_business) : null,
    summary(view),
    el("div", { class: "chart-grid" }, hoursChart(r.hours), paymentsChart(r.payments), sellersChart(r.items),
      stationsChart(r.stations)),
    voidsCard(r.voids),
  ];
}

async function range(from, to) {
  const r = await api(`/api/v1/admin/reports/range?from=${from}&to=${to}`);
  return [
    el("p", { class: "hint" }, fmt(T.compared_with, { from: r.previous.from, to: r.previous.to })),
    summary({ ...r.totals, voids_count: null }, r.previous_totals),
    el("div", { class: "chart-grid" }, daysChart(r.days), paymentsChart(r.payments), sellersChart(r.items),
      stationsChart(r.stations)),
  ];
}

export async function viewReports(mode = "daily") {
  if (mode === "coupons") {
    const { viewCoupons } = await import("./coupons.js");
    return [el("h2", {}, T.reports), tabs(mode), ...await viewCoupons()];
  }
  const today = storeDay();
  const body = el("div", { class: "report-body" });
  const isRange = mode === "range";
  const inputs = isRange
    ? [el("input", { type: "date", name: "from", value: shiftDay(today, -6), max: today, "aria-label": T.from }),
      el("input", { type: "date", name: "to", value: today, max: today, "aria-label": T.until })]
    : [el("input", { type: "date", name: "date", value: today, max: today, "aria-label": T.date })];
  const csvLink = el("a", { class: "btn small", "data-report-csv": "" }, T.download_report_csv);
  async function show() {
    charts = [];
    const [a, b] = inputs.map((i) => i.value);
    csvLink.href = isRange ? `/api/v1/admin/reports/range.csv?from=${a}&to=${b}` : `/api/v1/admin/reports/daily.csv?date=${a}`;
    body.replaceChildren(el("p", { class: "state" }, T.loading));
    try {
      body.replaceChildren(...(isRange ? await range(a, b) : await daily(a)).filter(Boolean));
      requestAnimationFrame(drawCharts);
    } catch (err) {
      body.replaceChildren(el("p", { class: "state err", role: "alert" }, err.message || T.load_failed));
      if (err.status !== 422) failed(err);
    }
  }
  const form = el("form", { class: "card inline-form report-controls", novalidate: true }, tabs(mode),
    ...inputs, el("button", { type: "submit", class: "btn primary" }, T.show), csvLink);
  form.addEventListener("submit", (ev) => { ev.preventDefault(); show(); });
  for (const i of inputs) i.addEventListener("change", show);
  await show();
  return [el("h2", {}, T.reports), form, body];
}
