"""Covers (来客数) in the daily close: the headcounts of the day's closed checks, or null where the
store takes no headcount."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from models import TableSession, db
from tests.helpers import auth, make_store, make_table, staff_token

DAY = date(2026, 10, 14)
ZONE = ZoneInfo("Asia/Shanghai")


def _local(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), ZONE).astimezone(UTC)


def _check(store, table, headcount, closed_at, status="closed") -> None:
    db.session.add(TableSession(store_id=store.id, table_id=table.id, status=status, paid=0, headcount=headcount,
                                opened_at=(closed_at or _local(DAY, 12)) - timedelta(hours=1), closed_at=closed_at,
                                open_key=table.id if status == "open" else None))


def _seed(ask: bool):  # type: ignore[no-untyped-def]
    store = db.session.merge(make_store())
    store.ask_headcount = ask
    tables = [make_table(store, code=f"C{n}") for n in range(1, 5)]
    _check(store, tables[0], 4, _local(DAY, 12, 30))
    _check(store, tables[1], 2, _local(DAY, 0, 10))             # just after local midnight: this day
    _check(store, tables[2], 3, _local(DAY, 23, 50))            # just before the next local midnight
    _check(store, tables[0], None, _local(DAY, 20))             # nobody answered: counts none
    _check(store, tables[1], 6, _local(DAY - timedelta(days=1), 23, 59))  # the day before
    _check(store, tables[2], 5, _local(DAY + timedelta(days=1), 0, 0))   # the day after
    _check(store, tables[3], 8, None, status="open")            # still eating: not served yet
    db.session.commit()
    return store


def _covers(client, store, day: date):  # type: ignore[no-untyped-def]
    r = client.get(f"/api/v1/admin/reports/daily?date={day}", headers=auth(staff_token(client, store)))
    assert r.status_code == 200, r.get_json()
    return r.get_json()["covers"], r.get_json()["tables"]["checks"]


def test_covers_add_up_the_headcounts_of_the_days_checks(client):
    store = _seed(ask=True)
    assert _covers(client, store, DAY) == (4 + 2 + 3, 4)
    assert _covers(client, store, DAY - timedelta(days=1)) == (6, 1)
    assert _covers(client, store, DAY + timedelta(days=1)) == (5, 1)
    assert _covers(client, store, DAY - timedelta(days=9)) == (0, 0)  # a quiet day: zero, not null


def test_covers_are_null_where_the_store_takes_no_headcount(client):
    store = _seed(ask=False)
    assert _covers(client, store, DAY) == (None, 4)
