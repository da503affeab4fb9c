"""Menu edit to phones: how long from a manager's price change in the console until every open
diner page has fetched the new menu, beside a bare menu fetch on the idle server, in one run.

    python bench/menu_edit.py [--phones 50] [--edits 20]

Each phone is a real Socket.IO client on ``/table`` (as the diner page) that fetches the menu
when ``menu.updated`` asks it to reload (the page waits 300 ms to coalesce bursts; this does not,
so it measures the server). Starts its own gunicorn on a temporary SQLite database.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import requests
import socketio

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import demo_server, diner_session, staff_login  # noqa: E402
from bench.order_to_screen import pct  # noqa: E402


class Phone:
    def __init__(self, base: str, store_id: int, table_token: str, item_id: int, i: int) -> None:
        self.http = diner_session(base, f"menu-bench-{i}")
        self.base, self.store_id, self.item_id = base, store_id, item_id
        self.seen: dict[int, float] = {}  # price -> when this phone had a menu showing it
        self.sock = socketio.Client(reconnection=False)
        self.sock.on("menu.updated", self.on_update, namespace="/table")
        token = self.http.headers["Authorization"].split()[1]
        self.sock.connect(base, namespaces=["/table"], auth={"token": token, "table_token": table_token},
                          transports=["websocket"], wait_timeout=10)

    def on_update(self, data: dict) -> None:
        if not data.get("reload"):
            return
        menu = self.http.get(f"{self.base}/api/v1/stores/{self.store_id}/menu", timeout=30).json()
        now = time.perf_counter()
        for cat in menu["categories"]:
            for item in cat["items"]:
                if item["id"] == self.item_id:
                    self.seen.setdefault(item["price"], now)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phones", type=int, default=50)
    parser.add_argument("--edits", type=int, default=20)
    args = parser.parse_args()
    with demo_server() as (base, tables, item_id):
        info = requests.get(f"{base}/api/v1/tables/{tables[0]}", timeout=10).json()
        store_id = info["store"]["id"]
        bare = []
        for _ in range(100):
            t0 = time.perf_counter()
            requests.get(f"{base}/api/v1/stores/{store_id}/menu", timeout=10).raise_for_status()
            bare.append((time.perf_counter() - t0) * 1000)
        phones = [Phone(base, store_id, tables[i % len(tables)], item_id, i) for i in range(args.phones)]
        owner = staff_login(base)
        per_phone, slowest = [], []
        for k in range(args.edits):
            price = 1000 + k
            t0 = time.perf_counter()
            r = requests.patch(f"{base}/api/v1/admin/items/{item_id}", json={"price": price, "name": f"拍黄瓜{k}"},
                               headers={"Authorization": f"Bearer {owner}"}, timeout=30)
            r.raise_for_status()
            deadline = time.time() + 30
            while time.time() < deadline and not all(price in p.seen for p in phones):
                time.sleep(0.005)
            missing = [p for p in phones if price not in p.seen]
            if missing:
                raise SystemExit(f"{len(missing)} phones never saw edit {k}")
            times = [(p.seen[price] - t0) * 1000 for p in phones]
            per_phone += times
            slowest.append(max(times))
            time.sleep(0.2)
        for p in phones:
            p.sock.disconnect()
        print(f"menu edit → {args.phones} phones reloaded ({args.edits} edits, SQLite, 1 gunicorn gevent process)")
        print(f"  edit to a phone's new menu: p50 {statistics.median(per_phone):7.1f} ms"
              f"   p99 {pct(per_phone, 99):7.1f} ms")
        print(f"  edit to the last phone:     p50 {statistics.median(slowest):7.1f} ms   max {max(slowest):7.1f} ms")
        print(f"  bare menu fetch (idle):     p50 {statistics.median(bare):7.1f} ms   p99 {pct(bare, 99):7.1f} ms")
        print(f"  last phone / bare fetch:    {statistics.median(slowest) / statistics.median(bare):7.1f}×"
              f" (= {args.phones} fetches queued on one process)")


if __name__ == "__main__":
    main()
