"""Warnings for staff (banners on /pos and /console) and the owner's last day of incidents."""
from __future__ import annotations

import uuid
from datetime import timedelta

from models import KitchenDevice, Payment, PaymentAnomaly, Store, db, utcnow
from tests.helpers import (
    auth,
    close_test_payments,
    diner_token,
    make_item,
    make_staff,
    make_store,
    make_table,
    order_body,
    staff_token,
)


def _kinds(client, token: str, path: str = "/api/v1/floor/warnings") -> dict[str, dict]:
    r = client.get(path, headers=auth(token))
    assert r.status_code == 200, r.get_json()
    return {w["kind"]: w for w in r.get_json()["warnings"]}


def _check(client, live_server, store):
    table, item = make_table(store), make_item(store)
    diner = diner_token(client, live_server)
    return client.post("/api/v1/orders", json=order_body(table, item), headers=auth(diner)).get_json()["order"]


def _payment(store, order, status: str, minutes_ago: int) -> None:
    db.session.add(Payment(store_id=store.id, table_session_id=order["table_session_id"], client_key=uuid.uuid4().hex,
                           out_trade_no=uuid.uuid4().hex, amount=order["total"], channel="wechat_jsapi",
                           status=status, created_at=utcnow() - timedelta(minutes=minutes_ago)))
    db.session.commit()


def _screen(store, name: str, seen_seconds_ago: int | None) -> None:
    db.session.add(KitchenDevice(store_id=store.id, name=name, stations=[], paired_at=utcnow(),
                                 last_seen_at=None if seen_seconds_ago is None
                                 else utcnow() - timedelta(seconds=seen_seconds_ago)))
    db.session.commit()


def test_a_quiet_store_has_no_warnings(client):
    store = make_store()
    assert _kinds(client, staff_token(client, store)) == {}


def test_a_screen_away_for_over_a_minute_in_opening_hours_warns_the_floor(client):
    store = make_store()
    _screen(store, "热菜屏", 90)
    _screen(store, "凉菜屏", 5)
    cashier = make_staff(store, "cashier", password="cash-pass-1")
    warnings = _kinds(client, staff_token(client, store, cashier.username, "cash-pass-1"))
    assert warnings["screen_offline"]["count"] == 1 and warnings["screen_offline"]["detail"] == "热菜屏"


def test_screens_closed_for_the_night_do_not_warn(client):
    store = make_store()
    _screen(store, "热菜屏", 600)
    row = db.session.get(Store, store.id)
    now = utcnow() + timedelta(hours=8)  # Asia/Shanghai
    row.opens_at = (now + timedelta(hours=2)).strftime("%H:%M")
    row.closes_at = (now + timedelta(hours=3)).strftime("%H:%M")
    db.session.commit()
    assert "screen_offline" not in _kinds(client, staff_token(client, store))


def test_stuck_payments_and_failing_prepays_warn(client, live_server):
    store = make_store()
    order = _check(client, live_server, store)
    _payment(store, order, "paying", 7)
    _payment(store, order, "paying", 1)   # still within its five minutes
    _payment(store, order, "created", 3)  # its prepay never came back: WeChat Pay not answering
    try:
        warnings = _kinds(client, staff_token(client, store))
        assert warnings["payments_stuck"]["count"] == 1
        assert warnings["wechat_pay_failing"]["count"] == 1
    finally:
        close_test_payments(store)


def test_the_owner_sees_the_last_days_incidents_and_other_stores_stay_apart(client, live_server):
    store, other = make_store(), make_store()
    db.session.add(PaymentAnomaly(store_id=store.id, out_trade_no="x" * 20, reason="amount does not match",
                                  details={}))
    db.session.add(PaymentAnomaly(store_id=store.id, out_trade_no="y" * 20, reason="old", details={},
                                  created_at=utcnow() - timedelta(days=2)))
    db.session.commit()
    _screen(other, "别家的屏", 300)
    r = client.get("/api/v1/admin/incidents", headers=auth(staff_token(client, store)))
    assert r.status_code == 200
    body = r.get_json()
    assert [i["detail"] for i in body["incidents"]] == ["amount does not match"]
    assert body["warnings"] == []
    cashier = make_staff(store, "cashier", password="cash-pass-1")
    assert client.get("/api/v1/admin/incidents",
                      headers=auth(staff_token(client, store, cashier.username, "cash-pass-1"))).status_code == 403
