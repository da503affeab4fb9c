"""Dinner rush on MariaDB: orders per second one server process accepts, with stock and events,
beside the raw PyMySQL rate for writing the same rows in the same transactions.

    python bench/rush.py [--seconds 15] [--clients 8]

Needs MariaDB on 127.0.0.1 (root, no password); creates and drops its own database. Talks
only to 127.0.0.1 and stops by itself.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import pymysql
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import bench_env, diner_session, order_body, prepare_demo  # noqa: E402
from tests.servers import free_port, start_gunicorn, stop  # noqa: E402


def _drive(seconds: float, clients: int, work) -> int:  # type: ignore[no-untyped-def]
    done = [0] * clients
    stop_at = time.time() + seconds

    def run(i: int) -> None:
        state = work.setup(i)
        while time.time() < stop_at:
            work.one(state, i)
            done[i] += 1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done)


class ApiOrders:
    def __init__(self, base: str, tokens: list[str], item_id: int) -> None:
        self.base, self.tokens, self.item_id = base, tokens, item_id

    def setup(self, i: int) -> tuple[requests.Session, str]:
        return diner_session(self.base, f"bench{i}"), self.tokens[i % len(self.tokens)]

    def one(self, state: tuple[requests.Session, str], i: int) -> None:
        s, table = state
        r = s.post(f"{self.base}/api/v1/orders", json=order_body(table, self.item_id), timeout=30)
        assert r.status_code == 201, r.text


class RawInserts:
    """The same rows an order writes, in one transaction, straight through PyMySQL."""

    def __init__(self, db_name: str, item_id: int) -> None:
        self.db_name, self.item_id = db_name, item_id

    def setup(self, i: int):  # type: ignore[no-untyped-def]
        conn = pymysql.connect(host="127.0.0.1", user="root", database=self.db_name, autocommit=False)
        with conn.cursor() as cur:
            cur.execute("SELECT store_id, id FROM tables ORDER BY id LIMIT 1 OFFSET %s", (i % 8,))
            store_id, table_id = cur.fetchone()
            cur.execute("SELECT id FROM table_sessions WHERE table_id=%s AND status='open'", (table_id,))
            row = cur.fetchone()
            if row is None:
                cur.execute("INSERT INTO table_sessions (store_id, table_id, status, open_key, paid, opened_at) "
                            "VALUES (%s,%s,'open',%s,0,NOW(6))", (store_id, table_id, table_id))
                session_id = cur.lastrowid
            else:
                session_id = row[0]
        conn.commit()
        return conn, store_id, table_id, session_id

    def one(self, state, i: int) -> None:  # type: ignore[no-untyped-def]
        conn, store_id, table_id, session_id = state
        with conn.cursor() as cur:
            cur.execute("SELECT id FROM tables WHERE id=%s FOR UPDATE", (table_id,))
            cur.execute("UPDATE store_counters SET value=value+1 WHERE store_id=%s AND name='raw_number'", (store_id,))
            cur.execute("SELECT value FROM store_counters WHERE store_id=%s AND name='raw_number'", (store_id,))
            number = cur.fetchone()[0] + 10_000_000
            cur.execute("UPDATE items SET stock=stock-1 WHERE id=%s AND store_id=%s AND stock>=1",
                        (self.item_id, store_id))
            cur.execute("INSERT INTO orders (store_id, table_session_id, table_id, client_key, number, status, "
                        "payment_status, total, remark, created_at) VALUES (%s,%s,%s,%s,%s,'accepted','unpaid',"
                        "1200,'',NOW(6))", (store_id, session_id, table_id, uuid.uuid4().hex, number))
            order_id = cur.lastrowid
            cur.execute("INSERT INTO order_items (store_id, order_id, item_id, name, station, qty, options, "
                        "unit_price, line_total, note, status) VALUES (%s,%s,%s,'拍黄瓜','cold',1,'[]',1200,1200,"
                        "'','new')", (store_id, order_id, self.item_id))
            line_id = cur.lastrowid
            cur.execute("INSERT INTO tickets (store_id, order_id, station, status, created_at) "
                        "VALUES (%s,%s,'cold','new',NOW(6))", (store_id, order_id))
            ticket_id = cur.lastrowid
            cur.execute("INSERT INTO ticket_items (store_id, ticket_id, order_item_id, status) "
                        "VALUES (%s,%s,%s,'new')", (store_id, ticket_id, line_id))
            cur.execute("UPDATE store_counters SET value=value+1 WHERE store_id=%s AND name='raw_seq'", (store_id,))
            cur.execute("SELECT value FROM store_counters WHERE store_id=%s AND name='raw_seq'", (store_id,))
            seq = cur.fetchone()[0] + 10_000_000
            cur.execute("INSERT INTO kitchen_events (store_id, seq, prev_seq, kind, station, ticket_id, payload, "
                        "created_at) VALUES (%s,%s,0,'ticket.created','cold',%s,%s,NOW(6))",
                        (store_id, seq, ticket_id, json.dumps({"id": ticket_id})))
        conn.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    name = f"diancan_bench_{uuid.uuid4().hex[:8]}"
    admin = pymysql.connect(host="127.0.0.1", user="root", autocommit=True)
    admin.cursor().execute(f"CREATE DATABASE {name} CHARACTER SET utf8mb4")
    tmp = Path(tempfile.mkdtemp(prefix="diancan-bench-"))
    port = free_port()
    env = bench_env(tmp, port, DATABASE_URL=f"mysql+pymysql://root@127.0.0.1/{name}?charset=utf8mb4")
    proc = None
    try:
        # limited stock: every order takes it with a conditional UPDATE
        tables, item_id = prepare_demo(env, stock=10_000_000)
        with pymysql.connect(host="127.0.0.1", user="root", database=name, autocommit=True) as conn:
            conn.cursor().execute("INSERT INTO store_counters (store_id, name, value) SELECT id, 'raw_number', 0 "
                                  "FROM stores UNION ALL SELECT id, 'raw_seq', 0 FROM stores")
        proc = start_gunicorn(env, tmp / "gunicorn.log", port)
        api = _drive(args.seconds, args.clients, ApiOrders(f"http://127.0.0.1:{port}", tables, item_id))
        stop(proc)
        proc = None
        raw = _drive(args.seconds, args.clients, RawInserts(name, item_id))
        api_rate, raw_rate = api / args.seconds, raw / args.seconds
        print(f"clients: {args.clients}, seconds: {args.seconds:g} each")
        print(f"API orders accepted (1 gunicorn process, MariaDB, stock + kitchen events): {api_rate:8.1f} /s")
        print(f"raw PyMySQL, the same rows in the same transactions:                        {raw_rate:8.1f} /s")
        print(f"ratio API / raw: {api_rate / raw_rate:.2f}")
    finally:
        if proc is not None:
            stop(proc)
        admin.cursor().execute(f"DROP DATABASE IF EXISTS {name}")
        admin.close()


if __name__ == "__main__":
    main()
