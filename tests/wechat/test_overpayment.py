"""A check never takes more money than it owes: racing diners, cashiers and late notifies.

Every test here fires real HTTP requests from threads at the live gunicorn server and pays
through the sandbox's WeChat Pay sheet, then compares three ledgers once everything settled:
our check (total, paid), our payments, and the money the sandbox's WeChat Pay really took
(successful trades minus refunds). See docs/payments.md for the rule.
"""
from __future__ import annotations

import sqlite3
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import func, select

from models import Order, Payment, PaymentAnomaly, Refund, TableSession, db
from services import payments
from tests.helpers import auth, diner_token, make_item, make_staff, make_store, make_table, order_body, staff_token
from wechat.pay import PayError
from wechat.sandbox.state import connect

pytestmark = pytest.mark.live
# A racing attempt is started (201), finds nothing left to pay or was replaced (409), or — on a
# loaded machine — timed out closing the older one at WeChat (502, nothing changed). Whatever
# each answer, the money must add up.
RACE_ANSWERS = (201, 409, 502)


def race(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls on threads released together by a barrier: as close to simultaneous as we can."""
    gate = threading.Barrier(len(calls))

    def run(fn: Callable[[], Any]) -> Any:
        gate.wait(timeout=30)
        return fn()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


class Table:
    """A pay-later (or pay-first) table where each of ``diners`` ordered one dish of ¥22.00."""

    def __init__(self, client: Any, base: str, diners: int = 2, pay_mode: str = "pay_later") -> None:
        self.base = base
        self.store = make_store(pay_mode=pay_mode)
        self.table = make_table(self.store)
        self.item = make_item(self.store, price=2200)
        make_staff(self.store, "cashier", username="cash", password="cash-pass-1")
        self.cashier = staff_token(client, self.store, "cash", "cash-pass-1")
        self.diners = [diner_token(client, base) for _ in range(diners)]
        self.orders = [self.post("/api/v1/orders", self.diners[i], order_body(self.table, self.item)).json()["order"]
                       for i in range(diners)]
        self.check_id = self.orders[0]["table_session_id"]

    def post(self, path: str, token: str, body: dict[str, Any] | None = None) -> requests.Response:
        return requests.post(self.base + path, json=body or {}, headers=auth(token), timeout=60)

    def pay(self, diner: int, key: str | None = None) -> requests.Response:
        return self.post(f"/api/v1/table-sessions/{self.check_id}/payments", self.diners[diner],
                         {"client_key": key or uuid.uuid4().hex})

    def pay_order(self, diner: int, order: dict[str, Any], key: str | None = None) -> requests.Response:
        return self.post(f"/api/v1/orders/{order['id']}/payments", self.diners[diner],
                         {"client_key": key or uuid.uuid4().hex})

    def cash(self, amount: int | None = None) -> requests.Response:
        body: dict[str, Any] = {"client_key": uuid.uuid4().hex, "channel": "cash"}
        if amount is not None:
            body["amount"] = amount
        return self.post(f"/api/v1/table-sessions/{self.check_id}/payments/offline", self.cashier, body)

    def confirm(self, started: requests.Response) -> requests.Response:
        """The diner pays in WeChat's sheet (the sandbox then notifies us)."""
        package = started.json()["request_payment"]["package"]
        return requests.post(f"{self.base}/wechat-sandbox/pay/confirm", json={"package": package}, timeout=60)

    def close(self) -> requests.Response:
        return self.post(f"/api/v1/table-sessions/{self.check_id}/close", self.cashier)


def wechat_took(store_id: int) -> tuple[int, set[str]]:
    """What the sandbox's WeChat Pay really took from this store's diners, net of refunds."""
    from flask import current_app

    path = Path(current_app.config["INSTANCE_PATH"]) / "wechat-sandbox" / "state.db"
    with sqlite3.connect(path, timeout=30) as conn:
        prefix = f"DC{store_id}-%"
        taken = conn.execute("SELECT COALESCE(SUM(total), 0) FROM pay_orders WHERE trade_state = 'SUCCESS' "
                             "AND out_trade_no LIKE ?", (prefix,)).fetchone()[0]
        given = conn.execute("SELECT COALESCE(SUM(amount), 0) FROM pay_refunds WHERE out_trade_no LIKE ?",
                             (prefix,)).fetchone()[0]
        done = {r[0] for r in conn.execute("SELECT out_trade_no FROM pay_orders WHERE trade_state = 'SUCCESS' "
                                           "AND out_trade_no LIKE ?", (prefix,))}
    return int(taken - given), done


def settle(store_id: int, timeout: float = 30) -> tuple[int, int, int]:
    """Wait until every trade WeChat took is credited and no refund is on its way; then
    ``(check total, check paid, money WeChat kept)`` of the store's one check."""
    deadline = time.monotonic() + timeout
    while True:
        db.session.remove()
        took, done = wechat_took(store_id)
        credited = set(db.session.execute(select(Payment.out_trade_no).where(
            Payment.store_id == store_id, Payment.status == "paid", Payment.channel == "wechat_jsapi")).scalars())
        processing = db.session.execute(select(func.count()).select_from(Refund).where(
            Refund.store_id == store_id, Refund.status == "processing")).scalar()
        kept = db.session.execute(select(func.coalesce(func.sum(PaymentAnomaly.amount), 0)).where(
            PaymentAnomaly.store_id == store_id)).scalar()
        given_back = db.session.execute(select(func.coalesce(func.sum(Refund.amount), 0)).where(
            Refund.store_id == store_id, Refund.overpayment.is_(True), Refund.status == "success")).scalar()
        check = db.session.execute(select(TableSession).where(TableSession.store_id == store_id)).scalar_one()
        total = sum(o.total for o in check.orders if o.status != "cancelled")
        paid = check.paid
        db.session.commit()
        if done <= credited and not processing and kept == given_back:
            return total, paid, took
        assert time.monotonic() < deadline, (f"not settled: WeChat took {done - credited} uncredited, {processing} "
                                             f"refunds processing, {kept - given_back} overpaid not given back")
        time.sleep(0.05)


def cash_taken(store_id: int) -> int:
    db.session.remove()
    amount = db.session.execute(select(func.coalesce(func.sum(Payment.amount - Payment.refunded), 0)).where(
        Payment.store_id == store_id, Payment.channel.in_(("cash", "other")), Payment.status == "paid")).scalar()
    db.session.commit()
    return int(amount)


def anomalies(store_id: int) -> list[PaymentAnomaly]:
    db.session.remove()
    rows = list(db.session.execute(select(PaymentAnomaly).where(PaymentAnomaly.store_id == store_id)).scalars())
    db.session.commit()
    return rows


# -- (a) several WeChat attempts on one check -------------------------------------------------
def test_two_diners_paying_one_check_at_once_are_charged_once(client, live_server):
    t = Table(client, live_server)
    started = race(lambda: t.pay(0), lambda: t.pay(1), lambda: t.pay(0))  # diner 0 twice, new key each time
    assert all(r.status_code in RACE_ANSWERS for r in started), [(r.status_code, r.text[:300]) for r in started]
    confirmed = race(*[lambda r=r: t.confirm(r) for r in started if r.status_code == 201])
    assert sum(r.status_code == 200 for r in confirmed) >= 1
    total, paid, took = settle(t.store.id)
    assert (total, paid, took) == (4400, 4400, 4400)
    assert anomalies(t.store.id) == []  # the newest sheet was the only one that could take money


def test_a_newer_attempt_closes_the_older_one_at_wechat(client, live_server):
    t = Table(client, live_server)
    first = t.pay(0)
    second = t.pay(1)
    assert (first.status_code, second.status_code) == (201, 201)
    assert t.confirm(first).status_code == 409  # closed at WeChat: the sheet says so, no money moves
    assert t.confirm(second).status_code == 200
    assert settle(t.store.id) == (4400, 4400, 4400)
    retry = t.pay(0, key=None)
    assert retry.status_code == 409 and retry.json()["error"]["code"] == "invalid_state"  # nothing left to pay


def test_the_same_client_key_still_returns_the_same_payment(client, live_server):
    t = Table(client, live_server)
    key = uuid.uuid4().hex
    first, again = race(lambda: t.pay(0, key), lambda: t.pay(0, key))
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json()["payment"]["id"] == again.json()["payment"]["id"]
    assert first.json()["request_payment"]["package"] == again.json()["request_payment"]["package"]


def test_diners_racing_for_one_pay_first_order_pay_it_once(client, live_server):
    t = Table(client, live_server, pay_mode="pay_first")
    order = t.orders[0]
    started = race(lambda: t.pay_order(0, order), lambda: t.pay_order(1, order), lambda: t.pay_order(0, order),
                   lambda: t.pay_order(1, t.orders[1]))
    assert all(r.status_code in RACE_ANSWERS for r in started), [(r.status_code, r.text[:300]) for r in started]
    race(*[lambda r=r: t.confirm(r) for r in started if r.status_code == 201])
    total, paid, took = settle(t.store.id)
    assert paid == took == 4400 == total  # each order once, whoever paid it
    db.session.remove()
    states = db.session.execute(select(Order.payment_status).where(Order.table_session_id == t.check_id)).scalars()
    assert sorted(states) == ["paid", "paid"]
    db.session.commit()


# -- (b) cash while a WeChat payment is in flight ----------------------------------------------
def test_cash_is_refused_while_a_wechat_payment_is_paying(client, live_server):
    t = Table(client, live_server)
    started = t.pay(0)
    refused = t.cash()
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "invalid_state"
    assert t.confirm(started).status_code == 200
    assert settle(t.store.id) == (4400, 4400, 4400)
    assert cash_taken(t.store.id) == 0


@pytest.mark.parametrize("round_", range(3))
def test_cash_racing_a_wechat_payment_never_takes_the_check_twice(client, live_server, round_):
    t = Table(client, live_server)
    started, cash = race(lambda: t.pay(0), lambda: t.cash())
    assert sorted([started.status_code, cash.status_code]) == [201, 409], (started.text, cash.text)
    if started.status_code == 201:
        t.confirm(started)
    total, paid, took = settle(t.store.id)
    assert total == paid == took + cash_taken(t.store.id) == 4400


def test_cash_racing_the_diners_confirmation_never_takes_the_check_twice(client, live_server):
    t = Table(client, live_server)
    started = t.pay(0)
    confirmed, cash = race(lambda: t.confirm(started), lambda: t.cash())
    assert (confirmed.status_code, cash.status_code) == (200, 409), (confirmed.text, cash.text)
    assert settle(t.store.id) == (4400, 4400, 4400)


@pytest.mark.parametrize("round_", range(2))
def test_a_share_in_cash_racing_a_wechat_payment_adds_up_to_the_total(client, live_server, round_):
    t = Table(client, live_server)
    started, share = race(lambda: t.pay(0), lambda: t.cash(2200))  # one diner pays half at the till
    assert started.status_code == 201 and share.status_code in (201, 409), (started.text, share.text)
    assert started.json()["payment"]["amount"] == (2200 if share.status_code == 201 else 4400)
    assert t.confirm(started).status_code == 200
    total, paid, took = settle(t.store.id)
    assert total == paid == took + cash_taken(t.store.id) == 4400


def test_a_new_round_during_a_wechat_payment_can_be_taken_in_cash(client, live_server):
    t = Table(client, live_server)
    started = t.pay(0)
    more = t.post("/api/v1/orders", t.diners[1], order_body(t.table, t.item)).json()["order"]
    assert more["table_session_id"] == t.check_id
    assert t.cash(2201).status_code == 422  # more than is free to pay: 2200 is the WeChat payment's
    assert t.cash().status_code == 201  # the new round's 2200
    t.confirm(started)
    assert settle(t.store.id) == (6600, 6600, 4400)


# -- (c) cancels and closing -------------------------------------------------------------------
def test_cancels_never_bring_the_total_under_what_was_paid(client, live_server):
    t = Table(client, live_server)
    assert t.cash(2200).status_code == 201
    lines = [(o["id"], o["items"][0]["id"], t.diners[i]) for i, o in enumerate(t.orders)]
    cancels = race(*[lambda o=o, ln=ln, d=d: t.post(f"/api/v1/orders/{o}/items/{ln}/cancel", d)
                     for o, ln, d in lines])
    assert sorted(r.status_code for r in cancels) == [200, 409]
    refused = next(r for r in cancels if r.status_code == 409)
    assert refused.json()["error"]["code"] == "invalid_state"
    closed = t.close()
    assert closed.status_code == 200, closed.text
    assert settle(t.store.id)[:2] == (2200, 2200)


def test_cancels_are_refused_while_they_would_undercut_a_payment_in_flight(client, live_server):
    t = Table(client, live_server)
    started = t.pay(0)
    order = t.orders[1]
    cancelled = t.post(f"/api/v1/orders/{order['id']}/items/{order['items'][0]['id']}/cancel", t.diners[1])
    assert cancelled.status_code == 409
    t.confirm(started)
    assert settle(t.store.id) == (4400, 4400, 4400)


# -- a credit that would overpay: kept, shown, refunded ---------------------------------------
def _give_up_on_wechat(app, monkeypatch) -> None:
    """The cron's reconcile gives up on waiting payments while WeChat's close does not answer."""
    def unreachable(out_trade_no: str) -> None:
        raise PayError("timed out")

    monkeypatch.setattr(payments.pay_client(), "close", unreachable)
    payments.reconcile(older_than=timedelta(0), closing_after=timedelta(0))
    monkeypatch.undo()


def test_a_late_wechat_payment_after_cash_is_kept_as_an_anomaly_and_refunded(app, client, live_server,
                                                                             monkeypatch):
    t = Table(client, live_server)
    started = t.pay(0)
    _give_up_on_wechat(app, monkeypatch)  # closed on our side; WeChat never heard
    assert t.cash().status_code == 201  # the diner paid cash instead
    assert t.confirm(started).status_code == 200  # ...and then paid in the sheet still open on the phone
    total, paid, took = settle(t.store.id)
    assert (total, paid, took) == (4400, 4400, 0)  # the WeChat money went back by itself
    found = anomalies(t.store.id)
    assert len(found) == 1 and found[0].payment_id == started.json()["payment"]["id"] and found[0].amount == 4400
    listed = requests.get(f"{live_server}/api/v1/payments/anomalies", headers=auth(t.cashier), timeout=10).json()
    assert listed["anomalies"][0]["payment_id"] == started.json()["payment"]["id"]
    assert listed["anomalies"][0]["amount"] == 4400 and listed["anomalies"][0]["refund_status"] == "success"
    assert t.close().status_code == 200
    stranger = staff_token(client, make_store())
    theirs = requests.get(f"{live_server}/api/v1/payments/anomalies", headers=auth(stranger), timeout=10).json()
    assert theirs == {"anomalies": []}  # another store's owner sees none of it


def test_an_overpaid_table_cannot_be_cleared_until_the_refund_went_through(app, client, live_server, monkeypatch):
    t = Table(client, live_server)
    started = t.pay(0)
    _give_up_on_wechat(app, monkeypatch)
    assert t.cash().status_code == 201
    out_trade_no = started.json()["payment"]["out_trade_no"]
    with connect(app.config["INSTANCE_PATH"]) as conn:  # the diner paid; WeChat's notify is still on its way
        conn.execute("UPDATE pay_orders SET trade_state='SUCCESS', transaction_id='4200LATE' WHERE out_trade_no=?",
                     (out_trade_no,))

    def refusing(*args: Any, **kwargs: Any) -> None:
        raise PayError("SYSTEM_ERROR", 500, "SYSTEM_ERROR")

    monkeypatch.setattr(payments.pay_client(), "refund", refusing)
    assert payments.credit_transaction(payments.pay_client().query(out_trade_no)) is True
    monkeypatch.undo()
    floor = requests.get(f"{live_server}/api/v1/floor", headers=auth(t.cashier), timeout=10).json()
    session = next(x["session"] for x in floor["tables"] if x["session"])
    assert (session["paid"], session["due"], session["overpaid"]) == (8800, 0, 4400)  # shown, not clamped away
    refused = t.close()
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "invalid_state"
    listed = requests.get(f"{live_server}/api/v1/payments/anomalies", headers=auth(t.cashier), timeout=10).json()
    assert listed["anomalies"][0]["refund_status"] == "failed"
    assert payments.reconcile()["refunds_retried"] >= 1  # the cron sends it again
    assert settle(t.store.id) == (4400, 4400, 0)
    assert t.close().status_code == 200


def test_a_cashier_cancels_a_wechat_payment_in_flight_and_takes_cash(client, live_server):
    t = Table(client, live_server)
    started = t.pay(0)
    floor = requests.get(f"{live_server}/api/v1/floor", headers=auth(t.cashier), timeout=10).json()
    session = next(x["session"] for x in floor["tables"] if x["session"])
    assert (session["paying"], session["paying_payment_id"]) == (4400, started.json()["payment"]["id"])
    cancelled = t.post(f"/api/v1/payments/{session['paying_payment_id']}/cancel", t.cashier)
    assert cancelled.status_code == 200 and cancelled.json()["payment"]["status"] == "closed"
    assert t.post(f"/api/v1/payments/{session['paying_payment_id']}/cancel", t.cashier).status_code == 200
    assert t.confirm(started).status_code == 409  # the sheet on the phone can no longer take money
    assert t.cash().status_code == 201
    assert settle(t.store.id) == (4400, 4400, 0)
    paid = t.post(f"/api/v1/payments/{session['paying_payment_id']}/cancel", t.diners[0])
    assert paid.status_code in (401, 403)  # diners cannot cancel


def test_cancelling_a_payment_the_diner_has_just_paid_credits_it_instead(client, live_server):
    t = Table(client, live_server)
    started = t.pay(0)
    confirmed, cancelled = race(lambda: t.confirm(started),
                                lambda: t.post(f"/api/v1/payments/{started.json()['payment']['id']}/cancel",
                                               t.cashier))
    assert (confirmed.status_code, cancelled.status_code) in ((200, 409), (409, 200)), (confirmed.text,
                                                                                        cancelled.text)
    if cancelled.status_code == 200:
        assert t.cash().status_code == 201
    assert settle(t.store.id)[:2] == (4400, 4400)


def test_a_payment_whose_prepay_failed_does_not_hold_the_check(app, client, live_server, monkeypatch):
    t = Table(client, live_server)

    def down(*args: Any, **kwargs: Any) -> str:
        raise PayError("WeChat Pay is unreachable")

    monkeypatch.setattr(payments.pay_client(), "jsapi_prepay", down)
    key = uuid.uuid4().hex
    failed = client.post(f"/api/v1/table-sessions/{t.check_id}/payments", json={"client_key": key},
                         headers=auth(t.diners[0]))
    monkeypatch.undo()
    assert failed.status_code == 502
    assert t.cash().status_code == 201  # nobody holds a sheet for it: the cashier is not kept waiting
    assert settle(t.store.id) == (4400, 4400, 0)
    assert t.pay(0, key).status_code == 409  # the diner's retry learns it is over
