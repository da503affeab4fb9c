"""One transaction per use case, and events that leave only after it commits.

``reading()`` wraps a use case that only reads, and ends its transaction when done, so nothing
holds a connection (on SQLite, the only one) afterwards. ``transaction()`` yields a ``Tx``; a use
case adds models through ``tx.session`` and queues outgoing events with ``tx.emit``. On commit the
events go to the subscribers registered with ``subscribe`` (the Socket.IO layer); on any error the
transaction rolls back and nothing leaves.

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
    """A message for the screens: ``audience`` says who hears it (kds, table, store, staff, device;
    ``sockets``: the socket layer itself, told that some socket's keys were revoked)."""

    audience: str
    name: str
    payload: dict[str, Any]
    store_id: int
    station: str | None = None
    table_id: int | None = None
    device_id: int | None = None


def keys_revoked(store_id: int = 0) -> Outgoing:
    """Tell every process to re-check its open sockets now: a QR code was rotated, a table
    disabled, a diner deleted or a person's sessions ended. (Diners belong to no one store: 0.)"""
    return Outgoing("sockets", "keys.revoked", {}, store_id)


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


FactObserver = Callable[[str, dict[str, str]], None]
_fact_observers: list[FactObserver] = []


def observe_facts(fn: FactObserver) -> None:
    """``fn(name, labels)`` hears every fact (monitoring counts them); services never import it."""
    if fn not in _fact_observers:
        _fact_observers.append(fn)


def fact(name: str, **labels: str) -> None:
    """Tell the fact observers now (for what happens outside a transaction, e.g. a refused notify)."""
    for fn in list(_fact_observers):
        fn(name, labels)


def _store_lock(store_id: int) -> threading.Lock:
    with _store_locks_guard:
        return _store_locks.setdefault(store_id, threading.Lock())


@dataclass
class Tx:
    session: Session
    events: list[Outgoing] = field(default_factory=list)
    locks: list[threading.Lock] = field(default_factory=list)
    committed: list[Callable[[], None]] = field(default_factory=list)
    # what this transaction already read and need not read again (e.g. a store without printers)
    known: dict[Any, Any] = field(default_factory=dict)

    def emit(self, event: Outgoing) -> None:
        self.events.append(event)

    def note(self, name: str, **labels: str) -> None:
        """Record that something countable happened (an order placed, a payment paid): told to the
        fact observers (monitoring's counters) once the transaction commits, never on rollback."""
        self.committed.append(lambda: fact(name, **labels))

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


@contextmanager
def reading() -> Iterator[Session]:
    """A read-only unit of work: its transaction ends when the block does, whatever happens.

    Raises RuntimeError if the block changed anything (a write belongs in ``transaction()``).
    """
    session = db.session()
    try:
        yield session
        if session.new or session.dirty or session.deleted:
            raise RuntimeError("a reading() block changed the database; use transaction()")
    except BaseException:
        session.rollback()
        raise
    session.commit()  # nothing to write: ends the read and keeps the loaded objects usable
