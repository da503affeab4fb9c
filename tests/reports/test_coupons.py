"""Coupons: made in the console, claimed by diners within their limits, taken off a payment once
(even from two phones at once), kept when a payment is abandoned, and reported with what they earned."""
from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests
from sqlalchemy import select

from models import CouponClaim, Payment, TableSession, db
from services import payments
from tests.helpers import auth, diner_token, make_item, make_store, make_table, order_body, staff_token

pytestmark = pytest.mark.live


def _terms(**kw):  # type: ignore[no-untyped-def]
    now = datetime.now(UTC)
    return {"name": "满50减10", "kind": "amount_off", "value": 1000, "min_spend": 5000,
            "starts_at": (now - timedelta(hours=1)).isoformat(), "ends_at": (now + timedelta(days=7)).isoformat(),
            "per_diner": 1, "total": None} | kw


def _coupon(client, owner, **kw):  # type: ignore[no-untyped-def]
    r = client.post("/api/v1/admin/coupons", json=_terms(**kw), headers=auth(owner))
    assert r.status_code == 201, r.get_json()
    return r.get_json()["coupon"]


@pytest.fixture(autouse=True)
def no_payment_left_waiting(live_server):  # type: ignore[no-untyped-def]
    """Payments started here and never paid are closed after each test, as the reconcile job
    would: tests elsewhere count what one reconcile run closes."""
    yield
    payments.reconcile(older_than=timedelta(seconds=-60), closing_after=timedelta(seconds=-60))


@pytest.fixture()
def table_with_check(client, live_server):  # type: ignore[no-untyped-def]
    """A pay-later store, a diner who ordered ¥76.00 at a table, and the owner's token."""
    store = make_store()
    table = make_table(store)
    item = make_item(store, price=3800)
    diner = diner_token(client, live_server)
    order = client.post("/api/v1/orders", json=order_body(table, item, qty=2), headers=auth(diner)).get_json()["order"]
    return store, diner, order["table_session_id"], staff_token(client, store)


def _pay(client, diner, check_id, coupon_id=None):  # type: ignore[no-untyped-def]
    return client.post(f"/api/v1/table-sessions/{check_id}/payments",
                       json={"client_key": uuid.uuid4().hex, "coupon_id": coupon_id}, headers=auth(diner))


def _confirm_and_credit(live_server, started):  # type: ignore[no-untyped-def]
    """The diner confirms in WeChat; our reconcile asks WeChat Pay and credits (as a notify would)."""
    r = requests.post(f"{live_server}/wechat-sandbox/pay/confirm",
                      json={"package": started["request_payment"]["package"]}, timeout=10)
    assert r.json() == {"status": "SUCCESS"}
    payments.reconcile(older_than=timedelta(seconds=-60))


def _check(check_id):  # type: ignore[no-untyped-def]
    db.session.remove()
    check = db.session.get(TableSession, check_id)
    out = (check.paid, check.coupon_discount, check.due)
    db.session.commit()
    return out


@pytest.mark.parametrize("terms,field", [({"kind": "percent_off", "value": 100}, "value"),
                                         ({"ends_at": "2020-01-01T00:00:00+08:00"}, "ends_at"),
                                         ({"kind": "free_lunch"}, "kind"), ({"total": 0}, "total"),
                                         ({"starts_at": "yesterday"}, "starts_at")])
def test_unworkable_terms_are_422(client, table_with_check, terms, field):
    *_, owner = table_with_check
    r = client.post("/api/v1/admin/coupons", json=_terms(**terms), headers=auth(owner))
    assert r.status_code == 422 and field in r.get_json()["error"]["fields"]


def test_a_diner_claims_within_the_limits(client, live_server, table_with_check):
    store, diner, _check_id, owner = table_with_check
    coupon = _coupon(client, owner, per_diner=1, total=2)
    listed = client.get(f"/api/v1/stores/{store.id}/coupons", headers=auth(diner)).get_json()["coupons"]
    assert [(c["id"], c["claimed"]) for c in listed] == [(coupon["id"], 0)]
    assert client.post(f"/api/v1/coupons/{coupon['id']}/claim", headers=auth(diner)).status_code == 201
    again = client.post(f"/api/v1/coupons/{coupon['id']}/claim", headers=auth(diner))
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "conflict"
    second = diner_token(client, live_server)
    assert client.post(f"/api/v1/coupons/{coupon['id']}/claim", headers=auth(second)).status_code == 201
    third = diner_token(client, live_server)
    assert client.post(f"/api/v1/coupons/{coupon['id']}/claim", headers=auth(third)).status_code == 409  # total 2
    listed = client.get(f"/api/v1/stores/{store.id}/coupons", headers=auth(diner)).get_json()["coupons"]
    assert listed[0]["claimed"] == 1 and listed[0]["usable"] == 1
    assert "openid" not in str(listed)


def test_thirty_diners_racing_for_ten_coupons_get_exactly_ten(client, live_server, table_with_check):
    *_, owner = table_with_check
    coupon = _coupon(client, owner, total=10)
    tokens = [diner_token(client, live_server) for _ in range(30)]
    statuses: list[int] = []

    def grab(token: str) -> None:
        statuses.append(requests.post(f"{live_server}/api/v1/coupons/{coupon['id']}/claim",
                                      headers=auth(token), timeout=30).status_code)

    threads = [threading.Thread(target=grab, args=(t,)) for t in tokens]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [201] * 10 + [409] * 20


def test_paying_with_a_coupon_takes_it_off_once_and_reports_it(client, live_server, table_with_check):
    store, diner, check_id, owner = table_with_check
    coupon = _coupon(client, owner)
    assert _pay(client, diner, check_id, coupon["id"]).status_code == 409  # not claimed yet
    client.post(f"/api/v1/coupons/{coupon['id']}/claim", headers=auth(diner))
    r = _pay(client, diner, check_id, coupon["id"])
    assert r.status_code == 201, r.get_json()
    started = r.get_json()
    assert started["payment"]["amount"] == 7600 - 1000
    _confirm_and_credit(live_server, started)
    assert _check(check_id) == (6600, 1000, 0)
    again = _pay(client, diner, check_id, coupon["id"])
    assert again.status_code == 409  # nothing due now, and the coupon is used anyway
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    daily = client.get(f"/api/v1/admin/reports/daily?date={today}",
                       headers=auth(owner)).get_json()
    assert daily["discounts"] == 1000 and daily["discounts_by_kind"]["coupon"] == 1000
    assert daily["gross_sales"] == 7600 and daily["net_sales"] == 6600 and daily["payments"] == {"wechat": 6600}
    week = f"from={today - timedelta(days=3)}&to={today + timedelta(days=1)}"
    report = client.get(f"/api/v1/admin/reports/coupons?{week}", headers=auth(owner)).get_json()["coupons"]
    assert report == [{"id": coupon["id"], "name": "满50减10", "status": "active", "claimed": 1, "used": 1,
                       "discount": 1000, "net_sales_with": 6600}]
    listed = client.get("/api/v1/admin/coupons", headers=auth(owner)).get_json()["coupons"]
    assert (listed[0]["claimed"], listed[0]["used"], listed[0]["discount"]) == (1, 1, 1000)


def test_two_phones_paying_at_once_use_the_coupon_once(client, live_server, table_with_check):
    _store, diner, check_id, owner = table_with_check
    coupon = _coupon(client, owner, kind="percent_off", value=15)
    client.post(f"/api/v1/coupons/{coupon['id']}/claim", headers=auth(diner))
    results: list[requests.Response] = []
    gate = threading.Barrier(2)

    def phone() -> None:
        gate.wait()
        results.append(requests.post(f"{live_server}/api/v1/table-sessions/{check_id}/payments",
                                     json={"client_key": uuid.uuid4().hex, "coupon_id": coupon["id"]},
                                     headers=auth(diner), timeout=30))

    threads = [threading.Thread(target=phone) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Either the second phone is refused, or (one payment in flight per check) its attempt closes
    # the first one, which gives the coupon back before the second takes it: never both.
    assert {r.status_code for r in results} <= {201, 409} and 201 in {r.status_code for r in results}
    db.session.remove()
    claims = db.session.execute(select(CouponClaim).where(CouponClaim.coupon_id == coupon["id"])).scalars().all()
    waiting = db.session.execute(select(Payment).where(Payment.table_session_id == check_id,
                                                       Payment.status.in_(("created", "paying")))).scalars().all()
    db.session.commit()
    assert len(waiting) == 1 and waiting[0].amount == 7600 - 1140  # 15% of ¥76.00
    assert [(c.status, c.payment_id, c.discount) for c in claims] == [("reserved", waiting[0].id, 1140)]


def test_an_abandoned_payment_gives_the_coupon_back(client, live_server, table_with_check):
    _store, diner, check_id, owner = table_with_check
    coupon = _coupon(client, owner)
    client.post(f"/api/v1/coupons/{coupon['id']}/claim", headers=auth(diner))
    first = _pay(client, diner, check_id, coupon["id"])
    assert first.status_code == 201
    counts = payments.reconcile(older_than=timedelta(seconds=-60), closing_after=timedelta(seconds=-60))
    assert counts["closed"] >= 1
    r = _pay(client, diner, check_id, coupon["id"])
    assert r.status_code == 201 and r.get_json()["payment"]["amount"] == 6600
    assert _check(check_id) == (0, 0, 7600)  # nothing taken off until a payment goes through
    # a newer attempt replaces the one in flight: the coupon moves with it, still used once at most
    again = _pay(client, diner, check_id, coupon["id"])
    assert again.status_code == 201 and again.get_json()["payment"]["amount"] == 6600
    db.session.remove()
    claim = db.session.execute(select(CouponClaim).where(CouponClaim.coupon_id == coupon["id"])).scalar_one()
    assert (claim.status, claim.payment_id) == ("reserved", again.get_json()["payment"]["id"])
    db.session.commit()


def test_paused_and_ended_coupons_cannot_be_claimed_or_used(client, table_with_check):
    store, diner, check_id, owner = table_with_check
    coupon = _coupon(client, owner, min_spend=0)
    client.post(f"/api/v1/coupons/{coupon['id']}/claim", headers=auth(diner))
    paused = client.post(f"/api/v1/admin/coupons/{coupon['id']}/pause", headers=auth(owner))
    assert paused.status_code == 200 and paused.get_json()["coupon"]["status"] == "paused"
    assert client.get(f"/api/v1/stores/{store.id}/coupons").get_json()["coupons"] == []
    r = _pay(client, diner, check_id, coupon["id"])
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "invalid_state"
    assert client.post(f"/api/v1/admin/coupons/{coupon['id']}/pause", headers=auth(owner)).status_code == 409
    assert client.post(f"/api/v1/admin/coupons/{coupon['id']}/resume", headers=auth(owner)).status_code == 200
    assert client.post(f"/api/v1/admin/coupons/{coupon['id']}/end", headers=auth(owner)).status_code == 200
    assert client.post(f"/api/v1/admin/coupons/{coupon['id']}/resume", headers=auth(owner)).status_code == 409
    assert client.post(f"/api/v1/coupons/{coupon['id']}/claim", headers=auth(diner)).status_code == 409


def test_under_the_minimum_spend_the_coupon_is_refused(client, table_with_check):
    _store, diner, check_id, owner = table_with_check
    coupon = _coupon(client, owner, min_spend=10000)
    client.post(f"/api/v1/coupons/{coupon['id']}/claim", headers=auth(diner))
    r = _pay(client, diner, check_id, coupon["id"])
    assert r.status_code == 409 and "coupon_id" in r.get_json()["error"]["fields"]


def test_another_stores_coupon_is_not_found(client, live_server, table_with_check):
    _store, diner, check_id, _owner = table_with_check
    other = make_store()
    foreign = _coupon(client, staff_token(client, other))
    client.post(f"/api/v1/coupons/{foreign['id']}/claim", headers=auth(diner))
    assert _pay(client, diner, check_id, foreign["id"]).status_code == 404
    owner_other = staff_token(client, other)
    _mine = _coupon(client, owner_other)
    assert client.post(f"/api/v1/admin/coupons/{_mine['id']}/pause",
                       headers=auth(table_with_check[3])).status_code == 404
