// Live updates by polling the same REST routes the pages load from.
//
// Why not Socket.IO: a mini-program has no browser WebSocket or XMLHttpRequest, only
// wx.connectSocket and wx.request, so socket.io-client does not run there; the adapters that
// bridge it (weapp.socket.io and the like) are unmaintained and speak an older Engine.IO protocol
// than the server's python-socketio 5, and writing our own would be a hand-made websocket
// protocol, which the project does not do. Polling the REST routes needs nothing but wx.request,
// reads the same truth as every other client (the database, not the socket), and costs one small
// GET every few seconds while a page is on screen; pollers stop when the page is hidden.
function createPoller({ fetch, onData, onError, interval = 3000, maxInterval = 30000, timers }) {
  const t = timers || { setTimeout, clearTimeout };
  let timer = null;
  let running = false;
  let wait = interval;
  let inFlight = false;

  async function tick() {
    timer = null;
    if (!running || inFlight) return;
    inFlight = true;
    try {
      const data = await fetch();
      wait = interval;
      if (running) onData(data);
    } catch (err) {
      wait = Math.min(wait * 2, maxInterval);  // server busy or phone offline: back off
      if (onError) onError(err);
    } finally {
      inFlight = false;
    }
    if (running) timer = t.setTimeout(tick, wait);
  }

  return {
    start() {
      if (running) return;
      running = true;
      wait = interval;
      tick();
    },
    stop() {
      running = false;
      if (timer) t.clearTimeout(timer);
      timer = null;
    },
    // Something just happened (an order sent, a payment made): look now rather than later.
    poke() {
      if (!running) return;
      if (timer) t.clearTimeout(timer);
      timer = null;
      tick();
    },
    get interval() {
      return wait;
    },
    get running() {
      return running;
    },
  };
}

module.exports = { createPoller };
