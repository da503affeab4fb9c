"""One transaction per use case, and events that leave only after it commits.

``transaction()`` yields a ``Tx``; a use case adds models through ``tx.session`` and queues
outgoing events with ``tx.emit``. On commit the events go to the subscribers registered with
``subscribe`` (the Socket.IO layer); on any error the transaction rolls back and nothing leaves.

Per-store ordering: a use case that numbers kitchen events calls ``tx.lock_store`` *before* it
takes the counter row, and the lock is held until its events are handed over. So, inside one
process, events reach the socket layer in sequence order, not just in commit order.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from models import db


@dataclass(frozen=True)
class Outgoing:
    """A message for the screens: ``audience`` says who hears it (kds, table, store, staff, device)."""

    audience: str
    name: str
    payload: dict[str, Any]
    store_id: int
    station: str | None = None
    table_id: int | None = None
    device_id: int | None = None


Subscriber = Callable[[list[Outgoing]], None]
# Told, after the subscribers, how long the events took from the start of the commit to being
# handed over (the order → screen time that monitoring measures).
Observer = Callable[[list[Outgoing], float], None]
_subscribers: list[Subscriber] = []
_observers: list[Observer] = []
# Tests only (FAULT_AFTER_COMMIT): runs between commit and hand-over, to play a process dying there.
fault_after_commit: Subscriber | None = None
_store_locks: dict[int, threading.Lock] = {}
_store_locks_guard = threading.Lock()


def subscribe(fn: Subscriber) -> None:
    if fn not in _subscribers:
        _subscribers.append(fn)


def observe(fn: Observer) -> None:
    if fn not in _observers:
        _observers.append(fn)


def _store_lock(store_id: int) -> threading.Lock:
    with _store_locks_guard:
        return _store_locks.setdefault(store_id, threading.Lock())


@dataclass
class Tx:
    session: Session
    events: list[Outgoing] = field(default_factory=list)
    locks: list[threading.Lock] = field(default_factory=list)
    committed: list[Callable[[], None]] = field(default_factory=list)

    def emit(self, event: Outgoing) -> None:
        self.events.append(event)

    def on_commit(self, fn: Callable[[], None]) -> None:
        """Run ``fn`` once the transaction has committed (counting metrics); never on rollback."""
        self.committed.append(fn)

    def lock_store(self, store_id: int) -> None:
        lock = _store_lock(store_id)
        if lock not in self.locks:
            lock.acquire()
            self.locks.append(lock)


@contextmanager
def transaction() -> Iterator[Tx]:
    session = db.session()
    tx = Tx(session)
    try:
        try:
            yield tx
            started = time.perf_counter()
            session.commit()
        except BaseException:
            session.rollback()
            raise
        if fault_after_commit is not None:
            fault_after_commit(tx.events)
        for fn in list(_subscribers):
            fn(tx.events)
        if tx.events and _observers:
            elapsed = time.perf_counter() - started
            for observer in list(_observers):
                observer(tx.events, elapsed)
        for done in tx.committed:
            done()
    finally:
        for lock in reversed(tx.locks):
            lock.release()
