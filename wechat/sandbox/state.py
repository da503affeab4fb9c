"""The sandbox's own small store (codes, access tokens, pay orders), in a SQLite file beside its keys."""
from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS login_codes (code TEXT PRIMARY KEY, openid TEXT NOT NULL,
    expires_at REAL NOT NULL, used INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS access_tokens (token TEXT PRIMARY KEY, expires_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS pay_orders (out_trade_no TEXT PRIMARY KEY, mchid TEXT, appid TEXT,
    prepay_id TEXT UNIQUE, total INTEGER, openid TEXT, notify_url TEXT, description TEXT,
    trade_state TEXT, transaction_id TEXT, success_time TEXT, created_at REAL);
CREATE TABLE IF NOT EXISTS pay_refunds (out_refund_no TEXT PRIMARY KEY, out_trade_no TEXT, refund_id TEXT,
    amount INTEGER);
"""
_init_lock = threading.Lock()
_initialised: set[str] = set()


@contextmanager
def connect(instance_path: str) -> Iterator[sqlite3.Connection]:
    path = Path(instance_path) / "wechat-sandbox" / "state.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        with _init_lock:
            if str(path) not in _initialised:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.executescript(_SCHEMA)
                _initialised.add(str(path))
        conn.execute("BEGIN IMMEDIATE")
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.close()
