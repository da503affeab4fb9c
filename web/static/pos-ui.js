// Shared bits of the cashier's pages: strings, elements, toasts, a modal form, money input, keys.
import { el, yuan, fmt } from "./dom.js";

export { el, yuan, fmt };
export const T = JSON.parse(document.getElementById("i18n").textContent);
export const $ = (id) => document.getElementById(id);
export const newKey = () => crypto.randomUUID().replaceAll("-", "");

export function toast(text, kind = "") {
  document.querySelectorAll(".toast").forEach((old) => old.remove());  // the newest says what matters
  const t = el("div", { class: `toast ${kind}`, role: kind === "err" ? "alert" : "status" }, text);
  document.body.append(t);
  setTimeout(() => t.remove(), 2600);
}

// "12.5" → 1250 fen; null when not a sane amount of money.
export function fen(text) {
  const s = String(text ?? "").trim().replace(/^¥/, "");
  if (!/^\d{1,6}(\.\d{0,2})?$/.test(s)) return null;
  return Math.round(parseFloat(s) * 100);
}
export const yuanPlain = (f) => (f / 100).toFixed(2);

// A modal form on the page's <dialog id="modal">. ``fields``: [{name, label, type, value, inputmode,
// options: [[value, label]], required}], ``extra``: nodes shown above the fields, ``live(values, box)``
// runs on every input (e.g. to show the change). Resolves to {name: value} or null when cancelled.
export function ask({ title, fields = [], extra = [], ok = T.ok, live = null, danger = false, check = null }) {
  const dialog = $("modal");
  const inputs = {};
  const note = el("p", { class: "modal-live", "aria-live": "polite" });
  const error = el("p", { class: "error", role: "alert", hidden: true });
  const rows = fields.map((f) => {
    let input;
    if (f.options) {
      input = el("div", { class: "seg", role: "radiogroup", "aria-label": f.label });
      for (const [value, label] of f.options) {
        const id = `f-${f.name}-${value}`;
        input.append(el("input", { type: f.multi ? "checkbox" : "radio", name: f.name, id, value,
          checked: f.multi ? false : value === f.value }), el("label", { for: id }, label));
      }
      input.value = f.multi ? () => [...input.querySelectorAll("input:checked")].map((i) => i.value)
        : () => input.querySelector("input:checked")?.value;
    } else {
      input = el("input", { id: `f-${f.name}`, name: f.name, type: f.type || "text", value: f.value ?? "",
        inputmode: f.inputmode || null, autocomplete: f.autocomplete || "off", placeholder: f.placeholder || null });
    }
    inputs[f.name] = input;
    // Choices carry their own labels: their group is a fieldset, not a label around labels.
    if (f.options) return el("fieldset", { class: "field" }, el("legend", {}, f.label), input);
    return el("label", { class: "field" }, el("span", {}, f.label), input);
  });
  const values = () => Object.fromEntries(Object.entries(inputs).map(([k, i]) =>
    [k, typeof i.value === "function" ? i.value() : i.value]));
  const form = el("form", { method: "dialog", class: "modal-form" },
    el("h2", {}, title), ...extra, ...rows, note, error,
    el("div", { class: "modal-actions" },
      el("button", { type: "button", class: "btn", value: "cancel", "data-cancel": "" }, T.cancel),
      el("button", { type: "submit", class: `btn ${danger ? "danger" : "primary"}`, value: "ok" }, ok)));
  dialog.replaceChildren(form);
  const refresh = () => { if (live) live(values(), note); };
  form.addEventListener("input", refresh);
  refresh();
  return new Promise((resolve) => {
    const finish = (result) => { dialog.close(); resolve(result); };
    form.querySelector("[data-cancel]").onclick = () => finish(null);
    dialog.oncancel = (e) => { e.preventDefault(); finish(null); };
    form.onsubmit = (e) => {
      e.preventDefault();
      const v = values();
      const problem = check ? check(v) : null;
      if (problem) { error.textContent = problem; error.hidden = false; return; }
      finish(v);
    };
    dialog.showModal();
    (Object.values(inputs)[0]?.focus?.());
  });
}

export const confirmBox = (title, text, ok = T.ok, danger = false) =>
  ask({ title, extra: [el("p", {}, text)], ok, danger }).then((v) => v !== null);

// A loading or error state in a container, with a retry button for errors.
export function showState(box, kind, text, retry) {
  box.replaceChildren(el("p", { class: `state-msg ${kind}` }, text,
    retry ? el("button", { type: "button", class: "btn small", onclick: retry }, T.retry) : null));
}
