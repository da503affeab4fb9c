"""Order to screen: how long from sending an order until its ticket reaches a kitchen screen,
beside a bare Socket.IO round trip on the same server stack, measured in the same run.

    python bench/order_to_screen.py [--orders 200] [--diners 8]

Starts its own gunicorn (gevent worker) on a temporary SQLite database (or DATABASE_URL's
MariaDB when --mariadb is given), talks only to 127.0.0.1 and stops by itself.
"""
from __future__ import annotations

import argparse
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


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def measure_orders(base: str, cook: str, tables: list[str], item_id: int, orders: int, diners: int) -> list[float]:
    """ms from just before POST /orders to the ticket.created event at a connected screen."""
    sent: dict[int, float] = {}
    arrived: dict[int, float] = {}
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
            r = s.post(f"{base}/api/v1/orders", json=order_body(tables[i % len(tables)], item_id), timeout=30)
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
    port = free_port()
    db_name = None
    extra = {}
    if args.mariadb:
        db_name = f"diancan_bench_{uuid.uuid4().hex[:8]}"
        with pymysql.connect(host="127.0.0.1", user="root", autocommit=True) as conn:
            conn.cursor().execute(f"CREATE DATABASE {db_name} CHARACTER SET utf8mb4")
        extra["DATABASE_URL"] = f"mysql+pymysql://root@127.0.0.1/{db_name}?charset=utf8mb4"
    env = bench_env(tmp, port, **extra)
    proc = None
    try:
        tables, item_id = prepare_demo(env)
        proc = start_gunicorn(env, tmp / "gunicorn.log", port)
        base = f"http://127.0.0.1:{port}"
        cook = requests.post(f"{base}/api/v1/staff/login", timeout=10,
                             json={"store": "demo", "username": "cook", "password": "cook-demo-pass"}).json()["token"]
        measure_echo(base, cook, 20)  # warm up
        echo = measure_echo(base, cook, max(args.orders, 200))
        latency = measure_orders(base, cook, tables, item_id, args.orders - args.orders % args.diners, args.diners)
        db_kind = "MariaDB" if args.mariadb else "SQLite"
        print(f"order → screen ({len(latency)} orders, {args.diners} diners, {db_kind}, 1 gunicorn gevent process)")
        print(f"  order to ticket.created: p50 {statistics.median(latency):7.2f} ms   p99 {pct(latency, 99):7.2f} ms")
        print(f"  bare Socket.IO call:     p50 {statistics.median(echo):7.2f} ms   p99 {pct(echo, 99):7.2f} ms")
        print(f"  ratio order/bare:        p50 {statistics.median(latency) / statistics.median(echo):7.1f}×"
              f"    p99 {pct(latency, 99) / pct(echo, 99):7.1f}×")
    finally:
        if proc is not None:
            stop(proc)
        if db_name:
            with pymysql.connect(host="127.0.0.1", user="root", autocommit=True) as conn:
                conn.cursor().execute(f"DROP DATABASE IF EXISTS {db_name}")


if __name__ == "__main__":
    main()
