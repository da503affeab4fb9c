"""Where the sandboxes (WeChat's, Alipay's) keep their state: a SQLite file per sandbox under the
instance folder, shared by every server process, opened one transaction at a time."""
from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

_init_lock = threading.Lock()
_initialised: set[str] = set()


@contextmanager
def state_transaction(path: Path, init: Callable[[sqlite3.Connection], None],
                      write: bool = True) -> Iterator[sqlite3.Connection]:
    """One transaction on the state file at ``path`` (made by ``init`` once per process): a writer
    takes the lock at once (no upgrade deadlocks between processes); a reader in WAL mode never
    waits for writers."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    conn.row_factory = sqlite3.Row
    try:
        with _init_lock:
            if str(path) not in _initialised:
                init(conn)
                _initialised.add(str(path))
        conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.close()
