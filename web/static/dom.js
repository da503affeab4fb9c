// Helpers shared by the pages: building DOM nodes without innerHTML (no markup injection from names or
// notes), and JSON calls to our API.
export function el(tag, attrs = {}, ...kids) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (v !== false && v != null) node.setAttribute(k, v === true ? "" : v);
  }
  for (const kid of kids.flat()) if (kid != null) node.append(kid);
  return node;
}

// A JSON call to our API. Errors carry the contract's code: {error: {code, message}}.
export class ApiError extends Error {
  constructor(status, body, retryAfter = null) {
    super(body?.error?.message || `HTTP ${status}`);
    this.status = status;
    this.code = body?.error?.code;
    this.fields = body?.error?.fields || null;
    this.retryAfter = retryAfter;  // seconds the server asked us to wait (503 overloaded, 429)
  }
}

// No answer at all (offline, DNS, reset): the browser's "Failed to fetch" never reaches a person; the
// page's catalogue says it (every page's strings hold ``network_error``). Still a TypeError, with no
// status, so `!ex.status` and `instanceof TypeError` checks keep working.
export class NetworkError extends TypeError {
  constructor(cause) {
    let text;
    try { text = JSON.parse(document.getElementById("i18n").textContent).network_error; } catch { /* no catalogue */ }
    super(text || cause?.message || "network error");
    this.status = 0;
    this.code = "network";
    this.cause = cause;
  }
}

// ``form`` (FormData) is sent as multipart instead of a JSON ``body``; ``headers`` are added;
// ``onHeaders(headers)`` sees a successful answer's headers (e.g. Retry-After while following a payment).
// The server answers errors in the page's language (Accept-Language, api/i18n.py), with stable codes.
export async function request(path, { method = "GET", body, form, token, headers: extra = {}, onHeaders = null } = {}) {
  const headers = { Accept: "application/json", "Accept-Language": document.documentElement.lang || "zh-CN", ...extra };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  const payload = form ?? (body === undefined ? undefined : JSON.stringify(body));
  let resp;
  try { resp = await fetch(path, { method, headers, body: payload }); }
  catch (ex) { throw new NetworkError(ex); }
  const data = resp.status !== 204 && resp.headers.get("content-type")?.includes("json") ? await resp.json() : null;
  if (!resp.ok) {
    const wait = Number(resp.headers.get("Retry-After"));
    throw new ApiError(resp.status, data, Number.isFinite(wait) && wait > 0 ? wait : null);
  }
  onHeaders?.(resp.headers);
  return data;
}

// Money is integer fen everywhere; pages show it as ¥12.50 (or -¥3.00).
export const yuan = (fen) => `${fen < 0 ? "-" : ""}¥${(Math.abs(fen) / 100).toFixed(2)}`;
// An option's price difference: "+¥2.00", "-¥1.00", or "" when it costs the same.
export const delta = (fen) => (fen ? `${fen > 0 ? "+" : ""}${yuan(fen)}` : "");

// Fill "{name}" placeholders of a catalogue string; unknown ones stay as they are.
export const fmt = (s, vars = {}) => s.replace(/\{(\w+)\}/g, (_, k) => (k in vars ? vars[k] : `{${k}}`));
