"""Refunds: full and partial through WeChat Pay, cash back at once, never more than was paid."""
from __future__ import annotations

import queue
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
import socketio

from config.sandbox import sandbox_identity
from models import Payment, Refund, TableSession, db
from tests.helpers import (
    auth,
    diner_token,
    make_item,
    make_staff,
    make_store,
    make_table,
    order_body,
    staff_token,
    token_of,
)
from wechat.sandbox.pay import notify_message


def _paid_check(client, live_server):
    """A pay-later check of ¥50.00 paid through the sandbox; its payment, the cashier, the diner."""
    store = make_store()
    table, item = make_table(store), make_item(store, price=2500)
    make_staff(store, "cashier", username="cash", password="cash-pass-1")
    diner = diner_token(client, live_server)
    order = client.post("/api/v1/orders", json=order_body(table, item, qty=2), headers=auth(diner)).get_json()["order"]
    heard: queue.Queue = queue.Queue()
    phone = socketio.Client(reconnection=False)
    phone.on("check.updated", heard.put, namespace="/table")
    phone.on("order.updated", heard.put, namespace="/table")
    phone.connect(live_server, namespaces=["/table"], auth={"token": diner, "table_token": token_of(table)},
                  transports=["websocket"], wait_timeout=10)
    started = requests.post(f"{live_server}/api/v1/table-sessions/{order['table_session_id']}/payments",
                            json={"client_key": uuid.uuid4().hex}, headers=auth(diner), timeout=10).json()
    requests.post(f"{live_server}/wechat-sandbox/pay/confirm", json={"package": started["request_payment"]["package"]},
                  timeout=10)
    _hear(heard, lambda m: "session" in m and m["session"]["due"] == 0)
    cashier = staff_token(client, store, "cash", "cash-pass-1")
    return store, order, started["payment"], cashier, heard, phone


def _hear(heard: queue.Queue, predicate) -> dict:  # type: ignore[type-arg]
    """The next message the phone hears that matches (each wait bounded by the queue's timeout)."""
    while True:
        message = heard.get(timeout=5)
        if predicate(message):
            return message


def _order_status(status: str):  # type: ignore[no-untyped-def]
    return lambda m: m.get("order", {}).get("payment_status") == status


def _check(session_id):
    db.session.remove()
    check = db.session.get(TableSession, session_id)
    out = (check.paid, check.due)
    db.session.commit()
    return out


@pytest.mark.live
def test_partial_then_full_refund_through_wechat_settle_by_notify(client, live_server):
    _, order, payment, cashier, heard, phone = _paid_check(client, live_server)
    try:
        r = requests.post(f"{live_server}/api/v1/payments/{payment['id']}/refunds", headers=auth(cashier), timeout=10,
                          json={"client_key": uuid.uuid4().hex, "amount": 2000, "reason": "少上一道菜"})
        assert r.status_code == 201 and r.json()["refund"]["status"] == "processing"
        _hear(heard, _order_status("partially_refunded"))
        assert _check(order["table_session_id"]) == (3000, 2000)
        too_much = requests.post(f"{live_server}/api/v1/payments/{payment['id']}/refunds", headers=auth(cashier),
                                 json={"client_key": uuid.uuid4().hex, "amount": 3001}, timeout=10)
        assert too_much.status_code == 422
        rest = requests.post(f"{live_server}/api/v1/payments/{payment['id']}/refunds", headers=auth(cashier),
                             json={"client_key": uuid.uuid4().hex, "amount": 3000}, timeout=10)
        assert rest.status_code == 201
        _hear(heard, _order_status("refunded"))
        assert _check(order["table_session_id"]) == (0, 5000)
    finally:
        phone.disconnect()


@pytest.mark.live
def test_racing_refunds_never_add_up_to_more_than_was_paid(client, live_server):
    _, _, payment, cashier, _, phone = _paid_check(client, live_server)
    phone.disconnect()

    def refund(_: int) -> int:
        return requests.post(f"{live_server}/api/v1/payments/{payment['id']}/refunds", headers=auth(cashier),
                             json={"client_key": uuid.uuid4().hex, "amount": 2000}, timeout=30).status_code

    with ThreadPoolExecutor(6) as pool:
        codes = sorted(pool.map(refund, range(6)))
    assert codes == [201, 201, 422, 422, 422, 422]
    db.session.remove()
    refunds = db.session.query(Refund).filter_by(payment_id=payment["id"]).all()
    assert sum(r.amount for r in refunds if r.status != "failed") == 4000
    assert db.session.get(Payment, payment["id"]).refunded == 4000
    db.session.commit()


def test_a_forged_refund_notify_changes_nothing(app, client, live_server):
    from pathlib import Path

    from tests.wechat.test_pay import _forge

    ident = sandbox_identity(Path(app.config["INSTANCE_PATH"]))
    resource = {"out_refund_no": "RF-x", "refund_status": "SUCCESS"}
    body, headers = notify_message(ident, "REFUND.SUCCESS", "refund", resource)
    forged = _forge(ident, body + " ")  # signed over another body
    r = client.post("/api/v1/wechat/refund/notify", data=body, headers=forged)
    assert r.status_code == 401 and r.get_json()["code"] == "FAIL"
    unknown = client.post("/api/v1/wechat/refund/notify", data=body, headers=headers)
    assert unknown.status_code == 204  # genuine but not ours: kept as an anomaly, not retried


def test_cash_refunds_settle_at_once_and_only_paid_payments_refund(client, live_server):
    store = make_store()
    table, item = make_table(store), make_item(store, price=3000)
    make_staff(store, "cashier", username="cash", password="cash-pass-1")
    diner = diner_token(client, live_server)
    order = client.post("/api/v1/orders", json=order_body(table, item), headers=auth(diner)).get_json()["order"]
    cashier = staff_token(client, store, "cash", "cash-pass-1")
    paid = client.post(f"/api/v1/table-sessions/{order['table_session_id']}/payments/offline",
                       json={"client_key": uuid.uuid4().hex}, headers=auth(cashier)).get_json()["payment"]
    key = uuid.uuid4().hex
    r = client.post(f"/api/v1/payments/{paid['id']}/refunds", json={"client_key": key, "amount": 1000},
                    headers=auth(cashier))
    assert r.status_code == 201 and r.get_json()["refund"]["status"] == "success"
    again = client.post(f"/api/v1/payments/{paid['id']}/refunds", json={"client_key": key, "amount": 1000},
                        headers=auth(cashier))
    assert again.get_json()["refund"]["id"] == r.get_json()["refund"]["id"]  # a retry is not a second refund
    assert _check(order["table_session_id"]) == (2000, 1000)
    other = make_store()
    intruder = staff_token(client, other)
    assert client.post(f"/api/v1/payments/{paid['id']}/refunds", json={"client_key": uuid.uuid4().hex, "amount": 1},
                       headers=auth(intruder)).status_code == 404
