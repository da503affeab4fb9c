// The console's printers section: add network (ESC/POS) and Feie cloud printers, choose their
// stations, print a test page, see each printer's state (ok / down for N minutes / refused) and
// queue, refreshed every few seconds while shown, and reprint any recent job.
import { el, fmt } from "../dom.js";
import { T, actions, api, btn, can, confirmDialog, failed, formDialog, refresh, registerView, td, th, toast } from "./core.js";

const REFRESH_MS = 4000;
let timer = null;

// How long ago, in whole minutes (at least 1): "offline 3 minutes".
const minutesSince = (iso) => Math.max(1, Math.round((Date.now() - new Date(iso).getTime()) / 60000));

function stateLabel(p) {
  if (p.state === "down") return fmt(T.printer_down_for, { name: p.name, min: minutesSince(p.down_since) });
  if (p.state === "rejected") return fmt(T.printer_rejected, { reason: p.state_reason });
  return T.printer_ok;
}

async function viewPrinters() {
  clearInterval(timer);
  const [{ printers }, { stations }] = await Promise.all([api("/api/v1/admin/printers"), api("/api/v1/admin/stations")]);
  const stationName = (code) => stations.find((s) => s.code === code)?.name || code;
  const manage = can("printers.manage");

  const fields = (p = {}) => [
    { name: "name", label: T.name, value: p.name, maxlength: 50, placeholder: "热菜打印机" },
    ...(p.id ? [] : [{ name: "kind", label: T.printer_kind, type: "select", value: "escpos",
      options: [["escpos", T.kind_escpos], ["feie", T.kind_feie]] }]),
    ...(!p.id || p.kind === "escpos" ? [
      { name: "host", label: T.printer_host, value: p.host, maxlength: 253, placeholder: "192.168.1.50", hint: T.printer_host_hint },
      { name: "port", label: T.printer_port, type: "number", value: p.port ?? 9100, min: 1, max: 65535, inputmode: "numeric" },
    ] : []),
    ...(!p.id || p.kind === "feie" ? [
      { name: "sn", label: T.printer_sn, value: p.sn, maxlength: 32, hint: T.printer_cloud_hint },
      { name: "key", label: T.printer_key, maxlength: 64, placeholder: p.key_set ? "••••••" : "" },
    ] : []),
    { name: "paper_width", label: T.paper_width, type: "select", value: p.paper_width ?? 80,
      options: [[80, "80 mm"], [58, "58 mm"]] },
    ...stations.map((s) => ({ name: `st_${s.code}`, label: `${T.prints_station} ${s.name}`, type: "checkbox",
      value: (p.stations || []).includes(s.code) })),
    { name: "receipts", label: T.prints_receipts, type: "checkbox", value: !!p.receipts },
  ];
  const body = (v, p = {}) => {
    const kind = p.kind || v.kind;
    const out = { name: v.name.trim(), paper_width: Number(v.paper_width), receipts: v.receipts,
      stations: stations.filter((s) => v[`st_${s.code}`]).map((s) => s.code) };
    if (!p.id) out.kind = kind;
    // Connection settings go only when new or changed: changing them clears a down or refused state.
    if (kind === "escpos") {
      const port = v.port === "" ? null : Number(v.port);
      if (!p.id || v.host.trim() !== p.host || port !== p.port) Object.assign(out, { host: v.host.trim(), port });
    } else {
      if (!p.id || v.sn.trim() !== p.sn) out.sn = v.sn.trim();
      if (!p.id || v.key.trim()) out.key = v.key.trim();
    }
    return out;
  };
  const edit = (p) => formDialog(p ? T.edit_printer : T.new_printer, fields(p), async (v) => {
    await api(p ? `/api/v1/admin/printers/${p.id}` : "/api/v1/admin/printers", { method: p ? "PATCH" : "POST", body: body(v, p) });
    toast(T.saved); refresh();
  });
  const test = async (p) => {
    try {
      await api(`/api/v1/admin/printers/${p.id}/test`, { method: "POST", body: { client_key: crypto.randomUUID() } });
      toast(fmt(T.test_sent, { name: p.name }));
    } catch (err) { failed(err); }
  };
  const jobs = async (p) => {
    const { jobs: list } = await api(`/api/v1/admin/printers/${p.id}/jobs`);
    const when = new Intl.DateTimeFormat(document.documentElement.lang, { timeStyle: "medium" });
    const rows = list.map((j) => el("tr", { "data-job": j.id },
      td(T.when, when.format(new Date(j.created_at))), td(T.job_kind, T[`job_${j.kind}`] || j.kind),
      td(T.status, el("span", { class: `tag ${j.status === "printed" ? "ok" : j.status === "failed" ? "err" : "warn"}` },
        T[`job_status_${j.status}`] || j.status)),
      td(T.attempts, String(j.attempts)),
      actions(btn(T.reprint, async () => {
        try {
          await api(`/api/v1/admin/print-jobs/${j.id}/reprint`, { method: "POST", body: { client_key: crypto.randomUUID() } });
          toast(T.reprint_sent);
        } catch (err) { failed(err); }
      }))));
    formDialog(fmt(T.printer_jobs, { name: p.name }), [], async () => {}, { okLabel: T.close, cancel: false,
      intro: list.length ? el("table", { class: "data" }, th(T.when, T.job_kind, T.status, T.attempts, ""), el("tbody", {}, rows))
        : el("span", {}, T.no_jobs) });
  };

  const stateCell = (p) => el("span", { class: `tag ${p.state === "ok" ? "ok" : "err"}`, "data-state": p.state }, stateLabel(p));
  const tbody = el("tbody", {}, printers.map((p) => el("tr", { "data-printer": p.id },
    td(T.name, el("strong", {}, p.name)),
    td(T.printer_kind, p.kind === "escpos" ? `${T.kind_escpos} ${p.host}:${p.port}` : `${T.kind_feie} ${p.sn}`),
    td(T.stations, [p.stations.map(stationName).join("、") || "—", p.receipts ? ` · ${T.receipts}` : ""].join("")),
    td(T.status, stateCell(p)),
    td(T.queue, el("span", { "data-queue": true }, String(p.queue))),
    actions(
      manage ? btn(T.test_print, () => test(p)) : null,
      btn(T.jobs, () => jobs(p).catch(failed)),
      manage ? btn(T.edit, () => edit(p)) : null,
      manage ? btn(T.delete, () => confirmDialog(fmt(T.confirm_delete_printer, { name: p.name }), async () => {
        await api(`/api/v1/admin/printers/${p.id}`, { method: "DELETE" }); toast(T.deleted); refresh();
      }), "danger") : null))));

  // Live-ish: states and queues refresh in place while this view is open.
  timer = setInterval(async () => {
    if (!document.body.contains(tbody)) { clearInterval(timer); return; }
    try {
      const { printers: now } = await api("/api/v1/admin/printers");
      for (const p of now) {
        const row = tbody.querySelector(`[data-printer="${p.id}"]`);
        if (!row) continue;
        row.querySelector("[data-state]").replaceWith(stateCell(p));
        row.querySelector("[data-queue]").textContent = String(p.queue);
      }
    } catch { /* the next tick tries again */ }
  }, REFRESH_MS);

  return [
    el("h2", {}, T.printers, el("span", { class: "actions" }, manage ? btn(T.new_printer, () => edit(), "primary") : null)),
    printers.length ? el("table", { class: "data", id: "printers" }, th(T.name, T.printer_kind, T.stations, T.status, T.queue, ""), tbody)
      : el("p", { class: "state" }, T.no_printers),
  ];
}

registerView("printers", viewPrinters);
