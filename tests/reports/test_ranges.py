"""Ranges: a week or a month by day with the previous period beside it, per dish, category,
station and staff, checked against the seeded week's plan; bad ranges are 422."""
from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from tests.helpers import auth, staff_token
from tests.reports import week

FIRST, LAST = week.FIRST_DAY, week.FIRST_DAY + timedelta(days=week.DAYS - 1)


@pytest.fixture(scope="module")
def seeded(app):  # type: ignore[no-untyped-def]
    return week.seed(week.plan(seed=11))


def _range(client, seeded, first, last, suffix=""):  # type: ignore[no-untyped-def]
    return client.get(f"/api/v1/admin/reports/range{suffix}?from={first}&to={last}",
                      headers=auth(staff_token(client, seeded.store)))


def _days(first, count):  # type: ignore[no-untyped-def]
    return [first + timedelta(days=i) for i in range(count)]


def test_the_week_by_day_with_the_week_before_beside_it(client, seeded):
    r = _range(client, seeded, FIRST, LAST)
    assert r.status_code == 200, r.get_json()
    got = r.get_json()
    assert got["previous"] == {"from": str(FIRST - timedelta(days=7)), "to": str(FIRST - timedelta(days=1))}
    assert [d["date"] for d in got["days"]] == [str(d) for d in _days(FIRST, 7)]
    for row, day in zip(got["days"], _days(FIRST, 7), strict=True):
        assert {k: row[k] for k in week.expected_day_row(seeded, day)} == week.expected_day_row(seeded, day), day
        assert row["previous"]["date"] == str(day - timedelta(days=7)) and row["previous"]["orders"] == 0
    totals = got["totals"]
    for key in ("orders", "gross_sales", "discounts", "net_sales", "refunds", "payments", "voids", "checks"):
        assert totals[key] == sum(week.expected_day_row(seeded, d)[key] for d in _days(FIRST, 7)), key
    assert got["previous_totals"]["net_sales"] == 0


def test_a_shorter_range_compares_with_the_same_days_just_before(client, seeded):
    first, last = FIRST + timedelta(days=4), LAST
    got = _range(client, seeded, first, last).get_json()
    for row in got["days"]:
        prev = week.FIRST_DAY + timedelta(days=(int(row["date"][-2:]) - int(str(first)[-2:])) + 1)
        assert row["previous"]["date"] == str(prev)
        want = week.expected_day_row(seeded, prev)
        assert {k: row["previous"][k] for k in want} == want
    assert got["previous_totals"]["net_sales"] == sum(
        week.expected_day_row(seeded, d)["net_sales"] for d in _days(FIRST + timedelta(days=1), 3))


def test_per_dish_category_station_and_staff_over_the_week(client, seeded):
    got = _range(client, seeded, FIRST, LAST).get_json()
    qty: dict[int, int] = {}
    sales: dict[int, int] = {}
    for c in seeded.checks:
        for o in c.orders:
            if FIRST <= o.at.date() <= LAST:
                for ln in week.sold(o):
                    qty[ln.item] = qty.get(ln.item, 0) + ln.qty
                    sales[ln.item] = sales.get(ln.item, 0) + week.line_total(ln)
    assert {i["item_id"]: (i["qty"], i["sales"]) for i in got["items"]} == {
        seeded.items[i]: (qty[i], sales[i]) for i in qty}
    by_cat: dict[str, int] = {}
    for i, s in sales.items():
        by_cat[week.MENU[i][3]] = by_cat.get(week.MENU[i][3], 0) + s
    assert {c["name"]: c["sales"] for c in got["categories"]} == by_cat
    assert [c["sales"] for c in got["categories"]] == sorted(by_cat.values(), reverse=True)
    tickets = {}
    for c in seeded.checks:
        for o in c.orders:
            if FIRST <= o.at.date() <= LAST and not o.cancelled:
                for st in o.prep:
                    tickets[st] = tickets.get(st, 0) + 1
    assert {s["station"]: s["tickets"] for s in got["stations"]} == tickets
    assert got["staff"] == week.expected_staff(seeded, FIRST, LAST)


def test_range_csv_lists_each_day_and_both_totals(client, seeded):
    r = _range(client, seeded, FIRST, LAST, ".csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(r.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["date", "orders", "gross_sales"]
    assert [row[0] for row in rows[1:9]] == [str(d) for d in _days(FIRST, 7)] + ["total"]
    net = rows[0].index("net_sales")
    assert int(rows[8][net]) == sum(week.expected_day_row(seeded, d)["net_sales"] for d in _days(FIRST, 7))


@pytest.mark.parametrize("query", ["from=2026-11-07&to=2026-11-01", "from=2025-01-01&to=2026-01-02",
                                   "from=2026-11-01", "to=2026-11-01", "from=2026-13-01&to=2026-12-01",
                                   "from=1900-01-01&to=1900-01-02"])
def test_bad_ranges_are_422(client, seeded, query):
    r = client.get(f"/api/v1/admin/reports/range?{query}", headers=auth(staff_token(client, seeded.store)))
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "validation_error"


def test_a_whole_year_is_allowed(client, seeded):
    r = _range(client, seeded, "2025-11-09", "2026-11-08")
    assert r.status_code == 200 and len(r.get_json()["days"]) == 365
    assert r.get_json()["totals"]["orders"] == sum(week.expected_day_row(seeded, d)["orders"] for d in _days(FIRST, 7))


def test_a_second_kind_of_discount_is_wired_by_one_source(client, seeded, monkeypatch):
    """The cashier's manual check discounts plug in as one more SELECT of (kind, amount, staff_id, at):
    here the week's refunds stand in for them, given by the cashier, and every total follows."""
    from sqlalchemy import literal, select

    from models import Refund
    from services.reports import sql

    def stand_in(store_id, start, end):  # type: ignore[no-untyped-def]
        return select(literal("manual").label("kind"), Refund.amount.label("amount"),
                      literal(seeded.staff[0][0]).label("staff_id"), Refund.done_at.label("at")).where(
            Refund.store_id == store_id, Refund.done_at >= start, Refund.done_at < end)

    before = _range(client, seeded, FIRST, LAST).get_json()
    monkeypatch.setattr(sql, "DISCOUNT_SOURCES", [*sql.DISCOUNT_SOURCES, stand_in])
    after = _range(client, seeded, FIRST, LAST).get_json()
    refunds = before["totals"]["refunds"]
    assert refunds > 0
    assert after["totals"]["discounts"] == before["totals"]["discounts"] + refunds
    assert after["totals"]["net_sales"] == before["totals"]["net_sales"] - refunds
    cashier = next(p for p in after["staff"] if p["staff_id"] == seeded.staff[0][0])
    assert cashier["discounts_amount"] == refunds
    day = next(d for d in before["days"] if d["refunds"])
    daily = client.get(f"/api/v1/admin/reports/daily?date={day['date']}",
                       headers=auth(staff_token(client, seeded.store))).get_json()
    assert daily["discounts_by_kind"]["manual"] == day["refunds"]
    assert sum(h["net_sales"] for h in daily["hours"]) == daily["net_sales"]
