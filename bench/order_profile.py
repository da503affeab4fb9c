"""Profile of one order: the SQL statements it sends and the CPU it costs, in this process.

    python bench/order_profile.py [--orders 300] [--mariadb] [--top 25] [--sql]

Places orders through Flask's test client (no sockets, no gunicorn) on a fresh SQLite database,
or on a fresh MariaDB database with --mariadb; prints statements per order, CPU ms per order
(without the profiler, then under it) and cProfile's most expensive functions (CPU time,
cumulative and own). --sql prints one order's statements.
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pymysql
from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app  # noqa: E402
from bench.common import bench_env, order_body, prepare_demo  # noqa: E402
from config import Settings  # noqa: E402
from models import db  # noqa: E402
from services.diners import sign_in  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=300)
    parser.add_argument("--mariadb", action="store_true")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sql", action="store_true")
    parser.add_argument("--save", help="write the profile here (pstats format)")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="diancan-bench-"))
    db_name = None
    extra = {}
    if args.mariadb:
        db_name = f"diancan_bench_{uuid.uuid4().hex[:8]}"
        with pymysql.connect(host="127.0.0.1", user="root", autocommit=True) as conn:
            conn.cursor().execute(f"CREATE DATABASE {db_name} CHARACTER SET utf8mb4")
        extra["DATABASE_URL"] = f"mysql+pymysql://root@127.0.0.1/{db_name}?charset=utf8mb4"
    try:
        env = bench_env(tmp, 5000, **extra)
        tables, item_id = prepare_demo(env, stock=10_000_000)
        app = create_app(Settings.from_env(env))
        client = app.test_client()
        with app.app_context():
            token, _diner = sign_in("bench-profile-openid")
        headers = {"Authorization": f"Bearer {token}"}
        statements: list[str] = []
        with app.app_context():
            engine = db.engine

        @event.listens_for(engine, "before_cursor_execute")
        def count(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
            statements.append(statement)

        placed = [0]

        def order() -> None:  # round the tables: one check takes at most 500 portions
            table = tables[placed[0] % len(tables)]
            placed[0] += 1
            r = client.post("/api/v1/orders", json=order_body(table, item_id), headers=headers)
            assert r.status_code == 201, r.get_data(as_text=True)

        for _ in range(max(20, len(tables))):  # warm caches, open every table's check
            order()
        statements.clear()
        order()
        per_order = list(statements)
        statements.clear()
        cpu0, wall0 = time.process_time(), time.perf_counter()
        for _ in range(args.orders):  # first without the profiler: what an order really costs
            order()
        cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
        sent = len(statements)
        profile = cProfile.Profile(time.process_time)  # CPU only: waiting on the database is not counted
        profiled0 = time.process_time()
        profile.enable()
        for _ in range(args.orders):
            order()
        profile.disable()
        profiled = time.process_time() - profiled0
        kind = "MariaDB" if args.mariadb else "SQLite"
        print(f"one order ({kind}, test client, no sockets): {len(per_order)} SQL statements "
              f"({sent / args.orders:.1f} on average over {args.orders})")
        print(f"CPU per order (this process): {cpu / args.orders * 1000:.2f} ms; "
              f"wall {wall / args.orders * 1000:.2f} ms; "
              f"under cProfile {profiled / args.orders * 1000:.2f} ms (the profile below)")
        if args.sql:
            for s in per_order:
                print("   ", " ".join(s.split())[:160])
        if args.save:
            profile.dump_stats(args.save)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(args.top)
        pstats.Stats(profile).sort_stats("tottime").print_stats(args.top)
    finally:
        if db_name:
            with pymysql.connect(host="127.0.0.1", user="root", autocommit=True) as conn:
                conn.cursor().execute(f"DROP DATABASE IF EXISTS {db_name}")


if __name__ == "__main__":
    main()
