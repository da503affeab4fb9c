// Ring up: a table's round or a walk-in (takeaway), from the menu, a typed code or the camera.
// The server prices every order; the page's total is what it expects, and a cash sale taken offline
// is checked against the server's price when it syncs.
import { $, T, ask, el, fen, fmt, newKey, toast, yuan, yuanPlain } from "./pos-ui.js";
import { api, sendOrQueue } from "./pos-queue.js";
import { scanOnce } from "./pos-scan.js";

let app = null;
const st = { menu: null, items: [], byCode: new Map(), lines: [], key: null, target: "takeaway", scanner: null };

export function initRingup(a) {
  app = a;
  $("search").oninput = renderMenu;
  $("code-add").onclick = () => addByCode($("code-input").value);
  $("code-input").onkeydown = (e) => { if (e.key === "Enter") { e.preventDefault(); addByCode(e.target.value); } };
  $("scan").onclick = startScan;
  $("scan-stop").onclick = stopScan;
  $("target").onchange = () => { st.target = $("target").value; renderCart(); };
  $("send-order").onclick = sendOrder;
  $("cash-sale").onclick = cashSale;
}

export function setMenu(menu) {
  st.menu = menu;
  st.items = menu.categories.flatMap((c) => c.items.map((i) => ({ ...i, category: c.name })));
  st.byCode = new Map(st.items.filter((i) => i.code).map((i) => [i.code, i]));
  renderMenu();
}

export function setTables(tables) {
  const sel = $("target");
  const keep = st.target;
  sel.replaceChildren(el("option", { value: "takeaway" }, T.takeaway_walkin),
    ...tables.map((t) => el("option", { value: String(t.id) }, fmt(T.table_n, { code: t.code }))));
  sel.value = [...sel.options].some((o) => o.value === keep) ? keep : "takeaway";
  st.target = sel.value;
}

export function ringUpFor(target) {
  app.show("ringup");
  const sel = $("target");
  if (target.table_id && ![...sel.options].some((o) => o.value === String(target.table_id))) {
    sel.append(el("option", { value: String(target.table_id) }, fmt(T.table_n, { code: target.code })));
  }
  st.target = target.table_id ? String(target.table_id) : "takeaway";
  sel.value = st.target;
  renderCart();
  $("search").focus();
}

function renderMenu() {
  const box = $("menu");
  if (!st.menu) return;
  const q = $("search").value.trim().toLowerCase();
  const shown = st.items.filter((i) => !q || i.name.toLowerCase().includes(q) || (i.code || "").includes(q));
  box.replaceChildren(...(shown.length ? shown.slice(0, 80).map((i) => el("button", { type: "button",
    class: `menu-item${i.sold_out ? " sold-out" : ""}`, disabled: i.sold_out, "data-item": i.name,
    onclick: () => add(i) },
  el("span", { class: "name" }, i.name), el("span", { class: "price" }, i.sold_out ? T.sold_out : yuan(i.price))))
    : [el("p", { class: "state-msg" }, T.no_match)]));
}

async function chooseOptions(item) {
  if (!item.option_groups.length) return { ids: [], names: [], delta: 0 };
  const fields = item.option_groups.map((g) => ({ name: `g${g.id}`, label: g.name,
    options: [...(g.required ? [] : [["", T.none]]), ...g.options.map((o) => [String(o.id),
      `${o.name}${o.price_delta ? ` ${o.price_delta > 0 ? "+" : ""}${yuan(o.price_delta)}` : ""}`])],
    value: g.required ? String(g.options[0]?.id) : "" }));
  const v = await ask({ title: item.name, fields, ok: T.add });
  if (!v) return null;
  const chosen = item.option_groups.flatMap((g) => g.options.filter((o) => String(o.id) === v[`g${g.id}`]));
  return { ids: chosen.map((o) => o.id), names: chosen.map((o) => o.name), delta: chosen.reduce((a, o) => a + o.price_delta, 0) };
}

async function add(item) {
  const opts = await chooseOptions(item);
  if (!opts) return;
  const same = st.lines.find((l) => l.item.id === item.id && l.option_ids.join() === opts.ids.join() && !l.note);
  if (same) same.qty += 1;
  else st.lines.push({ item, qty: 1, option_ids: opts.ids, option_names: opts.names, unit: item.price + opts.delta, note: "" });
  st.key = st.key || newKey();
  renderCart();
  toast(fmt(T.added_x, { name: item.name }));
}

async function addByCode(raw) {
  const code = raw.trim();
  if (!code) return;
  $("code-input").value = "";
  let item = st.byCode.get(code) || (code.length === 12 ? st.byCode.get(`0${code}`) : null);
  if (!item && navigator.onLine) {
    try {
      const found = (await api(`/api/v1/pos/items/by-code/${encodeURIComponent(code)}`)).item;
      item = st.items.find((i) => i.id === found.id) || { ...found, option_groups: [] };
    } catch (ex) {
      if (ex.status !== 404) return toast(ex.message || T.network_error, "err");
    }
  }
  if (!item) return toast(fmt(T.unknown_code, { code }), "err");
  if (item.sold_out) return toast(fmt(T.sold_out_x, { name: item.name }), "err");
  await add(item);
}

// The camera: @zxing/browser reads EAN-13, QR and the rest (pos-scan.js); typing is the fallback.
async function startScan() {
  try {
    $("scanner").hidden = false;
    st.scanner = await scanOnce($("scan-video"), (text) => {
      st.scanner = null;
      $("scanner").hidden = true;
      addByCode(text);
    });
  } catch (ex) {
    $("scanner").hidden = true;
    toast(T.no_camera, "err");
    $("code-input").focus();
  }
}

function stopScan() {
  st.scanner?.stop();
  st.scanner = null;
  $("scanner").hidden = true;
}

const cartTotal = () => st.lines.reduce((a, l) => a + l.unit * l.qty, 0);

function renderCart() {
  $("cart").hidden = st.lines.length === 0;
  $("cart-lines").replaceChildren(...st.lines.map((l, i) => el("li", {},
    el("span", { class: "name" }, l.item.name, l.option_names.length ? el("small", {}, l.option_names.join(" · ")) : null),
    el("div", { class: "stepper" },
      el("button", { type: "button", class: "btn small", "aria-label": T.fewer, onclick: () => step(i, -1) }, "−"),
      el("b", {}, String(l.qty)),
      el("button", { type: "button", class: "btn small", "aria-label": T.more, onclick: () => step(i, 1) }, "+")),
    el("span", { class: "amt" }, yuan(l.unit * l.qty)))));
  $("cart-total").textContent = `${T.total} ${yuan(cartTotal())}`;
  $("cash-sale").hidden = st.target !== "takeaway" || localStorage.getItem("diancan.pos.role") === "waiter";
}

function step(i, by) {
  st.lines[i].qty += by;
  if (st.lines[i].qty <= 0) st.lines.splice(i, 1);
  if (st.lines.length) st.key = newKey();  // a changed cart is a different order
  else st.key = null;
  renderCart();
}

function orderBody() {
  const target = st.target === "takeaway" ? { takeaway: true } : { table_id: Number(st.target) };
  return { client_key: st.key || newKey(), ...target, remark: $("remark").value.trim(),
    items: st.lines.map((l) => ({ item_id: l.item.id, qty: l.qty, option_ids: l.option_ids, note: l.note })) };
}

function done() {
  st.lines = []; st.key = null; $("remark").value = "";
  renderCart();
}

const targetLabel = () => $("target").selectedOptions[0]?.textContent || "";

async function sendOrder() {
  if (!st.lines.length) return;
  const body = orderBody();
  $("send-order").disabled = true;
  try {
    const sent = await sendOrQueue({ kind: "order", body, label: `${targetLabel()} · ${yuan(cartTotal())}` });
    done();
    if (sent.queued) return toast(T.order_queued);
    const o = sent.result.order;
    toast(o.pickup_number ? fmt(T.pickup_sent, { n: o.pickup_number }) : fmt(T.order_sent, { n: o.number }));
    app.openCheck(o.table_session_id);
  } catch (ex) {
    toast(ex.message || T.network_error, "err");
  } finally { $("send-order").disabled = false; }
}

// A walk-in pays cash at once: the order and its cash, kept together if the network is down.
async function cashSale() {
  if (!st.lines.length) return;
  const expected = cartTotal();
  const v = await ask({ title: fmt(T.cash_for, { amount: yuan(expected) }),
    fields: [{ name: "tendered", label: T.tendered, inputmode: "decimal", value: yuanPlain(expected) }], ok: T.take_cash,
    live: (vals, box) => { const t = fen(vals.tendered); box.textContent = t !== null && t >= expected ? fmt(T.change_x, { x: yuan(t - expected) }) : ""; },
    check: (vals) => { const t = fen(vals.tendered); return t === null || t < expected ? T.tendered_short : null; } });
  if (!v) return;
  const tendered = fen(v.tendered);
  const entry = { kind: "sale", order: orderBody(), expected_total: expected, label: `${T.takeaway} · ${yuan(expected)}`,
    pay: { client_key: newKey(), channel: "cash", tendered } };
  try {
    const sent = await sendOrQueue(entry);
    done();
    if (sent.queued) return toast(fmt(T.sale_queued, { x: yuan(tendered - expected) }));
    const { order, payment } = sent.result;
    toast(fmt(T.sale_done, { n: order.pickup_number, x: yuan(payment.change ?? 0) }));
    app.openCheck(order.table_session_id);
  } catch (ex) {
    if (ex.code === "price_changed") {
      done();
      toast(fmt(T.price_changed, { was: yuan(expected), now: yuan(ex.order.total) }), "err");
      return app.openCheck(ex.order.table_session_id);
    }
    toast(ex.message || T.network_error, "err");
  }
}
