"""Print rush: 300 kitchen tickets to 3 network printers (emulators), one dropping connections.

    python bench/print_rush.py [--orders 100] [--processes 2] [--drop 0.3] [--mariadb]

Each order has a hot, a cold and a drink dish, so 100 orders make 300 tickets, one per printer
per order. The drinks printer drops ``--drop`` of its connections before the job is complete.
``--processes`` gunicorn processes each run a print worker on the same database. Prints the time
from the first order to the last ticket on paper, order→paper latency, retries, and checks that
every ticket came out exactly once and in order on its printer. Talks only to 127.0.0.1.
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import pymysql

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app  # noqa: E402
from bench.common import bench_env, diner_session  # noqa: E402
from bench.order_to_screen import pct  # noqa: E402
from config import Settings  # noqa: E402
from models import Item, PrintJob, Store, Table, db  # noqa: E402
from models.migrate import upgrade  # noqa: E402
from printers.emulator import EscposEmulator  # noqa: E402
from services import printers_admin  # noqa: E402
from services.demo import seed_demo  # noqa: E402
from services.tables import qr_token  # noqa: E402
from tests.servers import free_port, start_gunicorn, stop  # noqa: E402

DISHES = {"hot": "番茄炒蛋", "cold": "拍黄瓜", "bar": "矿泉水"}


def prepare(env: dict[str, str], emulators: dict[str, EscposEmulator]) -> tuple[list[str], list[int]]:
    upgrade(env["DATABASE_URL"])
    app = create_app(Settings.from_env(env))
    with app.app_context():
        store = seed_demo()
        assert store is not None
        for station, emulator in emulators.items():
            printers_admin.create_printer(store.id, {"kind": "escpos", "name": f"{station} printer",
                                                     "host": "127.0.0.1", "port": emulator.port,
                                                     "stations": [station]})
        tables = [qr_token(t) for t in db.session.query(Table).filter_by(store_id=store.id)]
        items = [db.session.query(Item).filter_by(store_id=store.id, name=name).one().id for name in DISHES.values()]
        db.session.commit()
        return tables, items


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=100)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--drop", type=float, default=0.3, help="share of the drinks printer's connections dropped")
    parser.add_argument("--mariadb", action="store_true")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="diancan-print-rush-"))
    ports = [free_port() for _ in range(args.processes)]
    extra = {"PRINT_RETRY_MAX_SECONDS": "1", "LOG_LEVEL": "ERROR"}
    db_name = None
    if args.mariadb:
        db_name = f"diancan_bench_{uuid.uuid4().hex[:8]}"
        with pymysql.connect(host="127.0.0.1", user="root", autocommit=True) as conn:
            conn.cursor().execute(f"CREATE DATABASE {db_name} CHARACTER SET utf8mb4")
        extra["DATABASE_URL"] = f"mysql+pymysql://root@127.0.0.1/{db_name}?charset=utf8mb4"
    emulators = {"hot": EscposEmulator(), "cold": EscposEmulator(), "bar": EscposEmulator(drop_rate=args.drop, seed=7)}
    for emulator in emulators.values():
        emulator.start()
    env = bench_env(tmp, ports[0], **extra)
    procs = []
    try:
        tables, items = prepare(env, emulators)
        procs = [start_gunicorn(env | {"PORT": str(p)}, tmp / f"gunicorn-{p}.log", p) for p in ports]
        bases = [f"http://127.0.0.1:{p}" for p in ports]
        placed: dict[int, float] = {}
        lock = threading.Lock()

        def diner(i: int, count: int) -> None:
            base = bases[i % len(bases)]
            session = diner_session(base, f"rush-{i}")
            for n in range(count):
                body = {"table_token": tables[(i + n) % len(tables)], "client_key": uuid.uuid4().hex,
                        "items": [{"item_id": it, "qty": 1, "option_ids": [], "note": ""} for it in items]}
                r = session.post(f"{base}/api/v1/orders", json=body, timeout=30)
                r.raise_for_status()
                with lock:
                    placed[r.json()["order"]["number"]] = time.time()

        diners = 5
        start = time.time()
        threads = [threading.Thread(target=diner, args=(i, args.orders // diners)) for i in range(diners)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        ordered = time.time()
        wanted = len(placed)
        finished = {}
        for station, emulator in emulators.items():
            emulator.wait_for(wanted, timeout=300)
            finished[station] = emulator.printouts[-1].at - start if emulator.printouts else float("nan")
        done = time.time()
        time.sleep(2)  # a doubled ticket would show up late: give it the chance before counting
        latency, problems = [], []
        for station, emulator in emulators.items():
            numbers = [int(re.search(r"单号 (\d+)", p.text).group(1)) for p in emulator.printouts]  # type: ignore[union-attr]
            if sorted(numbers) != sorted(placed) or len(set(numbers)) != len(numbers):
                problems.append(f"{station}: {len(numbers)} printed, {len(set(numbers))} distinct, {wanted} ordered")
            if numbers != sorted(numbers):
                problems.append(f"{station}: out of order")
            latency += [(p.at - placed[n]) * 1000 for p, n in zip(emulator.printouts, numbers, strict=True)
                        if n in placed]
        app = create_app(Settings.from_env(env))
        with app.app_context():
            store = db.session.query(Store).filter_by(slug="demo").one()
            jobs = db.session.query(PrintJob).filter_by(store_id=store.id).all()
            attempts = sum(j.attempts for j in jobs)
            queued = sum(1 for j in jobs if j.status != "printed")
        db_kind = "MariaDB" if args.mariadb else "SQLite"
        print(f"print rush: {wanted} orders → {3 * wanted} tickets on 3 printers, {args.processes} processes, "
              f"{db_kind}")
        print(f"  orders placed in {ordered - start:6.2f} s; all tickets on paper after {done - start:6.2f} s")
        print("  last ticket per printer: " + ", ".join(f"{k} {v:.2f} s" for k, v in finished.items()))
        print(f"  order → paper: p50 {statistics.median(latency):8.1f} ms   p95 {pct(latency, 95):8.1f} ms   "
              f"max {max(latency):8.1f} ms")
        print(f"  drinks printer dropped {emulators['bar'].dropped} of {emulators['bar'].connections} connections; "
              f"{attempts - len(jobs)} retries in all")
        print(f"  lost or doubled: {'none' if not problems and not queued else problems or f'{queued} unprinted'}")
        if problems or queued:
            sys.exit(1)
    finally:
        for proc in procs:
            stop(proc)
        for emulator in emulators.values():
            emulator.stop()
        if db_name:
            with pymysql.connect(host="127.0.0.1", user="root", autocommit=True) as conn:
                conn.cursor().execute(f"DROP DATABASE IF EXISTS {db_name}")


if __name__ == "__main__":
    main()
