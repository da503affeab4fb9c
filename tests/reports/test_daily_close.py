"""The daily close: every figure of every day of a seeded week, against the plan's own arithmetic."""
from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from tests.helpers import auth, make_staff, make_store, staff_token
from tests.reports import week

NOW = datetime(2026, 11, 20, tzinfo=UTC)  # after the week: every unbumped ticket is late by now


@pytest.fixture(scope="module")
def seeded(app):  # type: ignore[no-untyped-def]
    return week.seed(week.plan())


def _report(client, seeded, day):  # type: ignore[no-untyped-def]
    r = client.get(f"/api/v1/admin/reports/daily?date={day.isoformat()}",
                   headers=auth(staff_token(client, seeded.store)))
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def _comparable(report):  # type: ignore[no-untyped-def]
    out = {k: report[k] for k in ("date", "orders", "gross_sales", "discounts", "service_charge", "net_sales",
                                  "refunds", "average_check", "payments", "items", "hours", "stations", "tables")}
    voids = dict(report["voids"])
    voids["by_reason"] = sorted(voids["by_reason"], key=lambda v: v["reason"])  # ties: collations differ
    out["voids"] = voids
    return out


@pytest.mark.parametrize("offset", range(week.DAYS + 1))
def test_every_figure_of_each_day_matches_the_plan(client, seeded, offset):
    day = week.FIRST_DAY + timedelta(days=offset)
    got = _report(client, seeded, day)
    want = week.expected_daily(seeded, day, datetime.now(UTC))
    want["voids"]["by_reason"].sort(key=lambda v: v["reason"])
    assert _comparable(got) == want
    assert got["discounts_by_kind"]["coupon"] == want["discounts"] and got["discounts_by_kind"]["manual"] == 0


def test_the_week_had_what_the_test_relies_on(seeded):
    """The seeded plan exercises voids, refunds, coupons, cancels, late tickets and the midnight edge."""
    checks = seeded.checks
    assert any(c.coupon for c in checks) and any(c.refunds for c in checks)
    assert any(ln.void_by is not None for c in checks for o in c.orders for ln in o.lines)
    assert any(o.cancelled for c in checks for o in c.orders)
    assert any(o.at.hour == 0 for c in checks for o in c.orders)  # before 00:00 UTC... the day before, in UTC
    assert any(c.closed_at and c.closed_at.date() != c.orders[0].at.date() for c in checks)


def test_a_day_with_no_business_is_all_zeros(client, seeded):
    got = _report(client, seeded, week.FIRST_DAY - timedelta(days=30))
    assert got["orders"] == got["gross_sales"] == got["net_sales"] == got["refunds"] == got["average_check"] == 0
    assert got["payments"] == {} and got["items"] == [] and got["stations"] == []
    assert got["voids"] == {"count": 0, "amount": 0, "by_reason": [], "by_person": []}
    assert len(got["hours"]) == 24 and all(h["orders"] == h["net_sales"] == 0 for h in got["hours"])
    assert got["tables"] == {"checks": 0, "turnover": 0.0}
    assert [w["qty"] for w in got["worst_sellers"]] == [0] * 5


def test_worst_sellers_start_with_what_never_sold(client, seeded):
    got = _report(client, seeded, week.FIRST_DAY + timedelta(days=3))
    never = {"item_id": seeded.items[4], "name": "佛跳墙", "qty": 0, "sales": 0}
    assert never in got["worst_sellers"] and got["worst_sellers"][0]["qty"] == 0
    qtys = [w["qty"] for w in got["worst_sellers"]]
    assert qtys == sorted(qtys)


def test_csv_carries_the_same_figures_and_defuses_formulas(client, seeded):
    day = week.FIRST_DAY + timedelta(days=1)
    token = staff_token(client, seeded.store)
    r = client.get(f"/api/v1/admin/reports/daily.csv?date={day}", headers=auth(token))
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert f'filename="daily-{day}.csv"' in r.headers["Content-Disposition"]
    text = r.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    summary = {row[0]: row[1] for row in rows[1:9]}
    want = week.expected_daily(seeded, day, datetime.now(UTC))
    for key in ("orders", "gross_sales", "discounts", "net_sales", "refunds", "average_check"):
        assert int(summary[key]) == want[key], key
    items = rows[rows.index(["item_id", "item", "qty", "sales"]) + 1:]
    items = items[:items.index([])]
    assert [[int(i), n, int(q), int(s)] for i, n, q, s in items] == [
        [i["item_id"], i["name"], i["qty"], i["sales"]] for i in want["items"]]
    assert not any(cell.startswith("=") for row in rows for cell in row)


@pytest.mark.parametrize("query", ["", "date=", "date=2026-02-30", "date=yesterday", "date=0001-01-01",
                                   "date=9999-12-31", "date=2026-1-5x"])
def test_bad_dates_are_422(client, seeded, query):
    r = client.get(f"/api/v1/admin/reports/daily?{query}", headers=auth(staff_token(client, seeded.store)))
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "validation_error"


@pytest.mark.parametrize("role", ["cashier", "waiter", "cook"])
def test_only_owners_and_managers_read_reports(client, role):
    store = make_store()
    member = make_staff(store, role, password="role-pass-1")
    token = staff_token(client, store, member.username, "role-pass-1")
    for path in ("daily?date=2026-11-03", "daily.csv?date=2026-11-03", "range?from=2026-11-01&to=2026-11-07"):
        r = client.get(f"/api/v1/admin/reports/{path}", headers=auth(token))
        assert r.status_code == 403, path
    manager = make_staff(store, "manager", password="role-pass-1")
    r = client.get("/api/v1/admin/reports/daily?date=2026-11-03",
                   headers=auth(staff_token(client, store, manager.username, "role-pass-1")))
    assert r.status_code == 200


def test_another_stores_figures_never_show(client, seeded):
    other = make_store()
    r = client.get(f"/api/v1/admin/reports/daily?date={week.FIRST_DAY}", headers=auth(staff_token(client, other)))
    assert r.status_code == 200 and r.get_json()["orders"] == 0 and r.get_json()["items"] == []


def test_reports_name_no_diner(client, seeded):
    token = staff_token(client, seeded.store)
    text = client.get(f"/api/v1/admin/reports/range?from={week.FIRST_DAY}&to={week.FIRST_DAY + timedelta(days=6)}",
                      headers=auth(token)).get_data(as_text=True)
    for word in ("openid", "phone", "diner"):
        assert word not in text
