"""Payment codes (付款码) through the WeChat sandbox: the channel told by the digits, crediting only
on a verified query whose amount, merchant and app match, exactly once; the password wait,
giving up and reversing, late confirmations, refunds through the provider, and the shift."""
from __future__ import annotations

import time

import pytest
import requests
from sqlalchemy import func, select

from domain.codepay import CodeAnswer, ReverseAnswer
from models import AuditLog, Payment, PaymentAnomaly, TableSession, db
from services import codepay_follow
from tests.api.codepay_helpers import confirm, follow, key, paycode, setup_check
from tests.helpers import auth

pytestmark = pytest.mark.live


@pytest.fixture()
def quick(app, monkeypatch):
    """Polls every 0.2 s and giving up after 1.5 s, in this (the test's) process."""
    monkeypatch.setitem(app.config, "CODEPAY_POLL_SECONDS", 0.2)
    monkeypatch.setitem(app.config, "CODEPAY_GIVE_UP_SECONDS", 1.5)


def _pay(client, token, sid, code, **body):
    return client.post(f"/api/v1/table-sessions/{sid}/payments/code", headers=auth(token),
                       json={"client_key": key(), "auth_code": code, **body})


def _fetcher(client, token):
    return lambda pid: client.get(f"/api/v1/payments/{pid}", headers=auth(token)).get_json()["payment"]


def _row(pid):
    db.session.remove()
    payment = db.session.get(Payment, pid)
    db.session.commit()
    return payment


def _check(sid):
    db.session.remove()
    check = db.session.get(TableSession, sid)
    db.session.commit()
    return check


def _sandbox_trade(app, out_trade_no):
    from services.pay_client import pay_client

    return pay_client().query(out_trade_no)


def _anomalies(store_id):
    db.session.remove()
    rows = db.session.execute(select(PaymentAnomaly).where(PaymentAnomaly.store_id == store_id)).scalars().all()
    db.session.commit()
    return rows


def test_a_code_without_password_is_paid_at_once_and_the_same_key_is_the_same_payment(client, live_server):
    store, token, sid = setup_check(client, price=5000)
    code = paycode(live_server)
    body = {"client_key": key(), "auth_code": code}
    r = client.post(f"/api/v1/table-sessions/{sid}/payments/code", headers=auth(token), json=body)
    assert r.status_code == 201, r.get_json()
    payment = r.get_json()["payment"]
    assert {k: payment[k] for k in ("channel", "amount", "status")} == {
        "channel": "wechat_code", "amount": 5000, "status": "paid"}
    again = client.post(f"/api/v1/table-sessions/{sid}/payments/code", headers=auth(token), json=body)
    assert again.status_code == 201 and again.get_json()["payment"]["id"] == payment["id"]
    assert _check(sid).paid == 5000
    row = _row(payment["id"])
    assert row.polls == 1 and row.flight_key is None and row.transaction_id  # credited by one verified query
    session = client.get(f"/api/v1/table-sessions/{sid}", headers=auth(token)).get_json()["session"]
    assert session["due"] == 0


@pytest.mark.parametrize("code", ["13456789012345678a", "13456789012345678", "1345678901234567890",
                                  "163456789012345678", "093456789012345678", "", "31" + "0" * 16])
def test_malformed_codes_are_refused_with_422(client, live_server, code):
    _, token, sid = setup_check(client)
    r = _pay(client, token, sid, code)
    assert r.status_code == 422, r.get_json()
    assert r.get_json()["error"]["code"] == "validation_error"


def test_more_than_is_due_is_409_and_nothing_is_charged(client, live_server):
    store, token, sid = setup_check(client, price=3000)
    code = paycode(live_server)
    r = _pay(client, token, sid, code, amount=3001)
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "invalid_state"
    assert _pay(client, token, sid, code, amount=0).status_code == 422
    part = _pay(client, token, sid, code, amount=1000)  # the same code still works: nothing was charged
    assert part.status_code == 201 and part.get_json()["payment"]["status"] == "paid"
    assert _check(sid).paid == 1000


def test_the_channel_is_told_by_the_digits(client, live_server, app, monkeypatch):
    """An Alipay code goes to the Alipay provider (a fake here), a WeChat code to WeChat."""
    calls = []

    class FakeAlipay:
        channel, merchant, app = "alipay_code", "2088000000000001", "2021000000000001"

        def pay(self, out_trade_no, auth_code, amount, description):
            calls.append(("pay", auth_code))
            return CodeAnswer("paid", out_trade_no, amount, self.merchant, self.app, "2026120322001", "TRADE_SUCCESS")

        def query(self, out_trade_no):
            row = db.session.execute(select(Payment).where(Payment.out_trade_no == out_trade_no)).scalar_one()
            db.session.commit()
            calls.append(("query", out_trade_no))
            return CodeAnswer("paid", out_trade_no, row.amount, self.merchant, self.app, "2026120322001",
                              "TRADE_SUCCESS")

    monkeypatch.setitem(app.extensions, "diancan.code.alipay_code", FakeAlipay())
    _, token, sid = setup_check(client, price=4000)
    r = _pay(client, token, sid, "28" + "7" * 16, amount=1500)
    assert r.status_code == 201 and r.get_json()["payment"]["channel"] == "alipay_code"
    assert r.get_json()["payment"]["status"] == "paid" and [c[0] for c in calls] == ["pay", "query"]
    w = _pay(client, token, sid, paycode(live_server))
    assert w.get_json()["payment"]["channel"] == "wechat_code" and w.get_json()["payment"]["amount"] == 2500


def test_password_wait_then_confirm_is_credited_once_however_often_it_is_followed(client, live_server, quick):
    store, token, sid = setup_check(client, price=8800)
    code = paycode(live_server, password=True)
    r = _pay(client, token, sid, code)
    payment = r.get_json()["payment"]
    assert r.status_code == 201 and payment["status"] == "paying"
    fetch = _fetcher(client, token)
    assert fetch(payment["id"])["status"] == "paying"
    following = client.get(f"/api/v1/payments/{payment['id']}", headers=auth(token))
    assert int(following.headers["Retry-After"]) >= 1  # when asking again can learn something
    # While it is in flight, cash cannot take what it holds.
    cash = client.post(f"/api/v1/table-sessions/{sid}/payments/offline", headers=auth(token),
                       json={"client_key": key(), "channel": "cash"})
    assert cash.status_code == 409
    assert confirm(live_server, code).json() == {"status": "SUCCESS"}
    assert follow(fetch, payment["id"], {"paid", "failed"})["status"] == "paid"
    for _ in range(5):  # repeated polls and answers never credit again
        assert fetch(payment["id"])["status"] == "paid"
    assert "Retry-After" not in client.get(f"/api/v1/payments/{payment['id']}", headers=auth(token)).headers
    answer = _sandbox_trade(None, payment["out_trade_no"])
    assert codepay_follow.credit(payment["id"], CodeAnswer(
        "paid", payment["out_trade_no"], 8800, answer["mchid"], answer["appid"], answer["transaction_id"])) is False
    assert _check(sid).paid == 8800
    db.session.remove()
    audits = db.session.execute(select(func.count()).select_from(AuditLog).where(
        AuditLog.action == "payment.wechat_code", AuditLog.target_id == payment["id"])).scalar_one()
    db.session.commit()
    assert audits == 1
    assert 1 <= _row(payment["id"]).polls <= 40  # leased: not one query per GET


def test_not_paid_in_time_is_reversed_and_a_late_confirmation_is_never_credited(client, live_server, quick):
    store, token, sid = setup_check(client, price=6600)
    code = paycode(live_server, password=True, password_seconds=2.5)  # the payer gives up after we do
    payment = _pay(client, token, sid, code).get_json()["payment"]
    fetch = _fetcher(client, token)
    failed = follow(fetch, payment["id"], {"failed", "paid"}, reversal=True)
    assert failed["status"] == "failed" and failed["failure"] == "TIMEOUT" and failed["reversal"] == "done"
    assert _sandbox_trade(None, payment["out_trade_no"])["trade_state"] == "REVOKED"
    late = confirm(live_server, code)
    assert late.status_code == 409
    time.sleep(0.5)
    assert fetch(payment["id"])["status"] == "failed"
    check = _check(sid)
    assert check.paid == 0
    # The check is free again: cash takes it.
    cash = client.post(f"/api/v1/table-sessions/{sid}/payments/offline", headers=auth(token),
                       json={"client_key": key(), "channel": "cash"})
    assert cash.status_code == 201 and cash.get_json()["payment"]["amount"] == 6600


def test_a_reverse_refused_while_the_payer_types_is_retried_and_money_paid_meanwhile_goes_back(
        client, live_server, quick):
    """Given up while the payer is still on the password screen: the reverse is refused
    (USERPAYING) and retried; the payer then pays; the next reverse gives the money back, and the
    payment is never credited."""
    store, token, sid = setup_check(client, price=4200)
    code = paycode(live_server, password=True)  # the payer may take the sandbox's full 60 s
    payment = _pay(client, token, sid, code).get_json()["payment"]
    fetch = _fetcher(client, token)
    failed = follow(fetch, payment["id"], {"failed", "paid"})
    assert failed["status"] == "failed" and failed["reversal"] == "pending"
    polls = _row(payment["id"]).polls
    time.sleep(0.6)
    fetch(payment["id"])
    assert _row(payment["id"]).polls > polls  # still trying to reverse
    assert _sandbox_trade(None, payment["out_trade_no"])["trade_state"] == "USERPAYING"
    assert confirm(live_server, code).json() == {"status": "SUCCESS"}  # paid after we gave up
    done = follow(fetch, payment["id"], {"failed"}, reversal=True)
    assert done["reversal"] == "done"
    assert _sandbox_trade(None, payment["out_trade_no"])["trade_state"] == "REVOKED"  # the money went back
    assert _check(sid).paid == 0


def test_reversing_never_touches_a_payment_already_paid(client, live_server):
    store, token, sid = setup_check(client, price=1800)
    payment = _pay(client, token, sid, paycode(live_server)).get_json()["payment"]
    assert payment["status"] == "paid"
    assert codepay_follow._fail(payment["id"], "TIMEOUT", reverse=True) is False
    row = _row(payment["id"])
    assert row.status == "paid" and row.reversal is None
    assert _sandbox_trade(None, payment["out_trade_no"])["trade_state"] == "SUCCESS"


@pytest.mark.parametrize("fault", [{"query_total": 1}, {"query_mchid": "1900000000"},
                                   {"query_appid": "wx0000000000000000"}])
def test_a_query_answer_naming_another_amount_merchant_or_app_never_credits(client, live_server, quick, fault):
    store, token, sid = setup_check(client, price=3900)
    r = _pay(client, token, sid, paycode(live_server, **fault))
    payment = r.get_json()["payment"]
    assert payment["status"] == "failed" and payment["failure"] == "MISMATCH"
    assert _check(sid).paid == 0
    assert [a.reason[:28] for a in _anomalies(store.id)] == ["query answer does not match "]
    assert _sandbox_trade(None, payment["out_trade_no"])["trade_state"] == "REVOKED"  # money given back


def test_money_kept_by_the_provider_after_a_reverse_is_an_anomaly_and_refunded(client, live_server, quick):
    store, token, sid = setup_check(client, price=2700)
    code = paycode(live_server, password=True, success_after_reverse=True)
    payment = _pay(client, token, sid, code).get_json()["payment"]
    fetch = _fetcher(client, token)
    assert follow(fetch, payment["id"], {"failed"})["reversal"] == "pending"
    assert confirm(live_server, code).json() == {"status": "SUCCESS"}
    done = follow(fetch, payment["id"], {"failed"}, reversal=True)
    assert done["reversal"] == "refunded" and _check(sid).paid == 0
    anomalies = _anomalies(store.id)
    assert len(anomalies) == 1 and anomalies[0].payment_id == payment["id"]
    assert _sandbox_trade(None, payment["out_trade_no"])["trade_state"] == "REFUND"
    time.sleep(1.0)  # the refund's notify reaches the server: known, not one more anomaly
    db.session.remove()
    assert db.session.execute(select(func.count()).select_from(PaymentAnomaly).where(
        PaymentAnomaly.out_trade_no.like("RV%"))).scalar_one() == 0
    db.session.commit()


def test_a_charge_whose_answers_are_lost_is_repeated_with_the_same_out_trade_no(client, live_server, app):
    """The sandbox carries out the charge but loses the first four answers (more than the HTTP
    layer retries): the service repeats the same trade, never a new one, and it is paid once."""
    store, token, sid = setup_check(client, price=1234)
    payment = _pay(client, token, sid, paycode(live_server, lose_answers=4)).get_json()["payment"]
    assert payment["status"] == "paid"
    assert _check(sid).paid == 1234


def test_a_provider_that_does_not_answer_leaves_the_payment_paying_until_a_query_says(client, app, monkeypatch,
                                                                                       quick):
    """Provider timeouts: no answer to the charge, then no answer to queries, then an answer."""
    state = {"query": "unknown", "pays": 0, "reverses": 0}

    class Silent:
        channel, merchant, app = "wechat_code", "1900000109", "wx_silent"

        def pay(self, out_trade_no, auth_code, amount, description):
            state["pays"] += 1
            return CodeAnswer("unknown", out_trade_no, code="SYSTEM_ERROR")

        def query(self, out_trade_no):
            if state["query"] == "unknown":
                return CodeAnswer("unknown", out_trade_no)
            row = db.session.execute(select(Payment).where(Payment.out_trade_no == out_trade_no)).scalar_one()
            db.session.commit()
            return CodeAnswer("paid", out_trade_no, row.amount, self.merchant, self.app, "4200000001")

        def reverse(self, out_trade_no):
            state["reverses"] += 1
            return ReverseAnswer(done=False, retry=True)

    monkeypatch.setitem(app.extensions, "diancan.code.wechat_code", Silent())
    monkeypatch.setitem(app.config, "CODEPAY_GIVE_UP_SECONDS", 30)
    _, token, sid = setup_check(client, price=999)
    payment = _pay(client, token, sid, "134567890123456789").get_json()["payment"]
    assert payment["status"] == "paying" and state["pays"] == 2  # repeated once, the same trade
    fetch = _fetcher(client, token)
    time.sleep(0.5)
    assert fetch(payment["id"])["status"] == "paying"
    state["query"] = "paid"
    assert follow(fetch, payment["id"], {"paid", "failed"})["status"] == "paid"
    assert _check(sid).paid == 999 and state["reverses"] == 0


def test_codepay_refunds_go_back_through_the_provider_and_the_shift_counts_them(client, live_server):
    store, token, sid = setup_check(client, price=5200)
    shift = client.post("/api/v1/shifts", headers=auth(token), json={"opening_cash": 10_000})
    assert shift.status_code == 201, shift.get_json()
    payment = _pay(client, token, sid, paycode(live_server)).get_json()["payment"]
    refund = client.post(f"/api/v1/payments/{payment['id']}/refunds", headers=auth(token),
                         json={"client_key": key(), "amount": 1200, "reason": "少上一道菜"})
    assert refund.status_code == 201 and refund.get_json()["refund"]["status"] == "success"
    from services.pay_client import pay_client

    assert pay_client().query_refund(refund.get_json()["refund"]["out_refund_no"])["status"] == "SUCCESS"
    assert _check(sid).paid == 4000
    closed = client.post(f"/api/v1/shifts/{shift.get_json()['shift']['id']}/close", headers=auth(token),
                         json={"counted_cash": 10_000, "note": ""})
    assert closed.status_code == 200, closed.get_json()
    assert closed.get_json()["shift"]["expected"]["wechat_code"] == 5200


def test_the_sandbox_refuses_used_unknown_and_expired_codes(client, live_server):
    store, token, sid = setup_check(client, price=3000)
    code = paycode(live_server)
    assert _pay(client, token, sid, code, amount=1000).get_json()["payment"]["status"] == "paid"
    used = _pay(client, token, sid, code, amount=1000).get_json()["payment"]
    assert used["status"] == "failed" and used["failure"] == "TRADE_ERROR"
    unknown = _pay(client, token, sid, "101234567890123456").get_json()["payment"]
    assert unknown["status"] == "failed" and _check(sid).paid == 1000
    assert requests.post(f"{live_server}/wechat-sandbox/pay/confirm", json={"auth_code": "1" * 18},
                         timeout=10).status_code == 404


def test_the_cashier_cancels_a_paying_code_and_the_check_is_free_again(client, live_server, quick):
    store, token, sid = setup_check(client, price=3300)
    code = paycode(live_server, password=True, password_seconds=1)
    payment = _pay(client, token, sid, code).get_json()["payment"]
    r = client.post(f"/api/v1/payments/{payment['id']}/cancel", headers=auth(token))
    assert r.status_code == 200 and r.get_json()["payment"]["status"] == "failed"
    assert _row(payment["id"]).failure == "CANCELLED"
    done = follow(_fetcher(client, token), payment["id"], {"failed"}, reversal=True)
    assert done["reversal"] == "done" and confirm(live_server, code).status_code == 409
    cash = client.post(f"/api/v1/table-sessions/{sid}/payments/offline", headers=auth(token),
                       json={"client_key": key(), "channel": "cash"})
    assert cash.status_code == 201 and _check(sid).paid == 3300


def test_an_alipay_code_goes_through_the_same_route_password_and_all(client, live_server, quick):
    store, token, sid = setup_check(client, price=6000)
    code = requests.post(f"{live_server}/alipay-sandbox/paycode", json={"user": "ali-payer", "password": False},
                         timeout=10).json()["auth_code"]
    now = _pay(client, token, sid, code, amount=2000).get_json()["payment"]
    assert now["channel"] == "alipay_code" and now["status"] == "paid", now
    code = requests.post(f"{live_server}/alipay-sandbox/paycode", json={"user": "ali-payer", "password": True},
                         timeout=10).json()["auth_code"]
    later = _pay(client, token, sid, code).get_json()["payment"]
    assert later["status"] == "paying" and later["amount"] == 4000
    assert requests.post(f"{live_server}/alipay-sandbox/pay/confirm", json={"auth_code": code},
                         timeout=10).status_code == 200
    assert follow(_fetcher(client, token), later["id"], {"paid", "failed"})["status"] == "paid"
    assert _check(sid).paid == 6000
