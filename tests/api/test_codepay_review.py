"""Payment codes where the money could have been lost: a repeated charge refused after the first
send took the money, a reverse refused for good while the payer had paid, reverse retries that
back off, and a code the query calls REFUND. A fake provider plays the provider's side."""
from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from domain.codepay import CodeAnswer, ReverseAnswer
from models import Payment, PaymentAnomaly, db
from tests.api.codepay_helpers import key, setup_check
from tests.helpers import auth

pytestmark = pytest.mark.live
MCH, APP = "1900000109", "wx_fake"
REVERSED = ReverseAnswer(done=True)


class Fake:
    """A WeChat Pay that took the money on the first send: ``pay`` answers as ``pays`` says, in
    turn; the query says the trade is paid (``taken``) or not there; reverses as ``reverse`` says."""

    channel, merchant, app = "wechat_code", MCH, APP

    def __init__(self, pays, taken=True, reverse=REVERSED):
        self.pays, self.taken, self.reverse_answer = list(pays), taken, reverse
        self.calls: list[str] = []
        self.refunds: list[tuple[str, int]] = []

    def _amount(self, out_trade_no):
        amount = db.session.execute(select(Payment.amount).where(Payment.out_trade_no == out_trade_no)).scalar_one()
        db.session.commit()
        return amount

    def pay(self, out_trade_no, auth_code, amount, description):
        self.calls.append("pay")
        state, code = self.pays.pop(0)
        return CodeAnswer(state, out_trade_no, code=code)

    def query(self, out_trade_no):
        self.calls.append("query")
        if self.taken:
            return CodeAnswer("paid", out_trade_no, self._amount(out_trade_no), MCH, APP, "4200000009", "SUCCESS")
        return CodeAnswer("unknown", out_trade_no, code="ORDER_NOT_EXIST")

    def reverse(self, out_trade_no):
        self.calls.append("reverse")
        return self.reverse_answer

    def refund(self, out_trade_no, out_refund_no, amount, total, reason):
        self.refunds.append((out_refund_no, amount))
        return True


def _pay(client, token, sid):
    return client.post(f"/api/v1/table-sessions/{sid}/payments/code", headers=auth(token),
                       json={"client_key": key(), "auth_code": "134567890123456789"})


def _row(pid):
    db.session.remove()
    payment = db.session.get(Payment, pid)
    db.session.commit()
    return payment


def _anomalies(pid):
    db.session.remove()
    rows = db.session.execute(select(PaymentAnomaly).where(PaymentAnomaly.payment_id == pid)).scalars().all()
    db.session.commit()
    return rows


def test_a_repeated_charge_refused_after_the_first_took_the_money_gives_it_back(client, app, monkeypatch):
    """No answer to the charge, then the repeat is refused (ORDERPAID, code used): the first send
    had taken the money. Never left taken and unseen: reversed, asked about, refunded once."""
    fake = Fake(pays=[("unknown", "SYSTEM_ERROR"), ("failed", "TRADE_ERROR")],
                reverse=ReverseAnswer(done=False, code="INVALID_REQUEST"))
    monkeypatch.setitem(app.extensions, "diancan.code.wechat_code", fake)
    _, token, sid = setup_check(client, price=4200)
    payment = _pay(client, token, sid).get_json()["payment"]
    assert payment["status"] == "failed"
    assert fake.calls[:4] == ["pay", "pay", "reverse", "query"]
    assert fake.refunds == [(f"RV{payment['out_trade_no']}"[:64], 4200)]
    assert _row(payment["id"]).reversal == "refunded"
    assert [a.payment_id for a in _anomalies(payment["id"])] == [payment["id"]]


def test_a_refused_code_that_took_nothing_is_closed_without_a_person(client, app, monkeypatch):
    fake = Fake(pays=[("failed", "AUTHCODEEXPIRE")], taken=False,
                reverse=ReverseAnswer(done=True, code="ORDER_NOT_EXIST"))
    monkeypatch.setitem(app.extensions, "diancan.code.wechat_code", fake)
    _, token, sid = setup_check(client, price=1800)
    payment = _pay(client, token, sid).get_json()["payment"]
    assert payment["status"] == "failed" and _row(payment["id"]).reversal == "done"
    assert fake.refunds == [] and _anomalies(payment["id"]) == []


def test_a_reverse_refused_for_good_asks_before_leaving_it_to_a_person(client, app, monkeypatch):
    """The cashier gives up just as the payer confirms; the reverse is refused outright: the query
    finds the money taken, and it goes back."""
    fake = Fake(pays=[("paying", "USERPAYING")], taken=False, reverse=ReverseAnswer(done=False, code="INVALID_REQUEST"))
    monkeypatch.setitem(app.extensions, "diancan.code.wechat_code", fake)
    _, token, sid = setup_check(client, price=2600)
    payment = _pay(client, token, sid).get_json()["payment"]
    assert payment["status"] == "paying"
    fake.taken = True  # the payer confirms as the cashier cancels
    monkeypatch.setattr("services.codepay_follow.credit", lambda *a, **k: False)  # the cancel wins the race
    cancel = client.post(f"/api/v1/payments/{payment['id']}/cancel", headers=auth(token))
    assert cancel.status_code in (200, 409), cancel.get_json()
    assert "reverse" in fake.calls and fake.calls[fake.calls.index("reverse") + 1] == "query"
    assert fake.refunds == [(f"RV{payment['out_trade_no']}"[:64], 2600)]
    assert _row(payment["id"]).reversal == "refunded"


def test_reverse_retries_back_off(client, app, monkeypatch):
    """An outage: the provider keeps asking us to repeat the reverse. An hour in, it is asked again
    in six minutes, not at every poll (that would be 700 calls an hour per payment)."""
    from datetime import timedelta

    from models import utcnow
    from services import codepay_follow

    fake = Fake(pays=[("failed", "SYSTEMERROR")], taken=False, reverse=ReverseAnswer(done=False, retry=True))
    monkeypatch.setitem(app.extensions, "diancan.code.wechat_code", fake)
    monkeypatch.setitem(app.config, "CODEPAY_POLL_SECONDS", 5)
    _, token, sid = setup_check(client, price=900)
    payment = _pay(client, token, sid).get_json()["payment"]
    row = _row(payment["id"])
    assert row.reversal == "pending" and fake.calls.count("reverse") == 1
    assert 4 <= (row.next_poll_at - utcnow()).total_seconds() <= 5.5  # early on: the poll interval
    db.session.execute(Payment.__table__.update().where(Payment.id == payment["id"]).values(
        created_at=utcnow() - timedelta(hours=1), next_poll_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    codepay_follow.advance(payment["id"])
    assert fake.calls.count("reverse") == 2
    wait = (_row(payment["id"]).next_poll_at - utcnow()).total_seconds()
    assert 5 * 60 < wait <= 6 * 60 + 5


def test_a_paying_code_the_query_calls_refund_is_kept_as_an_anomaly(client, app, monkeypatch):
    class Refunded(Fake):
        def query(self, out_trade_no):
            self.calls.append("query")
            return CodeAnswer("failed", out_trade_no, code="REFUND")

    fake = Refunded(pays=[("paying", "USERPAYING")], taken=False)
    monkeypatch.setitem(app.extensions, "diancan.code.wechat_code", fake)
    monkeypatch.setitem(app.config, "CODEPAY_POLL_SECONDS", 0.2)
    _, token, sid = setup_check(client, price=700)
    payment = _pay(client, token, sid).get_json()["payment"]
    deadline = time.monotonic() + 10
    while _row(payment["id"]).status == "paying" and time.monotonic() < deadline:
        client.get(f"/api/v1/payments/{payment['id']}", headers=auth(token))
        time.sleep(0.25)
    assert _row(payment["id"]).status == "failed"
    assert any("refunded outside Diancan" in a.reason for a in _anomalies(payment["id"]))
