"""`flask backup` during a rush: the copy restores, holds every order acknowledged before it began,
and is consistent (every kitchen counter matches its event log)."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pymysql
import requests
from sqlalchemy.engine import make_url

from tests.helpers import auth, diner_token, make_item, make_store, make_table, order_body
from tests.servers import ROOT


def _rush(base: str, diner: str, body: dict, stop: threading.Event, acknowledged: list[int]) -> None:
    while not stop.is_set():
        r = requests.post(f"{base}/api/v1/orders", json=dict(body, client_key=uuid.uuid4().hex),
                          headers=auth(diner), timeout=30)
        if r.status_code == 201:
            acknowledged.append(r.json()["order"]["id"])


def _restore_mariadb(url: str, dump: Path) -> tuple[str, pymysql.connections.Connection]:
    name = f"diancan_restore_{uuid.uuid4().hex[:8]}"
    conn = pymysql.connect(host="127.0.0.1", user="root", password="")
    with conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE {name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    with dump.open("rb") as fh:
        subprocess.run(["mariadb", "-h127.0.0.1", "-uroot", name], stdin=fh, check=True)
    conn.select_db(name)
    return name, conn


def test_a_backup_taken_during_a_rush_restores_every_acknowledged_order(client, live_server, env, tmp_path):
    store = make_store()
    tables = [make_table(store, code=f"B{i}") for i in range(3)]
    item = make_item(store, station="hot")
    diners = [diner_token(client, live_server) for _ in tables]
    before: list[int] = []
    for table, diner in zip(tables, diners, strict=True):
        r = client.post("/api/v1/orders", json=order_body(table, item), headers=auth(diner))
        assert r.status_code == 201
        before.append(r.get_json()["order"]["id"])
    stop, during = threading.Event(), [[] for _ in tables]
    threads = [threading.Thread(target=_rush, args=(live_server, d, order_body(t, item), stop, acks))
               for d, t, acks in zip(diners, tables, during, strict=True)]
    for t in threads:
        t.start()
    try:
        while sum(map(len, during)) < 6:  # the rush is on
            assert all(t.is_alive() for t in threads)
            threading.Event().wait(0.05)
        acknowledged = before + [o for acks in during for o in list(acks)]
        target = tmp_path / "backup.dump"
        done = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "backup", "--to", str(target)],
                              cwd=ROOT, env={**os.environ, **env, "PYTHONPATH": str(ROOT)}, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-2000:]
    finally:
        stop.set()
        for t in threads:
            t.join(60)
    assert target.exists() and not target.with_name(target.name + ".partial").exists()

    url = env["DATABASE_URL"]
    if url.startswith("sqlite"):
        conn = sqlite3.connect(target)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        query, cleanup = conn.execute, conn.close
        placeholder = "?"
    else:
        name, conn = _restore_mariadb(url, target)
        cur = conn.cursor()

        def query(sql, params=()):  # type: ignore[no-untyped-def]
            cur.execute(sql, params)
            return cur

        def cleanup() -> None:
            cur.execute(f"DROP DATABASE {name}")
            conn.close()

        placeholder = "%s"
    try:
        marks = ",".join([placeholder] * len(acknowledged))
        found = {row[0] for row in query(f"SELECT id FROM orders WHERE id IN ({marks})", acknowledged).fetchall()}
        assert found == set(acknowledged)
        # One consistent moment: each store's kitchen counter equals the newest event it numbered.
        rows = query("SELECT c.store_id, c.value, (SELECT MAX(e.seq) FROM kitchen_events e "
                     "WHERE e.store_id = c.store_id) FROM store_counters c WHERE c.name = 'kitchen_seq'").fetchall()
        assert rows and all(value == (newest or 0) for _store, value, newest in rows)
        version = query("SELECT version_num FROM alembic_version").fetchone()[0]
        assert version
    finally:
        cleanup()
    assert make_url(url).database  # the backup never touched the live database's name
