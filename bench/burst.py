"""A burst: many diners send their order at the same instant. Does the process stay healthy?

Every answer must be 201, or a fast 503 ``overloaded`` with ``Retry-After`` whose retry (same
``client_key``) then succeeds; no connection errors; ``/healthz`` answers within 250 ms
throughout (a load balancer would otherwise take the process out in the middle of the rush);
every accepted order reaches a kitchen screen within 10 s.

    PYTHONPATH=. .venv/bin/python bench/burst.py [--orders 200] [--mariadb]
"""
from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import selectors
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import pymysql
import requests
import socketio

from bench.common import bench_env, diner_session, order_body, prepare_demo
from tests.servers import free_port, start_gunicorn, stop


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--orders", type=int, default=200)
    ap.add_argument("--mariadb", action="store_true")
    ap.add_argument("--env", action="append", default=[], help="KEY=VALUE for the server, e.g. WRITE_SLOTS=4")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="diancan-burst-"))
    port = free_port()
    extra, db_name = {}, None
    if args.mariadb:
        db_name = f"diancan_bench_{uuid.uuid4().hex[:8]}"
        with pymysql.connect(host="127.0.0.1", user="root", autocommit=True) as conn:
            conn.cursor().execute(f"CREATE DATABASE {db_name} CHARACTER SET utf8mb4")
        extra["DATABASE_URL"] = f"mysql+pymysql://root@127.0.0.1/{db_name}?charset=utf8mb4"
    extra |= dict(kv.split("=", 1) for kv in args.env)
    env = bench_env(tmp, port, **extra)
    proc = None
    try:
        tables, item_id = prepare_demo(env)
        proc = start_gunicorn(env, tmp / "gunicorn.log", port)
        base = f"http://127.0.0.1:{port}"
        run(base, tables, item_id, args.orders, "MariaDB" if args.mariadb else "SQLite")
    finally:
        if proc:
            stop(proc)
        if db_name:
            with pymysql.connect(host="127.0.0.1", user="root", autocommit=True) as conn:
                conn.cursor().execute(f"DROP DATABASE IF EXISTS {db_name}")


def _probe_health(base: str, stop_at: float, out) -> None:  # type: ignore[no-untyped-def]
    """In its own process (no GIL shared with the burst): /healthz every 20 ms, ms per answer."""
    s = requests.Session()
    times = []
    while time.time() < stop_at:
        t0 = time.perf_counter()
        try:
            s.get(f"{base}/healthz", timeout=10).raise_for_status()
            times.append((time.perf_counter() - t0) * 1000)
        except requests.RequestException:
            times.append(10_000.0)
        time.sleep(0.02)
    out.send(times)


def _burst(base: str, bodies: list[tuple[str, bytes]]) -> tuple[list[tuple[int, float, dict, dict]], list[str]]:
    """Open every connection first, then send every request in one tight loop, then read the answers.

    A request is bytes on an open socket, so the server really gets them at the same instant (a
    thread per client would spread them out over the client's own CPU time). Returns, per request,
    (status, seconds until its first byte came back, headers, body) and the connection errors.
    """
    host, port = base.removeprefix("http://").split(":")
    conns, errors = [], []
    for _ in bodies:
        c = http.client.HTTPConnection(host, int(port), timeout=60)
        c.connect()
        conns.append(c)
    sel = selectors.DefaultSelector()
    t0 = time.perf_counter()
    for c, (token, body) in zip(conns, bodies, strict=True):
        c.request("POST", "/api/v1/orders", body=body, headers={
            "Content-Type": "application/json", "Authorization": f"Bearer {token}"})
        sel.register(c.sock, selectors.EVENT_READ, c)
    first_byte: dict[int, float] = {}
    while len(first_byte) < len(conns):
        for key, _ in sel.select(timeout=60):
            first_byte[id(key.data)] = time.perf_counter() - t0
            sel.unregister(key.fileobj)
    answers = []
    for c in conns:
        try:
            r = c.getresponse()
            answers.append((r.status, first_byte[id(c)], dict(r.getheaders()), json.loads(r.read() or b"{}")))
        except (OSError, http.client.HTTPException) as exc:
            errors.append(type(exc).__name__)
        c.close()
    return answers, errors


def run(base: str, tables: list[str], item_id: int, n: int, db_kind: str) -> None:
    cook = requests.post(f"{base}/api/v1/staff/login", timeout=10,
                         json={"store": "demo", "username": "cook", "password": "cook-demo-pass"}).json()["token"]
    arrived: dict[int, float] = {}
    screen = socketio.Client(reconnection=False)
    screen.on("ticket.created", lambda data: arrived.setdefault(data["ticket"]["order_id"], time.perf_counter()),
              namespace="/kds")
    screen.connect(base, namespaces=["/kds"], auth={"token": cook}, transports=["websocket"], wait_timeout=10)
    sessions = [diner_session(base, f"burst-{i}") for i in range(n)]
    orders = [order_body(tables[i % len(tables)], item_id) for i in range(n)]
    bodies = [(s.headers["Authorization"].split()[1], json.dumps(o).encode())
              for s, o in zip(sessions, orders, strict=True)]
    receive, send = multiprocessing.Pipe(duplex=False)
    prober = multiprocessing.Process(target=_probe_health, args=(base, time.time() + 0.3 + 15, send))
    prober.start()
    time.sleep(0.3)
    started = time.perf_counter()
    answers, errors = _burst(base, bodies)
    accepted = {a[3]["order"]["id"] for a in answers if a[0] in (200, 201)}
    refused = [i for i, a in enumerate(answers) if a[0] == 503]
    wrong = [a for a in answers if a[0] not in (200, 201) and not (
        a[0] == 503 and a[3].get("error", {}).get("code") == "overloaded" and "Retry-After" in a[2])]
    retries, waves = 0, 0
    now = time.perf_counter()
    pending = [(i, now + float(answers[i][2]["Retry-After"])) for i in refused]
    while pending:  # every refused phone retries when its Retry-After says, with the same client_key
        waves += 1
        time.sleep(max(0.0, min(due for _, due in pending) - time.perf_counter()))
        now = time.perf_counter()
        due_now = [i for i, due in pending if due <= now]
        pending = [(i, due) for i, due in pending if due > now]
        retries += len(due_now)
        again, errs = _burst(base, [bodies[i] for i in due_now])
        errors += errs
        for i, answer in zip(due_now, again, strict=True):
            if answer[0] in (200, 201):
                accepted.add(answer[3]["order"]["id"])
            elif answer[0] == 503:
                pending.append((i, time.perf_counter() + float(answer[2]["Retry-After"])))
            else:
                errors.append(f"{answer[0]} on retry")
    all_done = time.perf_counter()
    deadline = all_done + 10
    while time.perf_counter() < deadline and not accepted <= set(arrived):
        time.sleep(0.05)
    on_screen = accepted & set(arrived)
    screen.disconnect()
    health = receive.recv() if receive.poll(45) else []
    prober.join()
    print(f"burst: {n} orders at one instant, {db_kind}, 1 gunicorn gevent process")
    print(f"  first answers: {sum(1 for a in answers if a[0] == 201)} × 201 (slowest in "
          f"{max((a[1] for a in answers if a[0] == 201), default=0):.2f} s), {len(refused)} × 503 overloaded "
          f"(slowest in {max((answers[i][1] for i in refused), default=0):.2f} s), {len(wrong)} other")
    print(f"  retries {retries} in {waves} waves; accepted {len(accepted)} of {n}; "
          f"connection errors {len(errors)} {errors[:3]}")
    print(f"  all accepted {all_done - started:.2f} s after the burst; on the screen {len(on_screen)} of "
          f"{len(accepted)}, the last {max((arrived[o] - started for o in on_screen), default=0):.2f} s after")
    if health:
        print(f"  /healthz meanwhile: {len(health)} probes, p50 {statistics.median(health):.0f} ms, "
              f"max {max(health):.0f} ms (target ≤ 250 ms)")


if __name__ == "__main__":
    main()
