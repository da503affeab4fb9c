"""Kitchen rush: 50 connected screens and a steady stream of orders; order-to-screen latency at
every screen, memory per connection, and a bare Socket.IO call on the same server in the same run.

    python bench/kds_rush.py [--screens 50] [--seconds 60] [--rate 10] [--idle 500]
                             [--worker gevent|simple-websocket|geventwebsocket]

``--worker gevent`` is as shipped (gunicorn's gevent worker, WebSockets read in their own
greenlets: kds/websocket.py); ``simple-websocket`` serves them through simple-websocket on the
same worker, ``geventwebsocket`` on gevent-websocket's worker; run them to compare. Talks only
to 127.0.0.1 and stops by itself.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests
import socketio

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import bench_env, diner_session, order_body, prepare_demo  # noqa: E402
from bench.order_to_screen import measure_echo, pct  # noqa: E402
from tests.servers import free_port, start_gunicorn, stop  # noqa: E402

WORKERS = {"geventwebsocket": "geventwebsocket.gunicorn.workers.GeventWebSocketWorker", "gevent": "gevent",
           "simple-websocket": "gevent"}
# gevent: as shipped, gunicorn's gevent worker with WebSockets read in their own greenlets
# (kds/websocket.py); simple-websocket: the same worker with Socket.IO's "threading" mode, whose
# threads gevent has patched into greenlets.
ASYNC_MODES = {"geventwebsocket": "", "gevent": "gevent", "simple-websocket": "threading"}


def rss_kib(pid: int) -> int:
    """Resident memory of the gunicorn worker (the child of the master ``pid``)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    target = int(children[0]) if children else pid
    for line in Path(f"/proc/{target}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def connect_screens(base: str, cook: str, n: int, on_ticket=None) -> list[socketio.Client]:  # type: ignore[no-untyped-def]
    screens = []
    for _ in range(n):
        c = socketio.Client(reconnection=False)
        if on_ticket is not None:
            c.on("ticket.created", on_ticket, namespace="/kds")
        c.connect(base, namespaces=["/kds"], auth={"token": cook}, transports=["websocket"], wait_timeout=10)
        screens.append(c)
    return screens


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--screens", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--rate", type=float, default=10, help="orders per second")
    parser.add_argument("--idle", type=int, default=500, help="idle sockets for the memory figure")
    parser.add_argument("--worker", choices=sorted(WORKERS), default="gevent")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="diancan-kdsrush-"))
    port = free_port()
    env = bench_env(tmp, port, GUNICORN_WORKER=WORKERS[args.worker], SOCKETIO_ASYNC_MODE=ASYNC_MODES[args.worker])
    tables, item_id = prepare_demo(env)
    proc = start_gunicorn(env, tmp / "gunicorn.log", port)
    base = f"http://127.0.0.1:{port}"
    clients: list[socketio.Client] = []
    try:
        cook = requests.post(f"{base}/api/v1/staff/login", timeout=10,
                             json={"store": "demo", "username": "cook", "password": "cook-demo-pass"}).json()["token"]
        measure_echo(base, cook, 20)
        before = rss_kib(proc.pid)
        clients = connect_screens(base, cook, args.idle)
        time.sleep(1)  # let the server settle its buffers; nothing to wait on but the allocator
        per_conn = (rss_kib(proc.pid) - before) / args.idle
        for c in clients:
            c.disconnect()
        clients = []
        echo = measure_echo(base, cook, 300)

        sent: dict[int, float] = {}
        arrivals: dict[int, list[float]] = {}
        lock = threading.Lock()

        def on_ticket(data: dict) -> None:
            now = time.perf_counter()
            with lock:
                arrivals.setdefault(data["ticket"]["order_id"], []).append(now)

        clients = connect_screens(base, cook, args.screens, on_ticket)
        s = diner_session(base, "rush")
        interval, start, n = 1 / args.rate, time.perf_counter(), 0
        while time.perf_counter() - start < args.seconds:
            t0 = time.perf_counter()
            r = s.post(f"{base}/api/v1/orders", json=order_body(tables[n % len(tables)], item_id), timeout=30)
            assert r.status_code == 201, r.text
            with lock:
                sent[r.json()["order"]["id"]] = t0
            n += 1
            time.sleep(max(0.0, start + n * interval - time.perf_counter()))
        deadline = time.time() + 10
        while time.time() < deadline:
            with lock:
                if all(len(arrivals.get(o, [])) >= args.screens for o in sent):
                    break
            time.sleep(0.05)
        latencies = [(t - sent[o]) * 1000 for o, ts in arrivals.items() if o in sent for t in ts]
        missing = sum(args.screens - len(arrivals.get(o, [])) for o in sent)
        print(f"kds rush: {args.screens} screens, {len(sent)} orders in {args.seconds:g} s "
              f"({args.rate:g}/s), worker {args.worker}, SQLite, 1 process")
        print(f"  order to ticket at every screen: p50 {statistics.median(latencies):7.2f} ms   "
              f"p99 {pct(latencies, 99):7.2f} ms   ({len(latencies)} deliveries, {missing} missing)")
        print(f"  bare Socket.IO call:             p50 {statistics.median(echo):7.2f} ms   p99 {pct(echo, 99):7.2f} ms")
        print(f"  ratio:                           p50 {statistics.median(latencies) / statistics.median(echo):7.1f}×"
              f"   p99 {pct(latencies, 99) / pct(echo, 99):7.1f}×")
        print(f"  memory per idle connection:      {per_conn:7.1f} KiB (worker RSS over {args.idle} sockets)")
    finally:
        for c in clients:
            c.disconnect()
        stop(proc)


if __name__ == "__main__":
    main()
