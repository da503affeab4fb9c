"""The sandbox's own small store (codes, access tokens, pay orders, refunds, the merchant's
settings), in a SQLite file beside its keys. Rows come back as ``sqlite3.Row`` (by name or index).

The schema grows by ``PRAGMA user_version`` steps, so a sandbox made by an older version keeps
its orders: a demo's payments still waiting can be queried after an upgrade.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from config.sandbox_state import state_transaction

_SCHEMA = """
CREATE TABLE IF NOT EXISTS login_codes (code TEXT PRIMARY KEY, openid TEXT NOT NULL,
    expires_at REAL NOT NULL, used INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS access_tokens (token TEXT PRIMARY KEY, expires_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS pay_orders (out_trade_no TEXT PRIMARY KEY, mchid TEXT, appid TEXT,
    prepay_id TEXT UNIQUE, total INTEGER, openid TEXT, notify_url TEXT, description TEXT,
    trade_state TEXT, transaction_id TEXT, success_time TEXT, created_at REAL);
CREATE TABLE IF NOT EXISTS pay_refunds (out_refund_no TEXT PRIMARY KEY, out_trade_no TEXT, refund_id TEXT,
    amount INTEGER);
CREATE TABLE IF NOT EXISTS merchant_settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS paycodes (auth_code TEXT PRIMARY KEY, openid TEXT NOT NULL, password INTEGER NOT NULL,
    created_at REAL NOT NULL, faults TEXT NOT NULL DEFAULT '{}');
"""
# (table, column, declaration) added after the first version, in order.
_COLUMNS = (
    ("pay_orders", "trade_type", "TEXT NOT NULL DEFAULT 'JSAPI'"),
    ("pay_orders", "attach", "TEXT"),
    ("pay_refunds", "status", "TEXT NOT NULL DEFAULT 'SUCCESS'"),
    ("pay_refunds", "reason", "TEXT"),
    ("pay_refunds", "notify_url", "TEXT"),
    ("pay_refunds", "create_time", "TEXT"),
    ("pay_refunds", "success_time", "TEXT"),
    ("pay_orders", "auth_code", "TEXT"),
)


def _migrate(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA journal_mode=WAL")
    conn.executescript(_SCHEMA)
    for table, column, declaration in _COLUMNS:
        have = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        if column not in have:
            try:
                conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")
            except sqlite3.OperationalError as exc:  # another process added it a moment ago
                if "duplicate column" not in str(exc):
                    raise
    conn.execute("CREATE INDEX IF NOT EXISTS pay_orders_txn ON pay_orders (transaction_id)")
    conn.execute("CREATE INDEX IF NOT EXISTS pay_orders_auth_code ON pay_orders (auth_code)")


@contextmanager
def connect(instance_path: str, write: bool = True) -> Iterator[sqlite3.Connection]:
    """One transaction on the WeChat sandbox's state (config.sandbox_state)."""
    with state_transaction(Path(instance_path) / "wechat-sandbox" / "state.db", _migrate, write) as conn:
        yield conn
