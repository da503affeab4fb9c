"""Alipay payment codes end to end: a code from the Alipay sandbox scanned at
``POST /api/v1/table-sessions/{id}/payments/code`` goes to Alipay by its digits, through the app's
real Alipay client (python-alipay-sdk, RSA2 both ways) and the live sandbox, and credits a check
only on a verified query, once. The service's rules are proven with WeChat in test_codepay.py;
these show that Alipay's answers (10003, TRADE_CLOSED, cancel, a forged or mismatching query,
refunds by out_request_no) mean the same things to it."""
from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from models import Payment, PaymentAnomaly, TableSession, db
from tests.api.codepay_helpers import follow, key, setup_check
from tests.helpers import auth

pytestmark = pytest.mark.live


@pytest.fixture()
def quick(app, monkeypatch):
    """Polls every 0.2 s and giving up after 1.5 s, in this (the test's) process."""
    monkeypatch.setitem(app.config, "CODEPAY_POLL_SECONDS", 0.2)
    monkeypatch.setitem(app.config, "CODEPAY_GIVE_UP_SECONDS", 1.5)


def _alipay_code(base: str, password: bool = False, **faults) -> str:
    """A payment code as the payer's Alipay shows it (the sandbox's stand-in)."""
    r = requests.post(f"{base}/alipay-sandbox/paycode", json={"user": "payer-" + key()[:8], "password": password,
                                                               "faults": faults}, timeout=10)
    assert r.status_code == 200, r.text
    return r.json()["auth_code"]


def _confirm(base: str, auth_code: str) -> requests.Response:
    return requests.post(f"{base}/alipay-sandbox/pay/confirm", json={"auth_code": auth_code}, timeout=10)


def _pay(client, token, sid, code, **body):
    return client.post(f"/api/v1/table-sessions/{sid}/payments/code", headers=auth(token),
                       json={"client_key": key(), "auth_code": code, **body})


def _fetcher(client, token):
    return lambda pid: client.get(f"/api/v1/payments/{pid}", headers=auth(token)).get_json()["payment"]


def _paid(sid) -> int:
    db.session.remove()
    paid = db.session.get(TableSession, sid).paid
    db.session.commit()
    return paid


def _trade(app, out_trade_no) -> sqlite3.Row:
    """What the Alipay sandbox itself holds for a trade (its state file, beside the live server's keys)."""
    path = Path(app.config["INSTANCE_PATH"]) / "alipay-sandbox" / "state.db"
    with sqlite3.connect(path) as conn:
        conn.row_factory = sqlite3.Row
        return conn.execute("SELECT * FROM trades WHERE out_trade_no = ?", (out_trade_no,)).fetchone()


def test_an_alipay_code_pays_a_check_at_once_and_credits_once(client, live_server, app):
    _, token, sid = setup_check(client, price=5000)
    body = {"client_key": key(), "auth_code": _alipay_code(live_server)}
    r = client.post(f"/api/v1/table-sessions/{sid}/payments/code", headers=auth(token), json=body)
    assert r.status_code == 201, r.get_json()
    payment = r.get_json()["payment"]
    assert {k: payment[k] for k in ("channel", "amount", "status")} == {
        "channel": "alipay_code", "amount": 5000, "status": "paid"}
    again = client.post(f"/api/v1/table-sessions/{sid}/payments/code", headers=auth(token), json=body)
    assert again.status_code == 201 and again.get_json()["payment"]["id"] == payment["id"]
    assert _paid(sid) == 5000
    trade = _trade(app, payment["out_trade_no"])
    assert (trade["status"], trade["total"]) == ("TRADE_SUCCESS", 5000)
    db.session.remove()
    row = db.session.get(Payment, payment["id"])
    assert row.transaction_id == trade["trade_no"] and row.polls == 1  # credited by one verified query
    db.session.commit()


def test_an_alipay_code_waiting_for_the_password_is_credited_after_the_payer_confirms(client, live_server, quick):
    _, token, sid = setup_check(client, price=8800)
    code = _alipay_code(live_server, password=True)
    payment = _pay(client, token, sid, code).get_json()["payment"]
    assert (payment["channel"], payment["status"]) == ("alipay_code", "paying")
    fetch = _fetcher(client, token)
    assert fetch(payment["id"])["status"] == "paying"
    assert _confirm(live_server, code).json()["trade_status"] == "TRADE_SUCCESS"
    assert follow(fetch, payment["id"], {"paid", "failed"})["status"] == "paid"
    assert _paid(sid) == 8800


def test_an_alipay_payment_not_confirmed_in_time_is_cancelled_and_a_late_password_takes_nothing(
        client, live_server, app, quick):
    _, token, sid = setup_check(client, price=6600)
    code = _alipay_code(live_server, password=True)
    payment = _pay(client, token, sid, code).get_json()["payment"]
    failed = follow(_fetcher(client, token), payment["id"], {"failed", "paid"}, reversal=True)
    assert (failed["status"], failed["failure"], failed["reversal"]) == ("failed", "TIMEOUT", "done")
    trade = _trade(app, payment["out_trade_no"])
    assert (trade["status"], trade["cancel_action"]) == ("TRADE_CLOSED", "close")  # alipay.trade.cancel
    assert _confirm(live_server, code).status_code == 409
    assert _paid(sid) == 0


def test_an_alipay_query_naming_another_amount_never_credits_and_the_money_goes_back(
        client, live_server, app, quick):
    store, token, sid = setup_check(client, price=3900)
    payment = _pay(client, token, sid, _alipay_code(live_server, query_amount=1)).get_json()["payment"]
    assert (payment["status"], payment["failure"]) == ("failed", "MISMATCH")
    assert _paid(sid) == 0
    db.session.remove()
    anomalies = db.session.execute(select(PaymentAnomaly).where(PaymentAnomaly.store_id == store.id)).scalars().all()
    db.session.commit()
    assert len(anomalies) == 1
    trade = _trade(app, payment["out_trade_no"])
    assert (trade["status"], trade["cancel_action"], trade["refunded"]) == ("TRADE_CLOSED", "refund", 3900)


def test_an_alipay_query_answer_not_signed_by_alipay_never_credits(client, live_server, app, quick):
    """The charge is answered (signed by Alipay) as paid, but every query answer is signed with
    another key: never believed, so never credited; given up and cancelled, Alipay gives the money
    back, and since no answer about it can be believed the reversal stays pending for a person."""
    _, token, sid = setup_check(client, price=2500)
    payment = _pay(client, token, sid, _alipay_code(live_server, forge_query=True)).get_json()["payment"]
    fetch = _fetcher(client, token)
    failed = follow(fetch, payment["id"], {"failed", "paid"})
    assert (failed["status"], failed["failure"]) == ("failed", "TIMEOUT")
    deadline = time.monotonic() + 10
    while _trade(app, payment["out_trade_no"])["status"] != "TRADE_CLOSED":  # the cancel follows the failure
        assert time.monotonic() < deadline
        fetch(payment["id"])
        time.sleep(0.1)
    trade = _trade(app, payment["out_trade_no"])
    assert (trade["cancel_action"], trade["refunded"]) == ("refund", 2500)
    assert fetch(payment["id"])["reversal"] == "pending" and _paid(sid) == 0


def test_an_alipay_code_payment_is_refunded_through_alipay_once(client, live_server, app):
    _, token, sid = setup_check(client, price=5200)
    payment = _pay(client, token, sid, _alipay_code(live_server)).get_json()["payment"]
    body = {"client_key": key(), "amount": 1200, "reason": "少上一道菜"}
    refund = client.post(f"/api/v1/payments/{payment['id']}/refunds", headers=auth(token), json=body)
    assert refund.status_code == 201 and refund.get_json()["refund"]["status"] == "success", refund.get_json()
    again = client.post(f"/api/v1/payments/{payment['id']}/refunds", headers=auth(token), json=body)
    assert again.status_code in (200, 201) and again.get_json()["refund"]["id"] == refund.get_json()["refund"]["id"]
    assert _trade(app, payment["out_trade_no"])["refunded"] == 1200
    assert _paid(sid) == 4000


def test_a_server_without_alipay_settings_refuses_alipay_codes_before_charging(client, live_server, app, monkeypatch):
    monkeypatch.setitem(app.config, "ALIPAY_APPID", "")
    _, token, sid = setup_check(client, price=1000)
    r = _pay(client, token, sid, _alipay_code(live_server))
    assert (r.status_code, r.get_json()["error"]["code"]) == (503, "unavailable")
    db.session.remove()
    assert db.session.execute(select(Payment).where(Payment.table_session_id == sid)).first() is None
    db.session.commit()
