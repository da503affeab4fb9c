"""Rounds of one store enter their transaction a few at a time per process.

Every round of a store takes the store's counter rows (the order number, the kitchen seq) and
holds them to commit: in the database they run one after another whatever we do. Let all of a
store's rounds into their transactions at once and, on one gevent process, the one holding the
counters waits for the CPU behind the others between each of its statements, and every one waits
longer (`bench/rush.py`, 8 diners of one store on MariaDB: 2 at a time accepted ~18% more
orders per second than 16). So at most ``ORDER_SLOTS_PER_STORE`` rounds per store are inside
their transaction in this process; the rest wait here, before any database lock (never while
holding one: no lock-order cycle with the table and counter rows), and other stores never wait.

The store comes from the table, which never changes store: learned on its first round, kept.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from domain.tokens import TokenInvalid
from services.context import setting, signer

_GATES: dict[int, threading.BoundedSemaphore] = {}
_TABLE_STORE: dict[int, int] = {}
_GUARD = threading.Lock()


def learn(table_id: int, store_id: int) -> None:
    """The table's store (called with a table just read): its next rounds pass the store's gate."""
    _TABLE_STORE[table_id] = store_id


@contextmanager
def store_gate(table_token: str) -> Iterator[None]:
    """Wait for one of the table's store's slots (none for a table not seen yet or a bad code)."""
    try:
        store_id = _TABLE_STORE.get(signer().parse_qr(table_token).table_id)
    except TokenInvalid:
        store_id = None
    if store_id is None:
        yield
        return
    with _GUARD:
        gate = _GATES.get(store_id)
        if gate is None:
            gate = _GATES[store_id] = threading.BoundedSemaphore(max(1, setting("ORDER_SLOTS_PER_STORE")))
    with gate:
        yield
