// The low-stock badge in the cashier's header: ingredients at or under their line (and how many
// are out), from GET /api/v1/pos/stock-alerts, at most once a minute; hidden when nothing is low.
import { $, T, fmt } from "./pos-ui.js";
import { api } from "./pos-queue.js";

const EVERY_MS = 60000;
let last = 0;

export async function refreshStockBadge(force = false) {
  if (!force && Date.now() - last < EVERY_MS) return;
  last = Date.now();
  const badge = $("stock-badge");
  try {
    const { low, out } = await api("/api/v1/pos/stock-alerts");
    badge.textContent = out ? `${fmt(T.stock_low_badge, { count: low })} · ${fmt(T.stock_out_badge, { count: out })}`
      : fmt(T.stock_low_badge, { count: low });
    badge.hidden = low === 0;
  } catch { last = 0; /* offline or not allowed: keep what is shown, try again next round */ }
}
