"""The app's Alipay client (``alipay_open.client.AlipayCodeProvider``) against the sandbox over HTTP:
what each answer means for a payment, when a payment may be credited, and the transport's retries."""
from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

import pytest

from alipay_open.client import AlipayCodeProvider, AlipayConfig
from config.sandbox import _pem_pair
from domain.codepay import channel_of, creditable
from tests.alipay.conftest import Sandbox
from tests.wechat.local_servers import IdleKiller


def _provider(sandbox: Sandbox, gateway: str | None = None, alipay_pub: str | None = None) -> AlipayCodeProvider:
    return AlipayCodeProvider(AlipayConfig(
        appid=sandbox.ident["appid"], seller_id=sandbox.ident["seller_id"], gateway=gateway or sandbox.gateway,
        app_private_key_pem=sandbox.ident["app_key"], alipay_public_key_pem=alipay_pub or sandbox.ident["alipay_pub"]))


def _no() -> str:
    return "DC7-" + uuid.uuid4().hex[:20].upper()


def test_sandbox_codes_are_alipay_codes(sandbox):
    assert channel_of(sandbox.paycode()) == "alipay_code"
    assert channel_of(sandbox.paycode(password=True)) == "alipay_code"


def test_a_code_without_password_pays_and_the_query_credits_it(sandbox):
    pay, no = _provider(sandbox), _no()
    answer = pay.pay(no, sandbox.paycode(), 1250, "点餐 A3")
    assert (answer.state, answer.amount, answer.out_trade_no) == ("paid", 1250, no) and answer.transaction_id
    found = pay.query(no)
    assert found.state == "paid" and found.transaction_id == answer.transaction_id
    assert creditable(found, no, 1250, sandbox.ident["seller_id"], sandbox.ident["appid"])
    assert not creditable(found, no, 1251, pay.merchant, pay.app)  # the amount Alipay names must be ours
    assert not creditable(found, _no(), 1250, pay.merchant, pay.app)
    assert not creditable(found, no, 1250, "2088000000000000", pay.app)


def test_a_code_with_password_is_paying_until_the_payer_confirms(sandbox):
    pay, no, code = _provider(sandbox), _no(), sandbox.paycode("bob", password=True)
    assert pay.pay(no, code, 800, "点餐").state == "paying"
    waiting = pay.query(no)
    assert waiting.state == "paying" and not creditable(waiting, no, 800, pay.merchant, pay.app)
    sandbox.confirm(code)
    assert creditable(pay.query(no), no, 800, pay.merchant, pay.app)


def test_refused_codes_fail_with_alipays_reason(sandbox):
    pay = _provider(sandbox)
    failed = pay.pay(_no(), "28" + "1" * 16, 100, "点餐")
    assert (failed.state, failed.code) == ("failed", "ACQ.PAYMENT_AUTH_CODE_INVALID") and failed.message


def test_paying_an_out_trade_no_already_paid_is_unknown_until_queried(sandbox):
    pay, no, code = _provider(sandbox), _no(), sandbox.paycode()
    assert pay.pay(no, code, 100, "点餐").state == "paid"
    again = pay.pay(no, code, 100, "点餐")
    assert (again.state, again.code) == ("unknown", "ACQ.TRADE_HAS_SUCCESS")
    assert pay.query(no).state == "paid"


def test_reverse_while_waiting_closes_and_a_late_confirm_takes_no_money(sandbox):
    pay, no, code = _provider(sandbox), _no(), sandbox.paycode(password=True)
    pay.pay(no, code, 500, "点餐")
    reversed_ = pay.reverse(no)
    assert (reversed_.done, reversed_.code) == (True, "close")
    assert sandbox.confirm(code).status_code == 409
    closed = pay.query(no)
    assert (closed.state, closed.code) == ("failed", "TRADE_CLOSED")


def test_reverse_after_success_refunds_and_the_query_says_closed(sandbox):
    pay, no = _provider(sandbox), _no()
    pay.pay(no, sandbox.paycode(), 500, "点餐")
    assert pay.reverse(no).code == "refund"
    assert pay.query(no).state == "failed"


def test_reverse_of_an_unknown_trade_closes_its_out_trade_no(sandbox):
    pay, no = _provider(sandbox), _no()
    assert pay.reverse(no).done
    assert pay.query(no).state == "unknown"  # never a trade: nothing to believe either way
    late = pay.pay(no, sandbox.paycode(), 500, "点餐")
    assert (late.state, late.code) == ("failed", "ACQ.TRADE_HAS_CLOSE")


def test_the_timeout_closes_a_waiting_payment(sandbox, short_wait):
    import time

    pay, no = _provider(sandbox), _no()
    pay.pay(no, sandbox.paycode(password=True), 500, "点餐")
    time.sleep(short_wait + 0.2)  # the sandbox's clock itself is what is waited on
    assert pay.query(no).state == "failed"


def test_a_refund_asked_twice_refunds_once(sandbox):
    pay, no = _provider(sandbox), _no()
    pay.pay(no, sandbox.paycode(), 3000, "点餐")
    assert pay.refund(no, "RF-" + no, 1000, 3000, "菜品售罄")
    assert pay.refund(no, "RF-" + no, 1000, 3000, "菜品售罄")
    assert not pay.refund(no, "RF2-" + no, 2001, 3000, "多退")  # beyond what is left
    state = Path(sandbox.app.config["INSTANCE_PATH"]) / "alipay-sandbox" / "state.db"
    with sqlite3.connect(state) as conn:
        assert conn.execute("SELECT refunded FROM trades WHERE out_trade_no = ?", (no,)).fetchone() == (1000,)


def test_an_answer_not_signed_by_our_apps_alipay_key_is_never_believed(sandbox):
    no = _no()
    _provider(sandbox).pay(no, sandbox.paycode(), 700, "点餐")
    _, stranger_pub = _pem_pair()
    forged = _provider(sandbox, alipay_pub=stranger_pub).query(no)
    assert forged.state == "unknown" and (forged.app, forged.merchant, forged.amount) == (None, None, None)
    assert not creditable(forged, no, 700, forged.merchant or "", forged.app or "")


def test_no_gateway_means_unknown_never_failed(sandbox):
    pay = _provider(sandbox, gateway="http://127.0.0.1:9/gateway.do")  # nothing listens on port 9
    assert pay.pay(_no(), sandbox.paycode(), 100, "点餐").state == "unknown"
    assert pay.query(_no()).state == "unknown"
    assert pay.reverse(_no()) == pay.reverse(_no()) and pay.reverse(_no()).retry


def test_connections_closed_between_calls_cost_no_call(sandbox):
    """The gateway closes each kept-alive connection as it is reused: every call still gets through,
    the pay included (it never reached Alipay, so sending it again is safe)."""
    with IdleKiller(sandbox.url) as killer:
        pay = _provider(sandbox, gateway=f"http://127.0.0.1:{killer.port}/alipay-sandbox/gateway.do")
        no = _no()
        assert pay.query(_no()).state == "unknown" and pay.query(_no()).code == "ACQ.TRADE_NOT_EXIST"
        assert pay.pay(no, sandbox.paycode(), 100, "点餐").state == "paid"
        assert pay.query(no).state == "paid"
        assert pay.refund(no, "RF-" + no, 100, 100, "退")
        assert killer.killed >= 3


def test_a_pay_whose_answer_was_lost_is_not_sent_again(sandbox):
    """Alipay's rule for an unknown pay: query, then cancel — never pay again."""
    with IdleKiller(sandbox.url, drop_answers=1) as killer:
        pay = _provider(sandbox, gateway=f"http://127.0.0.1:{killer.port}/alipay-sandbox/gateway.do")
        no = _no()
        assert pay.pay(no, sandbox.paycode(), 100, "点餐").state == "unknown"
        assert killer.answers_dropped == 1
        assert pay.query(no).state == "paid"  # it had reached the sandbox: the query says so


@pytest.mark.parametrize("amount, text", [(1, "0.01"), (1250, "12.50"), (100000, "1000.00")])
def test_amounts_go_as_yuan_exactly(sandbox, amount, text):
    from alipay_open.client import fen, yuan

    assert yuan(amount) == text and fen(text) == amount
    assert fen("1.005") is None and fen("abc") is None


def test_a_query_naming_another_amount_is_paid_but_never_creditable(sandbox):
    pay, no = _provider(sandbox), _no()
    pay.pay(no, sandbox.paycode(query_amount=1), 900, "点餐")
    found = pay.query(no)
    assert (found.state, found.amount) == ("paid", 1)
    assert not creditable(found, no, 900, pay.merchant, pay.app)


def test_a_forged_query_answer_is_unknown(sandbox):
    pay, no = _provider(sandbox), _no()
    assert pay.pay(no, sandbox.paycode(forge_query=True), 900, "点餐").state == "paid"  # the pay answer is Alipay's
    forged = pay.query(no)
    assert forged.state == "unknown" and forged.app is None


def test_a_lost_pay_answer_is_unknown_and_the_query_finds_the_trade(sandbox):
    pay, no = _provider(sandbox), _no()
    lost = pay.pay(no, sandbox.paycode(lose_answers=1), 300, "点餐")
    assert (lost.state, lost.code) == ("unknown", "ACQ.SYSTEM_ERROR")
    assert creditable(pay.query(no), no, 300, pay.merchant, pay.app)


def test_a_cancel_that_keeps_the_money_is_seen_by_the_query_after_it(sandbox):
    pay, no = _provider(sandbox), _no()
    pay.pay(no, sandbox.paycode(success_after_cancel=True), 300, "点餐")
    assert pay.reverse(no).done
    assert pay.query(no).state == "paid"  # "query again before believing it"


def test_a_payers_own_time_limit_and_an_empty_balance(sandbox):
    import time

    pay, no = _provider(sandbox), _no()
    assert pay.pay(no, sandbox.paycode(password=True, password_seconds=0.2), 300, "点餐").state == "paying"
    time.sleep(0.4)  # the sandbox's clock itself is what is waited on
    assert pay.query(no).state == "failed"
    poor = pay.pay(_no(), sandbox.paycode(balance_not_enough=True), 300, "点餐")
    assert (poor.state, poor.code) == ("failed", "ACQ.BUYER_BALANCE_NOT_ENOUGH")


def test_faults_are_checked(sandbox):
    import requests

    for faults in ({"nope": 1}, {"query_amount": "1"}, {"lose_answers": True}, ["query_amount"]):
        r = requests.post(f"{sandbox.url}/paycode", json={"user": "x", "faults": faults}, timeout=10)
        assert r.status_code == 422, faults
