"""The Alipay sandbox's small store (payment codes, trades, refunds), in a SQLite file beside its
keys, so any number of app processes share it (as the WeChat sandbox's does)."""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from config.sandbox_state import state_transaction

_SCHEMA = """
CREATE TABLE IF NOT EXISTS pay_codes (auth_code TEXT PRIMARY KEY, user TEXT NOT NULL, buyer_id TEXT NOT NULL,
    password INTEGER NOT NULL, created_at REAL NOT NULL, used INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS trades (app_id TEXT NOT NULL, out_trade_no TEXT NOT NULL, trade_no TEXT UNIQUE,
    auth_code TEXT, buyer_id TEXT, buyer_logon_id TEXT, subject TEXT, total INTEGER, status TEXT NOT NULL,
    refunded INTEGER NOT NULL DEFAULT 0, cancel_action TEXT, created_at REAL NOT NULL, paid_at TEXT,
    PRIMARY KEY (app_id, out_trade_no));
CREATE INDEX IF NOT EXISTS trades_code ON trades (auth_code);
CREATE TABLE IF NOT EXISTS refunds (app_id TEXT NOT NULL, out_trade_no TEXT NOT NULL, out_request_no TEXT NOT NULL,
    amount INTEGER NOT NULL, reason TEXT, refunded_at TEXT NOT NULL,
    PRIMARY KEY (app_id, out_trade_no, out_request_no));
"""
# (table, column, declaration) added after the first version, in order: an older sandbox keeps its trades.
_COLUMNS = (
    ("pay_codes", "faults", "TEXT NOT NULL DEFAULT '{}'"),
    ("trades", "wait_seconds", "REAL"),
)


def _add_columns(conn: sqlite3.Connection) -> None:
    for table, column, declaration in _COLUMNS:
        if column not in {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}:
            try:
                conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")
            except sqlite3.OperationalError as exc:  # another process added it a moment ago
                if "duplicate column" not in str(exc):
                    raise


def _init(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA journal_mode=WAL")
    conn.executescript(_SCHEMA)
    _add_columns(conn)


@contextmanager
def connect(instance_path: str, write: bool = True) -> Iterator[sqlite3.Connection]:
    """One transaction on the Alipay sandbox's state (config.sandbox_state)."""
    with state_transaction(Path(instance_path) / "alipay-sandbox" / "state.db", _init, write) as conn:
        yield conn
