// The cashier's API calls, and the offline queue: cash sales and staff orders taken while the network
// is down are kept in IndexedDB (idb) with their client keys, sent one by one, exactly once, when it
// is back. The server's answer to a key is the same however often it is asked, so a request whose
// answer was lost is simply asked again; an entry leaves the queue only on a definite answer.
import { openDB } from "./vendor/idb.js";
import { request } from "./dom.js";

const auth = { token: null, onUnauthorized: () => {} };
export const setAuth = (token, onUnauthorized) => Object.assign(auth, { token, onUnauthorized });

export async function api(path, opts = {}) {
  try {
    return await request(path, { ...opts, token: auth.token });
  } catch (ex) {
    if (ex.status === 401) auth.onUnauthorized();
    throw ex;
  }
}

// No answer at all (offline, connection dropped) or a server that is down: worth trying again later.
export const isNetworkError = (ex) => !ex.status || ex.status >= 500 || ex.status === 429 || ex.status === 408;

const dbp = openDB("diancan-pos", 1, {
  upgrade(db) {
    db.createObjectStore("queue", { keyPath: "id", autoIncrement: true });
    db.createObjectStore("refused", { keyPath: "id", autoIncrement: true });
    db.createObjectStore("cache");
  },
});

const listeners = new Set();
export const onQueueChange = (fn) => listeners.add(fn);
async function changed() {
  const [n, refused] = [await pendingCount(), await refusedEntries()];
  for (const fn of listeners) fn(n, refused);
}

export const pendingCount = async () => (await dbp).count("queue");
export const pendingEntries = async () => (await dbp).getAll("queue");
export const refusedEntries = async () => (await dbp).getAll("refused");
export async function dismissRefused(id) { await (await dbp).delete("refused", id); await changed(); }
export const cacheGet = async (key) => (await dbp).get("cache", key);
export const cachePut = async (key, value) => (await dbp).put("cache", value, key);

export async function enqueue(entry) {
  await (await dbp).add("queue", { ...entry, queued_at: new Date().toISOString() });
  await changed();
}

// Send an entry now; when there is no network, queue it. Resolves to {result} or {queued: true};
// a refusal (4xx) is thrown to the caller, who is there to see it.
export async function sendOrQueue(entry) {
  if (!navigator.onLine) { await enqueue(entry); return { queued: true }; }
  try {
    return { result: await send(entry) };
  } catch (ex) {
    if (!isNetworkError(ex)) throw ex;
    await enqueue(entry);
    return { queued: true };
  }
}

// One queued entry, by kind. A takeaway sale is its order, then the cash for it: when the server
// priced the order differently from what the cashier took, the cash is not recorded and the sale
// goes to the cashier to resolve.
async function send(entry) {
  if (entry.kind === "order") return api("/api/v1/pos/orders", { method: "POST", body: entry.body });
  if (entry.kind === "payment") {
    return api(`/api/v1/table-sessions/${entry.session_id}/payments/offline`, { method: "POST", body: entry.body });
  }
  if (entry.kind === "sale") {
    const { order } = await api("/api/v1/pos/orders", { method: "POST", body: entry.order });
    if (order.total !== entry.expected_total) {
      const err = new Error("price_changed");
      Object.assign(err, { status: 409, code: "price_changed", order });
      throw err;
    }
    try {
      const paid = await api(`/api/v1/table-sessions/${order.table_session_id}/payments/offline`, {
        method: "POST", body: { ...entry.pay, amount: order.total } });
      return { order, payment: paid.payment };
    } catch (ex) {
      ex.order = order;  // a refused payment still leaves its order to open and settle
      throw ex;
    }
  }
  throw new Error(`unknown queue entry ${entry.kind}`);
}

let running = null;
// Send what is queued, oldest first, one at a time; stops at the first network failure.
export function syncQueue() {
  if (!running) {
    const work = navigator.locks  // one tab at a time sends this phone's queue
      ? navigator.locks.request("diancan-pos-sync", drain) : drain();
    running = work.finally(() => { running = null; });
  }
  return running;
}

async function drain() {
  const db = await dbp;
  for (;;) {
    const [entry] = await db.getAll("queue", null, 1);
    if (!entry) break;
    try {
      const result = await send(entry);
      await db.delete("queue", entry.id);
      await changed();
      for (const fn of syncedListeners) fn(entry, result);
    } catch (ex) {
      if (isNetworkError(ex)) break;
      const { id, ...rest } = entry;
      const tx = db.transaction(["queue", "refused"], "readwrite");
      await tx.objectStore("refused").add({ ...rest, queue_id: id, code: ex.code || "refused",
        message: ex.message, order: ex.order || null, refused_at: new Date().toISOString() });
      await tx.objectStore("queue").delete(entry.id);
      await tx.done;
      await changed();
    }
  }
}

const syncedListeners = new Set();
export const onSynced = (fn) => syncedListeners.add(fn);

window.addEventListener("online", () => syncQueue());
setInterval(() => { if (navigator.onLine) syncQueue(); }, 15000);
