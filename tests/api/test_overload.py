"""Overload: writes beyond what the process can take get a fast 503 ``overloaded``; /healthz never waits."""
from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from api.overload import AdmissionGate
from models import db
from tests.helpers import auth, diner_token_in_process, make_item, make_store, make_table, order_body


def test_the_gate_admits_its_slots_queues_a_few_briefly_and_refuses_the_rest_at_once() -> None:
    gate = AdmissionGate(slots=1, queue=1, wait=0.2)
    assert gate.enter()
    results: list[tuple[bool, float]] = []

    def waiter() -> None:
        t0 = time.perf_counter()
        results.append((gate.enter(), time.perf_counter() - t0))

    queued = threading.Thread(target=waiter)
    queued.start()
    time.sleep(0.05)
    t0 = time.perf_counter()
    assert not gate.enter()  # the queue is full: refused without waiting
    assert time.perf_counter() - t0 < 0.05
    queued.join()
    assert results[0][0] is False and results[0][1] >= 0.2  # waited its while, then refused
    gate.leave()
    assert gate.enter()  # a slot given back is taken again
    gate.leave()
    assert gate.refused == 2


@contextmanager
def _full(app) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Every write slot of the app's gate taken and no room to wait, as at the peak of a burst."""
    gate = app.extensions["diancan.admission"]
    held, queue = 0, gate.queue
    gate.queue = 0
    while gate._slots.acquire(blocking=False):
        held += 1
    try:
        yield
    finally:
        gate.queue = queue
        for _ in range(held):
            gate.leave()


def test_a_write_beyond_capacity_gets_503_overloaded_with_retry_after_and_its_retry_lands_once(app, client) -> None:  # type: ignore[no-untyped-def]
    store = make_store()
    table, item = make_table(store), make_item(store)
    token = diner_token_in_process(client)
    body = order_body(table, item)
    with _full(app):
        refused = client.post("/api/v1/orders", json=body, headers=auth(token))
        assert refused.status_code == 503 and refused.get_json()["error"]["code"] == "overloaded"
        assert int(refused.headers["Retry-After"]) >= 1
        assert client.get(f"/api/v1/stores/{store.id}/menu").status_code == 200  # reads are not gated
        assert client.get("/healthz").get_json() == {"status": "ok"}
    placed = client.post("/api/v1/orders", json=body, headers=auth(token))
    again = client.post("/api/v1/orders", json=body, headers=auth(token))
    assert placed.status_code == 201 and again.status_code == 200
    assert again.get_json()["order"]["id"] == placed.get_json()["order"]["id"]


def test_wechat_pay_notifies_are_never_turned_away(app, client) -> None:  # type: ignore[no-untyped-def]
    with _full(app):
        resp = client.post("/api/v1/wechat/pay/notify", data="{}", content_type="application/json")
    assert resp.status_code != 503


def test_healthz_asks_nothing_of_the_database(client) -> None:  # type: ignore[no-untyped-def]
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get("/healthz").get_json() == {"status": "ok"}
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert statements == []
