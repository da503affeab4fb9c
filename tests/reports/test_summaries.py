"""Closed days summarised once (the daily close) give the range report exactly the answer it
computes from every row; days that can still change are never summarised."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, select

from models import ReportDay, Store, TableSession, Ticket, db
from services.reports.closing import close_days
from services.reports.ranges import range_report
from tests.reports import week

FIRST, LAST = week.FIRST_DAY, week.FIRST_DAY + timedelta(days=week.DAYS - 1)
RANGES = [(FIRST, LAST), (FIRST + timedelta(days=2), LAST), (FIRST, FIRST),
          (FIRST - timedelta(days=3), LAST + timedelta(days=2))]


@pytest.fixture(scope="module")
def seeded(app):  # type: ignore[no-untyped-def]
    """The seeded week, every check since closed and every ticket bumped: every day is over."""
    sd = week.seed(week.plan(seed=11))
    for check in db.session.execute(select(TableSession).where(TableSession.store_id == sd.store.id,
                                                               TableSession.status == "open")).scalars():
        check.status, check.closed_at = "closed", check.opened_at + timedelta(hours=1)
    for ticket in db.session.execute(select(Ticket).where(Ticket.store_id == sd.store.id,
                                                          Ticket.status.in_(("new", "cooking", "done")))).scalars():
        ticket.status, ticket.bumped_at = "bumped", ticket.created_at + timedelta(seconds=754)
    db.session.commit()
    return sd


def _stored(store_id):  # type: ignore[no-untyped-def]
    db.session.remove()
    days = sorted(db.session.execute(select(ReportDay.day).where(ReportDay.store_id == store_id)).scalars())
    db.session.commit()
    return days


def test_summarised_days_answer_exactly_as_the_rows_do(app, seeded):
    store_id = seeded.store.id
    now = datetime(2026, 12, 1, tzinfo=UTC)
    live = [range_report(store_id, a, b, now) for a, b in RANGES]
    written = close_days(store_id, now)
    assert written and set(written) >= {FIRST + timedelta(days=i) for i in range(week.DAYS)}
    assert close_days(store_id, now) == []  # once
    assert [range_report(store_id, a, b, now) for a, b in RANGES] == live
    # some days summarised and some not (runs of live days between): the same answer again
    db.session.execute(delete(ReportDay).where(ReportDay.store_id == store_id,
                                               ReportDay.day.in_([FIRST + timedelta(days=1), LAST])))
    db.session.commit()
    assert [range_report(store_id, a, b, now) for a, b in RANGES] == live


def test_a_day_with_a_check_still_open_is_not_summarised(app, seeded):
    store_id = seeded.store.id
    db.session.execute(delete(ReportDay).where(ReportDay.store_id == store_id))
    check = db.session.execute(select(TableSession).where(TableSession.store_id == store_id)
                               .order_by(TableSession.opened_at)).scalars().all()[len(seeded.checks) // 2]
    opened_day = check.opened_at.astimezone(week.ZONE).date()
    status, check.status = check.status, "open"
    db.session.commit()
    try:
        now = datetime(2026, 12, 1, tzinfo=UTC)
        written = close_days(store_id, now)
        assert written and max(written) < opened_day
        # and a summary written before it was reopened is not read for that day or after
        db.session.remove()
        store = db.session.get(Store, store_id)
        db.session.add(ReportDay(store_id=store_id, day=opened_day, late_after_s=store.kds_late_minutes * 60,
                                 data={"figures": {}, "items": [], "voids": [], "discounts": [], "payments": {},
                                       "stations": {}}, computed_at=now))
        db.session.commit()
        got = range_report(store_id, FIRST, LAST, now)
        assert got["days"][(opened_day - FIRST).days]["orders"] > 0
    finally:
        db.session.remove()
        db.session.execute(delete(ReportDay).where(ReportDay.store_id == store_id))
        db.session.get(TableSession, check.id).status = status
        db.session.commit()
