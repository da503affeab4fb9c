"""Payment codes through the sandbox: 100 codes, 30 % of them needing the password (the payer
confirms after a random 0.5-3 s), charged by ten cashiers at once against two server processes
(gunicorn, gevent) sharing one database, each running its payment-code poller.

Prints the median time from scanning to ``paid`` (all, without and with the password), how many
queries the servers made per payment (``payments.polls``: leased, so two processes and a page
following the payment do not multiply them), and checks that every payment was credited once.

The poll interval is shortened for the bench (``CODEPAY_POLL_SECONDS``, default here 0.5 s;
production polls every 5 s), so a password payment is seen paid about half a second after the
payer confirms; the figures scale with it.

    PYTHONPATH=. .venv/bin/python bench/codepay.py [--payments 100] [--password 0.3] [--poll 0.5] [--mariadb]
"""
from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pymysql
import requests
from sqlalchemy import create_engine, select

from bench.common import bench_env, prepare_demo
from models import Payment, TableSession
from tests.servers import free_port, start_gunicorn, stop

CASHIER = {"store": "demo", "username": "cashier", "password": "cashier-demo-pass"}  # noqa: S105 - the demo's


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--payments", type=int, default=100)
    ap.add_argument("--password", type=float, default=0.3, help="share of payers who must enter the password")
    ap.add_argument("--poll", type=float, default=0.5, help="CODEPAY_POLL_SECONDS for the bench (production: 5)")
    ap.add_argument("--cashiers", type=int, default=10)
    ap.add_argument("--mariadb", action="store_true")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="diancan-codepay-"))
    port, port2 = free_port(), free_port()
    extra, db_name = {}, None
    if args.mariadb:
        db_name = f"diancan_bench_{uuid.uuid4().hex[:8]}"
        with pymysql.connect(host="127.0.0.1", user="root", autocommit=True) as conn:
            conn.cursor().execute(f"CREATE DATABASE {db_name} CHARACTER SET utf8mb4")
        extra["DATABASE_URL"] = f"mysql+pymysql://root@127.0.0.1/{db_name}?charset=utf8mb4"
    extra |= {"CODEPAY_POLL_SECONDS": str(args.poll), "CODEPAY_WORKER": "1", "RECONCILE_SECONDS": "0",
              "PRINT_WORKER": "0", "ACCESS_LOG": "0", "WRITE_QUEUE": "1000", "WRITE_WAIT_SECONDS": "30"}
    env = bench_env(tmp, port, **extra)
    procs = []
    try:
        prepare_demo(env)
        procs.append(start_gunicorn(env, tmp / "gunicorn-1.log", port))
        procs.append(start_gunicorn(env, tmp / "gunicorn-2.log", port2))  # same database and sandbox
        bases = [f"http://127.0.0.1:{port}", f"http://127.0.0.1:{port2}"]
        run(bases, env["DATABASE_URL"], args, "MariaDB" if args.mariadb else "SQLite")
    finally:
        for proc in procs:
            stop(proc)
        if db_name:
            with pymysql.connect(host="127.0.0.1", user="root", autocommit=True) as conn:
                conn.cursor().execute(f"DROP DATABASE IF EXISTS {db_name}")


def _check_for_one(base: str, token: str, item_id: int) -> int:
    r = requests.post(f"{base}/api/v1/pos/orders", headers={"Authorization": f"Bearer {token}"}, timeout=30, json={
        "client_key": uuid.uuid4().hex, "takeaway": True, "items": [{"item_id": item_id, "qty": 1}]})
    assert r.status_code == 201, r.text
    return int(r.json()["order"]["table_session_id"])


def run(bases: list[str], database_url: str, args: argparse.Namespace, db_label: str) -> None:
    s = requests.Session()
    token = s.post(f"{bases[0]}/api/v1/staff/login", json=CASHIER, timeout=10).json()["token"]
    menu = s.get(f"{bases[0]}/api/v1/pos/menu", headers={"Authorization": f"Bearer {token}"}, timeout=10).json()
    item_id = next(i["id"] for c in menu["categories"] for i in c["items"]
                   if not i["sold_out"] and not any(g.get("required") or g.get("min") for g in i["option_groups"]))
    checks = [_check_for_one(bases[i % 2], token, item_id) for i in range(args.payments)]
    rng = random.Random(7)
    password = [rng.random() < args.password for _ in checks]
    delays = [rng.uniform(0.5, 3.0) for _ in checks]
    results: list[tuple[bool, float, int, str]] = []
    lock = threading.Lock()

    def one(i: int) -> None:
        base = bases[i % 2]
        headers = {"Authorization": f"Bearer {token}"}
        code = requests.post(f"{base}/wechat-sandbox/paycode", timeout=10,
                             json={"user": f"payer{i}", "password": password[i]}).json()["auth_code"]
        t0 = time.perf_counter()
        payment = requests.post(f"{base}/api/v1/table-sessions/{checks[i]}/payments/code", headers=headers,
                                timeout=60, json={"client_key": uuid.uuid4().hex, "auth_code": code}).json()["payment"]
        if payment["status"] == "paying":  # the payer sees the prompt and types the password a little later
            threading.Timer(delays[i], lambda: requests.post(f"{base}/wechat-sandbox/pay/confirm", timeout=10,
                                                              json={"auth_code": code})).start()
        while payment["status"] == "paying":  # the cashier's page follows it once a second
            time.sleep(1.0)
            payment = requests.get(f"{base}/api/v1/payments/{payment['id']}", headers=headers,
                                   timeout=60).json()["payment"]
        with lock:
            results.append((password[i], time.perf_counter() - t0, payment["id"], payment["status"]))

    started = time.perf_counter()
    with ThreadPoolExecutor(args.cashiers) as pool:
        list(pool.map(one, range(args.payments)))
    wall = time.perf_counter() - started
    engine = create_engine(database_url)
    with engine.connect() as conn:
        ids = [r[2] for r in results]
        rows = {p.id: p for p in conn.execute(select(Payment.id, Payment.polls, Payment.amount,
                                                     Payment.status).where(Payment.id.in_(ids)))}
        paid_on_checks = sum(conn.execute(select(TableSession.paid).where(TableSession.id.in_(checks))).scalars())
    engine.dispose()
    paid = [r for r in results if r[3] == "paid"]
    times = [r[1] for r in paid]
    quick = [r[1] for r in paid if not r[0]]
    slow = [r[1] for r in paid if r[0]]
    polls = [rows[r[2]].polls for r in results]
    polls_quick = [rows[r[2]].polls for r in results if not r[0]]
    polls_slow = [rows[r[2]].polls for r in results if r[0]]
    credited = sum(rows[r[2]].amount for r in paid)
    print(f"payment codes through the sandbox ({db_label}, 2 server processes, {args.cashiers} cashiers at once; "
          f"bench poll interval CODEPAY_POLL_SECONDS={args.poll} s, production 5 s)")
    print(f"  payments: {len(results)}, {sum(password)} needing the password (confirmed 0.5-3 s later); "
          f"paid {len(paid)}, failed {len(results) - len(paid)}; wall {wall:.1f} s")
    print(f"  median time to paid: all {statistics.median(times):.2f} s; without password "
          f"{statistics.median(quick):.2f} s; with password {statistics.median(slow) if slow else 0:.2f} s")
    print(f"  polls (provider queries) per payment: mean {statistics.mean(polls):.2f}, median "
          f"{statistics.median(polls):.0f}, max {max(polls)}; without password {statistics.mean(polls_quick):.2f}, "
          f"with password {statistics.mean(polls_slow) if polls_slow else 0:.2f}")
    print(f"  credited once: checks' paid {paid_on_checks} fen = paid payments {credited} fen: "
          f"{'yes' if paid_on_checks == credited else 'NO'}")


if __name__ == "__main__":
    main()
