// Kitchen screens (pairing codes) and stations.
import { el, ApiError, delta, fmt, yuan } from "../dom.js";
import {
  $, T, META, PHOTO_MAX_MB, actions, api, btn, can, confirmDialog, emptyToNull, failed, field, formDialog, invalid, load, money,
  readForm, refresh, registerView, roleName, showErrors, state, td, th, toFen, toast, yuanInput,
} from "./core.js";

// --- kitchen screens and stations ---------------------------------------------------------------

async function viewScreens() {
  const [{ devices }, { stations }] = await Promise.all([api("/api/v1/admin/kds/devices"), api("/api/v1/admin/stations")]);
  const stationName = (code) => stations.find((s) => s.code === code)?.name || code;
  const pair = () => formDialog(T.new_screen, [
    { name: "name", label: T.screen_name, maxlength: 50, placeholder: "热菜 1" },
    ...stations.map((s) => ({ name: `st_${s.code}`, label: s.name, type: "checkbox", value: false })),
  ], async (v) => {
    const chosen = stations.filter((s) => v[`st_${s.code}`]).map((s) => s.code);
    const made = await api("/api/v1/admin/kds/devices", { method: "POST", body: { name: v.name.trim(), stations: chosen } });
    setTimeout(() => formDialog(T.pairing_code, [], async () => refresh(), { okLabel: T.close, cancel: false,
      intro: el("span", {}, el("span", { class: "pairing", id: "pairing-code" }, made.pairing_code), el("br"),
        fmt(T.pairing_hint, { min: Math.round(made.expires_in / 60) })) }), 0);
  });
  const stationForm = (s) => formDialog(s ? T.rename : T.new_station, [
    ...(s ? [] : [{ name: "code", label: T.station_code, maxlength: 20 }]),
    { name: "name", label: T.name, value: s?.name, maxlength: 50 },
    { name: "sort", label: T.sort, type: "number", value: s?.sort ?? 0, min: 0, max: 1000 },
  ], async (v) => {
    const body = { name: v.name.trim(), sort: Number(v.sort) || 0, ...(s ? {} : { code: v.code.trim() }) };
    await api(s ? `/api/v1/admin/stations/${s.id}` : "/api/v1/admin/stations", { method: s ? "PATCH" : "POST", body });
    toast(T.saved); refresh();
  });
  return [
    el("h2", {}, T.screens, el("span", { class: "actions" }, btn(T.new_screen, pair, "primary"))),
    devices.length ? el("table", { class: "data" }, th(T.name, T.stations, T.status, ""), el("tbody", {}, devices.map((d) =>
      el("tr", { class: d.status === "revoked" ? "off" : "" },
        td(T.name, el("strong", {}, d.name)), td(T.stations, d.stations.length ? d.stations.map(stationName).join("、") : "—"),
        td(T.status, el("span", { class: `tag ${d.status === "paired" ? "ok" : d.status === "pending" ? "warn" : ""}` }, T[d.status])),
        actions(d.status === "revoked" ? null : btn(T.revoke, () => confirmDialog(fmt(T.confirm_revoke, { name: d.name }), async () => {
          await api(`/api/v1/admin/kds/devices/${d.id}/revoke`, { method: "POST" }); toast(T.saved); refresh();
        }), "danger")))))) : el("p", { class: "state" }, T.no_screens),
    el("h2", {}, T.stations, el("span", { class: "actions" }, can("stations.manage") ? btn(T.new_station, () => stationForm(), "primary") : null)),
    el("table", { class: "data" }, th(T.code, T.name, T.sort, ""), el("tbody", {}, stations.map((s) => el("tr", {},
      td(T.code, s.code), td(T.name, s.name), td(T.sort, String(s.sort)), actions(btn(T.rename, () => stationForm(s))))))),
  ];
}

registerView("screens", viewScreens);
