"""The kept menu served again without a query for a fraction of a second: never past a write of
this process, and another process's write seen within the window (services/menu_freshness.py)."""
from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, event, update

from models import Item, db
from services import catalog, menu, menu_freshness
from tests.helpers import make_item, make_store

WINDOW = 60.0  # seconds: long enough that no test here outlives it by being slow


@contextmanager
def statements() -> Iterator[list[str]]:
    """Every statement the app's engine runs inside the block."""
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_rest):  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


def _kept(client, price: int = 1200):  # type: ignore[no-untyped-def]
    """A store whose menu answer the route has just built and kept (and checked)."""
    store = make_store()
    item = make_item(store, price=price)
    assert client.get(f"/api/v1/stores/{store.id}/menu").status_code == 200
    db.session.remove()
    return store, item


def _dish(answer, item_id: int):  # type: ignore[no-untyped-def]
    import json

    body = json.loads(answer.bodies["identity"])
    return next(i for c in body["categories"] for i in c["items"] if i["id"] == item_id)


def test_a_checked_menu_is_served_again_without_a_query_within_its_window(app, client):
    store, item = _kept(client)
    with statements() as seen:
        first = menu.cached_answer(store.id, db.engine, WINDOW)
        again = menu.cached_answer(store.id, db.engine, WINDOW)
    assert first is not None and again is first
    assert seen == []  # the route's own check opened the window
    with statements() as seen:
        assert menu.cached_answer(store.id, db.engine, 0.0) is first
    assert len(seen) == 1  # no window: the one freshness query, and no BEGIN around it


def test_a_stock_write_in_this_process_ends_the_window_at_once(app, client):
    store, item = _kept(client)
    assert menu.cached_answer(store.id, db.engine, WINDOW) is not None
    # no service, no event, no menu version: a bare UPDATE of the stock, as an order's Core update does
    db.session.execute(update(Item).where(Item.id == item.id).values(stock=4))
    db.session.commit()
    assert menu.cached_answer(store.id, db.engine, WINDOW) is None  # out of date: the route rebuilds
    dish = next(i for c in client.get(f"/api/v1/stores/{store.id}/menu").get_json()["categories"]
                for i in c["items"] if i["id"] == item.id)
    assert dish["stock"] == 4
    assert _dish(menu.cached_answer(store.id, db.engine, WINDOW), item.id)["stock"] == 4


def test_a_console_edit_shows_on_the_next_get_in_this_process(app, client):
    store, item = _kept(client, price=1200)
    url = f"/api/v1/stores/{store.id}/menu"
    assert menu.cached_answer(store.id, db.engine, WINDOW) is not None
    catalog.save_item(store.id, {"price": 1500}, item.id)
    db.session.remove()
    assert menu.cached_answer(store.id, db.engine, WINDOW) is None
    dish = next(i for c in client.get(url).get_json()["categories"] for i in c["items"] if i["id"] == item.id)
    assert dish["price"] == 1500


def test_a_rolled_back_write_costs_one_check_and_changes_nothing(app, client):
    store, item = _kept(client)
    kept = menu.cached_answer(store.id, db.engine, WINDOW)
    db.session.execute(update(Item).where(Item.id == item.id).values(stock=9))
    db.session.rollback()
    with statements() as seen:
        assert menu.cached_answer(store.id, db.engine, WINDOW) is kept
    assert len(seen) == 1


def test_another_process_write_is_seen_once_the_window_has_passed(app, client, env):
    store, item = _kept(client)
    kept = menu.cached_answer(store.id, db.engine, WINDOW)
    other = create_engine(env["DATABASE_URL"])  # another process's engine: its writes are not watched here
    try:
        with other.begin() as conn:
            conn.execute(update(Item).where(Item.id == item.id).values(stock=2))
    finally:
        other.dispose()
    assert menu.cached_answer(store.id, db.engine, WINDOW) is kept  # within the window: at most this stale
    time.sleep(0.06)
    assert menu.cached_answer(store.id, db.engine, 0.05) is None  # the window over: checked, out of date


def test_a_check_under_way_while_a_write_lands_opens_no_window() -> None:
    began, generation = time.monotonic(), menu_freshness.generation()
    menu_freshness.expire()  # a write of this process went back to the pool during the check
    menu_freshness.checked(10**9, began, generation)
    assert not menu_freshness.fresh(10**9, WINDOW)
    menu_freshness.checked(10**9, time.monotonic(), menu_freshness.generation())
    assert menu_freshness.fresh(10**9, WINDOW)
    assert not menu_freshness.fresh(10**9, 0.0)


def test_the_check_on_sqlite_does_not_wait_for_another_process_writer(app, client, env):
    if not env["DATABASE_URL"].startswith("sqlite"):
        pytest.skip("SQLite's write lock")
    store, _item = _kept(client)
    writer = sqlite3.connect(db.engine.url.database or "", isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")  # another process mid-write holds the write lock
        started = time.monotonic()
        assert menu.cached_answer(store.id, db.engine, 0.0) is not None
        assert time.monotonic() - started < 1  # BEGIN IMMEDIATE would wait up to busy_timeout (30 s)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
