"""Order to screen: how long from sending an order until its ticket reaches a kitchen screen,
one diner at a time and ``--diners`` at once, beside the floor measured in the same run: a bare
Flask-SocketIO app on the same gunicorn/gevent setup (bench/bare_app.py) taking a POST and
emitting its body to a connected screen.

    python bench/order_to_screen.py [--orders 200] [--diners 8] [--mariadb]

Starts its own gunicorns (gevent worker) on a temporary SQLite database (or a fresh MariaDB
database when --mariadb is given), talks only to 127.0.0.1 and stops by itself.
Targets (issue #14): one diner p50 ≤ 3×, p99 ≤ 5× the floor; eight at once p50 ≤ 10×, p99 ≤ 15×.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import pymysql
import requests
import socketio

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import bench_env, diner_session, order_body, prepare_demo  # noqa: E402
from tests.servers import free_port, start_gunicorn, stop  # noqa: E402

REFUSED = [0]  # 503 overloaded answers the diners retried


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def measure_orders(base: str, cook: str, tables: list[str], item_id: int, orders: int, diners: int) -> list[float]:
    """ms from just before POST /orders to the ticket.created event at a connected screen."""
    sent: dict[int, float] = {}
    arrived: dict[int, float] = {}
    refused = REFUSED
    lock = threading.Lock()
    all_in = threading.Event()
    screen = socketio.Client(reconnection=False)

    def on_ticket(data: dict) -> None:
        now = time.perf_counter()
        with lock:
            arrived.setdefault(data["ticket"]["order_id"], now)
            if len(arrived) >= orders:
                all_in.set()

    screen.on("ticket.created", on_ticket, namespace="/kds")
    screen.connect(base, namespaces=["/kds"], auth={"token": cook}, transports=["websocket"], wait_timeout=10)
    per_diner = orders // diners

    def diner(i: int) -> None:
        s = diner_session(base, f"bench-{i}")
        for _ in range(per_diner):
            t0 = time.perf_counter()
            body = order_body(tables[i % len(tables)], item_id)
            r = s.post(f"{base}/api/v1/orders", json=body, timeout=30)
            while r.status_code == 503:  # overloaded: the diner page retries the same key after Retry-After
                with lock:
                    refused[0] += 1
                time.sleep(float(r.headers.get("Retry-After", "1")))
                r = s.post(f"{base}/api/v1/orders", json=body, timeout=30)
            assert r.status_code == 201, r.text
            with lock:
                sent[r.json()["order"]["id"]] = t0

    threads = [threading.Thread(target=diner, args=(i,)) for i in range(diners)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    all_in.wait(30)
    screen.disconnect()
    missing = set(sent) - set(arrived)
    if missing:
        raise SystemExit(f"{len(missing)} tickets never reached the screen")
    return [(arrived[o] - sent[o]) * 1000 for o in sent]


def measure_floor(base: str, rounds: int) -> list[float]:
    """ms from just before POST /emit on the bare app to its emit reaching a connected screen."""
    arrived: dict[int, float] = {}
    got = threading.Event()
    screen = socketio.Client(reconnection=False)

    def on_ticket(data: dict) -> None:
        arrived[data["ticket"]["order_id"]] = time.perf_counter()
        got.set()

    screen.on("ticket.created", on_ticket, namespace="/kds")
    screen.connect(base, namespaces=["/kds"], transports=["websocket"], wait_timeout=10)
    http = requests.Session()
    out = []
    for i in range(rounds):
        got.clear()
        t0 = time.perf_counter()
        r = http.post(f"{base}/emit", json={"seq": i, "ticket": {"order_id": i, "station": "cold", "items": []}},
                      timeout=10)
        assert r.status_code == 201
        if not got.wait(10):
            raise SystemExit("the bare app's emit never arrived")
        out.append((arrived[i] - t0) * 1000)
    screen.disconnect()
    return out


def measure_echo(base: str, cook: str, rounds: int) -> list[float]:
    """ms for a bare Socket.IO call and answer (``resume`` past the newest seq: nothing to send)."""
    client = socketio.Client(reconnection=False)
    client.connect(base, namespaces=["/kds"], auth={"token": cook}, transports=["websocket"], wait_timeout=10)
    out = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        client.call("resume", {"after": 10**9}, namespace="/kds", timeout=10)
        out.append((time.perf_counter() - t0) * 1000)
    client.disconnect()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument("--diners", type=int, default=8)
    parser.add_argument("--mariadb", action="store_true", help="use a fresh MariaDB database on 127.0.0.1")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="diancan-bench-"))
    port, bare_port = free_port(), free_port()
    db_name = None
    extra = {}
    if args.mariadb:
        db_name = f"diancan_bench_{uuid.uuid4().hex[:8]}"
        with pymysql.connect(host="127.0.0.1", user="root", autocommit=True) as conn:
            conn.cursor().execute(f"CREATE DATABASE {db_name} CHARACTER SET utf8mb4")
        extra["DATABASE_URL"] = f"mysql+pymysql://root@127.0.0.1/{db_name}?charset=utf8mb4"
    env = bench_env(tmp, port, **extra)
    proc = bare = None
    try:
        tables, item_id = prepare_demo(env)
        proc = start_gunicorn(env, tmp / "gunicorn.log", port)
        bare = start_gunicorn({"LOG_LEVEL": "WARNING"}, tmp / "bare.log", bare_port, app="bench.bare_app:app")
        base = f"http://127.0.0.1:{port}"
        cook = requests.post(f"{base}/api/v1/staff/login", timeout=10,
                             json={"store": "demo", "username": "cook", "password": "cook-demo-pass"}).json()["token"]
        bare_base = f"http://127.0.0.1:{bare_port}"
        measure_floor(bare_base, 20)  # warm up
        measure_orders(base, cook, tables, item_id, 20, 1)
        floor = measure_floor(bare_base, max(args.orders, 200))
        one = measure_orders(base, cook, tables, item_id, args.orders, 1)
        many = measure_orders(base, cook, tables, item_id, args.orders - args.orders % args.diners, args.diners)
        floor_after = measure_floor(bare_base, max(args.orders, 200))
        echo = measure_echo(base, cook, max(args.orders, 200))
        f50, f99 = statistics.median(floor), pct(floor, 99)
        db_kind = "MariaDB" if args.mariadb else "SQLite"
        print(f"order → screen ({args.orders} orders each, {db_kind}, 1 gunicorn gevent process; "
              f"load average {os.getloadavg()[0]:.1f})")
        print(f"  floor, bare POST → emit → screen: p50 {f50:7.2f} ms   p99 {f99:7.2f} ms   (again after: p50 "
              f"{statistics.median(floor_after):.2f}, p99 {pct(floor_after, 99):.2f}: the noise)")
        for label, got, (t50, t99) in (("1 diner", one, (3, 5)), (f"{args.diners} diners at once", many, (10, 15))):
            g50, g99 = statistics.median(got), pct(got, 99)
            print(f"  {label:18} p50 {g50:7.2f} ms   p99 {g99:7.2f} ms   "
                  f"ratio p50 {g50 / f50:5.1f}× (≤ {t50}×)   p99 {g99 / f99:5.1f}× (≤ {t99}×)")
        print(f"  503 overloaded answers retried after Retry-After (counted in the times): {REFUSED[0]}")
        print(f"  (a bare Socket.IO call on the app itself: p50 {statistics.median(echo):.2f} ms,"
              f" p99 {pct(echo, 99):.2f} ms)")
    finally:
        for p in (proc, bare):
            if p is not None:
                stop(p)
        if db_name:
            with pymysql.connect(host="127.0.0.1", user="root", autocommit=True) as conn:
                conn.cursor().execute(f"DROP DATABASE IF EXISTS {db_name}")


if __name__ == "__main__":
    main()
