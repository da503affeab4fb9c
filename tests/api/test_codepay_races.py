"""Payment codes raced against the live server (gunicorn, gevent) from threads: the same code sent
at once under one key or several, followed by many at once, is charged and credited once."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import func, select

from models import AuditLog, Payment, TableSession, db
from tests.api.codepay_helpers import confirm, follow, key, paycode, setup_check
from tests.helpers import auth

pytestmark = pytest.mark.live


def _burst(url, bodies, token):
    with ThreadPoolExecutor(len(bodies)) as pool:
        return list(pool.map(lambda b: requests.post(url, json=b, headers=auth(token), timeout=60), bodies))


def _payments(store_id):
    db.session.remove()
    rows = db.session.execute(select(Payment).where(Payment.store_id == store_id)).scalars().all()
    db.session.commit()
    return rows


def _paid(sid):
    db.session.remove()
    paid = db.session.get(TableSession, sid).paid
    db.session.commit()
    return paid


def _trades(live_server, auth_code):
    """How many trades the sandbox's WeChat Pay holds for this code, and their states."""
    import sqlite3

    from flask import current_app

    path = f"{current_app.config['INSTANCE_PATH']}/wechat-sandbox/state.db"
    with sqlite3.connect(path) as conn:
        return [r[0] for r in conn.execute("SELECT trade_state FROM pay_orders WHERE auth_code = ?", (auth_code,))]


def test_the_same_code_under_one_key_sent_six_times_at_once_is_one_payment(client, live_server):
    store, token, sid = setup_check(client, price=4600)
    code = paycode(live_server)
    body = {"client_key": key(), "auth_code": code}
    answers = _burst(f"{live_server}/api/v1/table-sessions/{sid}/payments/code", [body] * 6, token)
    assert {r.status_code for r in answers} == {201}, [r.text for r in answers]
    assert len({r.json()["payment"]["id"] for r in answers}) == 1
    assert len(_payments(store.id)) == 1 and _trades(live_server, code) == ["SUCCESS"]
    assert _paid(sid) == 4600


def test_the_same_code_under_different_keys_at_once_is_charged_and_credited_once(client, live_server):
    store, token, sid = setup_check(client, price=3000)
    code = paycode(live_server)
    bodies = [{"client_key": key(), "auth_code": code, "amount": 1000} for _ in range(6)]
    answers = _burst(f"{live_server}/api/v1/table-sessions/{sid}/payments/code", bodies, token)
    created = [r.json()["payment"] for r in answers if r.status_code == 201]
    refused = [r for r in answers if r.status_code != 201]
    assert all(r.status_code == 409 for r in refused), [r.text for r in refused]
    assert [p["status"] for p in created].count("paid") == 1
    assert all(p["status"] == "failed" for p in created if p["status"] != "paid")
    assert _trades(live_server, code) == ["SUCCESS"] and _paid(sid) == 1000
    assert [p.status for p in _payments(store.id)].count("paid") == 1


def test_a_password_payment_followed_by_many_at_once_is_credited_once(client, live_server):
    store, token, sid = setup_check(client, price=7700)
    code = paycode(live_server, password=True)
    r = requests.post(f"{live_server}/api/v1/table-sessions/{sid}/payments/code", headers=auth(token), timeout=30,
                      json={"client_key": key(), "auth_code": code})
    payment = r.json()["payment"]
    assert r.status_code == 201 and payment["status"] == "paying"
    url = f"{live_server}/api/v1/payments/{payment['id']}"
    assert confirm(live_server, code).json() == {"status": "SUCCESS"}
    with ThreadPoolExecutor(8) as pool:
        seen = list(pool.map(lambda _: follow(lambda pid: requests.get(url, headers=auth(token), timeout=30)
                                              .json()["payment"], payment["id"], {"paid", "failed"}), range(8)))
    assert {p["status"] for p in seen} == {"paid"}
    assert _paid(sid) == 7700
    db.session.remove()
    credits = db.session.execute(select(func.count()).select_from(AuditLog).where(
        AuditLog.action == "payment.wechat_code", AuditLog.target_id == payment["id"])).scalar_one()
    polls = db.session.get(Payment, payment["id"]).polls
    db.session.commit()
    assert credits == 1
    assert polls <= 6  # eight followers, 0.5 s leases: a handful of queries, not one per GET
