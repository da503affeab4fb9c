"""Paying, in-process: cash credited at once and exactly once, WeChat credited only from a matching
answer and only once, never more than the check owes. WeChat Pay is a fake put in the app's container."""
from __future__ import annotations

from typing import Any

import pytest

from domain.errors import ValidationFailed
from domain.pricing import LineRequest
from models import Payment, PaymentAnomaly, TableSession, db
from services import orders, payments
from services.diners import sign_in
from services.orders import Orderer
from tests.helpers import make_item, make_staff, make_store, make_table, token_of, unique
from wechat.pay import WechatPay


class FakePay(WechatPay):
    """WeChat Pay as the services see it: prepays, closes and answers queries from memory."""

    def __init__(self) -> None:  # no keys, no HTTP
        self.prepaid: list[tuple[str, int]] = []
        self.closed: list[str] = []

    def jsapi_prepay(self, out_trade_no: str, total: int, description: str, openid: str, notify_url: str) -> str:
        self.prepaid.append((out_trade_no, total))
        return f"wx{len(self.prepaid)}"

    def request_payment(self, prepay_id: str) -> dict[str, str]:
        return {"package": f"prepay_id={prepay_id}"}

    def close(self, out_trade_no: str) -> None:
        self.closed.append(out_trade_no)


@pytest.fixture()
def pay(app, monkeypatch) -> FakePay:  # type: ignore[no-untyped-def]
    fake = FakePay()
    monkeypatch.setitem(app.extensions, "diancan.pay", fake)
    return fake


def _check_with_a_round(price: int = 2500, qty: int = 2, diner_id: int | None = None):  # type: ignore[no-untyped-def]
    store = make_store(pay_mode="pay_later")
    table = make_table(store)
    item = make_item(store, price=price)
    who = Orderer(diner_id=diner_id) if diner_id else Orderer(staff_id=make_staff(store, "waiter").id,
                                                                staff_store_id=store.id)
    order, _ = orders.place_order(who, token_of(table), unique("k"), [LineRequest(item.id, qty, (), "")])
    return store, order.table_session_id


def _answer(app, payment: Payment, **changed: Any) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """What WeChat's query would answer for this payment, paid."""
    txn = {"out_trade_no": payment.out_trade_no, "mchid": app.config["WECHATPAY_MCHID"],
           "appid": app.config["WECHAT_APPID"], "amount": {"total": payment.amount, "currency": "CNY"},
           "trade_state": "SUCCESS", "transaction_id": unique("t")}
    return txn | changed


def test_cash_pays_what_is_due_once_and_keeps_the_change(app, emitted) -> None:  # type: ignore[no-untyped-def]
    store, check_id = _check_with_a_round()
    cashier, key = make_staff(store, "cashier"), unique("cash")
    paid = payments.record_offline_payment(store.id, cashier.id, check_id, key, "cash", tendered=10_000)
    again = payments.record_offline_payment(store.id, cashier.id, check_id, key, "cash", tendered=10_000)
    assert (paid.amount, paid.change, paid.status) == (5000, 5000, "paid")
    assert again.id == paid.id  # a retried tap takes nothing more
    assert db.session.get(TableSession, check_id).paid == 5000
    updates = [e.payload["session"] for e in emitted if e.name == "check.updated"]
    assert updates == [{"id": check_id, "total": 5000, "paid": 5000, "due": 0}]


def test_more_than_the_check_owes_is_refused_and_nothing_is_paid(app, emitted) -> None:  # type: ignore[no-untyped-def]
    store, check_id = _check_with_a_round()
    cashier = make_staff(store, "cashier")
    with pytest.raises(ValidationFailed):
        payments.record_offline_payment(store.id, cashier.id, check_id, unique("cash"), "cash", amount=5001)
    assert db.session.get(TableSession, check_id).paid == 0
    assert db.session.query(Payment).filter_by(table_session_id=check_id).count() == 0


def test_a_wechat_payment_is_credited_once_from_a_matching_answer(app, emitted, pay) -> None:  # type: ignore[no-untyped-def]
    _token, diner = sign_in(f"o{unique('u')}")
    store, check_id = _check_with_a_round(diner_id=diner.id)
    started = payments.start_wechat_payment(diner.id, unique("pay"), table_session_id=check_id)
    assert started.payment.status == "paying" and pay.prepaid == [(started.payment.out_trade_no, 5000)]
    assert started.request_payment == {"package": "prepay_id=wx1"}
    answer = _answer(app, started.payment)
    assert payments.credit_transaction(answer) is True
    assert payments.credit_transaction(answer) is False  # a second notify or query credits nothing
    assert db.session.get(TableSession, check_id).paid == 5000
    assert db.session.get(Payment, started.payment.id).status == "paid"


def test_an_answer_for_another_amount_is_kept_as_an_anomaly_and_not_credited(app, emitted, pay) -> None:  # type: ignore[no-untyped-def]
    _token, diner = sign_in(f"o{unique('u')}")
    store, check_id = _check_with_a_round(diner_id=diner.id)
    started = payments.start_wechat_payment(diner.id, unique("pay"), table_session_id=check_id)
    wrong = _answer(app, started.payment, amount={"total": 1, "currency": "CNY"})
    assert payments.credit_transaction(wrong) is False
    db.session.expire_all()
    assert db.session.get(TableSession, check_id).paid == 0
    assert db.session.get(Payment, started.payment.id).status == "paying"
    kept = db.session.query(PaymentAnomaly).filter_by(out_trade_no=started.payment.out_trade_no).all()
    assert [a.reason for a in kept] == ["amount 1 differs from 5000"]
    payments.close_in_flight(started.payment.id, started.payment.out_trade_no, give_up=True)
    assert pay.closed == [started.payment.out_trade_no]
