// The cashier page's service worker: the page, its scripts and styles are kept so that /pos opens
// (and the offline queue can be seen and synced) even after a reload or a restart with no network.
// Network first, always: a cashier never works from a stale page while the server answers.
// API calls and sockets are never touched: they are the queue's business.
const CACHE = "diancan-pos-shell-v1";
const SHELL = /^\/(pos$|pos\/|assets\/)/;

// The page hands over the URLs it was built from (they carry the assets' version) to keep at once,
// so the very first reload without network already works.
self.addEventListener("message", (event) => {
  if (event.data?.type === "precache") {
    event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(event.data.urls)));
  }
});
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin || !SHELL.test(url.pathname)) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    try {
      const fresh = await fetch(event.request);
      if (fresh.ok) await cache.put(event.request, fresh.clone());
      return fresh;
    } catch (err) {
      const kept = await cache.match(event.request, { ignoreSearch: event.request.mode === "navigate" });
      if (kept) return kept;
      throw err;
    }
  })());
});
