"""The sandbox as an Alipay SDK sees it: ``python-alipay-sdk``, unmodified but for its gateway URL,
runs face-to-face pay (bar code: at once, and waiting for the password), query, cancel and refund
against it over HTTP, and verifies every answer's RSA2 signature with Alipay's public key. If the
sandbox drifts from what real clients expect, these fail."""
from __future__ import annotations

import time
import uuid

import pytest
import requests
from alipay import AliPay
from alipay.exceptions import AliPayException, AliPayValidationError

from config.sandbox import _pem_pair
from tests.alipay.conftest import Sandbox


def _sdk(sandbox: Sandbox, app_key: str | None = None, alipay_pub: str | None = None,
         appid: str | None = None) -> AliPay:
    sdk = AliPay(appid=appid or sandbox.ident["appid"], app_private_key_string=app_key or sandbox.ident["app_key"],
                 alipay_public_key_string=alipay_pub or sandbox.ident["alipay_pub"], sign_type="RSA2")
    sdk._gateway = sandbox.gateway  # the one change: where the gateway is
    return sdk


def _no() -> str:
    return "DC9-" + uuid.uuid4().hex[:20].upper()


def _pay(sdk: AliPay, out_trade_no: str, auth_code: str, amount: str = "12.50") -> dict:
    return sdk.api_alipay_trade_pay(out_trade_no=out_trade_no, scene="bar_code", auth_code=auth_code,
                                    subject="点餐-测试小馆", total_amount=amount)


def test_a_bar_code_without_password_pays_at_once(sandbox):
    sdk, no = _sdk(sandbox), _no()
    paid = _pay(sdk, no, sandbox.paycode("alice"))
    assert (paid["code"], paid["msg"], paid["out_trade_no"]) == ("10000", "Success", no)
    assert paid["total_amount"] == paid["receipt_amount"] == "12.50" and paid["trade_no"]
    assert paid["buyer_user_id"].startswith("2088") and len(paid["buyer_user_id"]) == 16
    found = sdk.api_alipay_trade_query(out_trade_no=no)
    assert (found["code"], found["trade_status"], found["total_amount"]) == ("10000", "TRADE_SUCCESS", "12.50")
    assert sdk.api_alipay_trade_query(trade_no=paid["trade_no"])["out_trade_no"] == no


def test_the_password_wait_ends_when_the_payer_confirms(sandbox):
    sdk, no, code = _sdk(sandbox), _no(), sandbox.paycode("bob", password=True)
    waiting = _pay(sdk, no, code, "88.88")
    assert waiting["code"] == "10003" and waiting["msg"].strip() == "order success pay inprocess"
    assert waiting["receipt_amount"] == "0.00"
    assert sdk.api_alipay_trade_query(out_trade_no=no)["trade_status"] == "WAIT_BUYER_PAY"
    assert sandbox.confirm(code).json()["trade_status"] == "TRADE_SUCCESS"
    found = sdk.api_alipay_trade_query(out_trade_no=no)
    assert (found["trade_status"], found["buyer_pay_amount"]) == ("TRADE_SUCCESS", "88.88") and found["send_pay_date"]


def test_a_waiting_trade_closes_when_the_payer_is_too_slow(sandbox, short_wait):
    sdk, no, code = _sdk(sandbox), _no(), sandbox.paycode("carol", password=True)
    assert _pay(sdk, no, code)["code"] == "10003"
    time.sleep(short_wait + 0.2)  # the sandbox's clock itself is what is waited on
    assert sdk.api_alipay_trade_query(out_trade_no=no)["trade_status"] == "TRADE_CLOSED"
    late = sandbox.confirm(code)
    assert (late.status_code, late.json()["error"]["code"]) == (409, "invalid_state")


def test_cancel_while_waiting_closes_the_trade_and_the_payer_cannot_pay_it(sandbox):
    sdk, no, code = _sdk(sandbox), _no(), sandbox.paycode("dan", password=True)
    _pay(sdk, no, code)
    cancelled = sdk.api_alipay_trade_cancel(out_trade_no=no)
    assert (cancelled["code"], cancelled["action"], cancelled["retry_flag"]) == ("10000", "close", "N")
    assert sdk.api_alipay_trade_cancel(out_trade_no=no)["action"] == "close"  # again: the same answer
    assert sdk.api_alipay_trade_query(out_trade_no=no)["trade_status"] == "TRADE_CLOSED"
    assert sandbox.confirm(code).status_code == 409


def test_cancel_after_payment_gives_the_money_back(sandbox):
    sdk, no = _sdk(sandbox), _no()
    _pay(sdk, no, sandbox.paycode())
    cancelled = sdk.api_alipay_trade_cancel(out_trade_no=no)
    assert (cancelled["code"], cancelled["action"]) == ("10000", "refund") and cancelled["gmt_refund_pay"]
    assert sdk.api_alipay_trade_query(out_trade_no=no)["trade_status"] == "TRADE_CLOSED"


def test_cancelling_an_unknown_out_trade_no_closes_it_for_a_late_payment(sandbox):
    sdk, no = _sdk(sandbox), _no()
    cancelled = sdk.api_alipay_trade_cancel(out_trade_no=no)
    assert (cancelled["code"], cancelled["retry_flag"]) == ("10000", "N") and "action" not in cancelled
    late = _pay(sdk, no, sandbox.paycode())
    assert (late["code"], late["sub_code"]) == ("40004", "ACQ.TRADE_HAS_CLOSE")
    assert sdk.api_alipay_trade_query(out_trade_no=no)["sub_code"] == "ACQ.TRADE_NOT_EXIST"


def test_business_failures_carry_alipays_sub_codes(sandbox):
    sdk, no = _sdk(sandbox), _no()
    code = sandbox.paycode()
    assert _pay(sdk, no, "28" + "0" * 16)["sub_code"] == "ACQ.PAYMENT_AUTH_CODE_INVALID"
    assert _pay(sdk, no, code)["code"] == "10000"
    again = _pay(sdk, no, code)
    assert (again["code"], again["msg"], again["sub_code"]) == ("40004", "Business Failed", "ACQ.TRADE_HAS_SUCCESS")
    assert _pay(sdk, _no(), code)["sub_code"] == "ACQ.PAYMENT_AUTH_CODE_INVALID"  # a code pays once
    assert _pay(sdk, _no(), sandbox.paycode(), "12.345")["sub_code"] == "ACQ.INVALID_PARAMETER"
    missing = sdk.api_alipay_trade_query(out_trade_no=_no())
    assert (missing["code"], missing["sub_code"], missing["sub_msg"]) == ("40004", "ACQ.TRADE_NOT_EXIST", "交易不存在")


def test_refunds_are_idempotent_by_out_request_no_and_never_exceed_the_payment(sandbox):
    sdk, no = _sdk(sandbox), _no()
    _pay(sdk, no, sandbox.paycode(), "30.00")
    first = sdk.api_alipay_trade_refund(refund_amount="10.00", out_trade_no=no, out_request_no="R1")
    again = sdk.api_alipay_trade_refund(refund_amount="10.00", out_trade_no=no, out_request_no="R1")
    assert (first["code"], first["fund_change"], first["refund_fee"]) == ("10000", "Y", "10.00")
    assert (again["code"], again["fund_change"], again["refund_fee"]) == ("10000", "N", "10.00")
    over = sdk.api_alipay_trade_refund(refund_amount="20.01", out_trade_no=no, out_request_no="R2")
    assert over["sub_code"] == "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL"
    rest = sdk.api_alipay_trade_refund(refund_amount="20.00", out_trade_no=no, out_request_no="R2")
    assert (rest["fund_change"], rest["refund_fee"]) == ("Y", "30.00")
    assert sdk.api_alipay_trade_query(out_trade_no=no)["trade_status"] == "TRADE_CLOSED"  # refunded in full
    assert sdk.api_alipay_trade_cancel(out_trade_no=no)["sub_code"] == "ACQ.REASON_TRADE_REFUND_FEE_ERR"


def test_a_refund_of_an_unpaid_trade_is_refused(sandbox):
    sdk, no = _sdk(sandbox), _no()
    _pay(sdk, no, sandbox.paycode(password=True))
    assert sdk.api_alipay_trade_refund(refund_amount="1.00", out_trade_no=no)["sub_code"] == "ACQ.TRADE_STATUS_ERROR"


def test_a_request_signed_with_another_key_is_refused(sandbox):
    stranger_key, _ = _pem_pair()
    refused = _sdk(sandbox, app_key=stranger_key).api_alipay_trade_query(out_trade_no=_no())
    assert (refused["code"], refused["sub_code"]) == ("40002", "isv.invalid-signature")


def test_a_request_changed_after_signing_is_refused(sandbox):
    sdk, no = _sdk(sandbox), _no()
    signed = sdk.sign_data(sdk.build_body("alipay.trade.query", {"out_trade_no": no}))
    tampered = signed.replace(no, _no())
    body = requests.post(sandbox.gateway, data=tampered, timeout=10,
                         headers={"Content-Type": "application/x-www-form-urlencoded"}).text
    assert '"sub_code":"isv.invalid-signature"' in body
    ok = requests.post(sandbox.gateway, data=signed, timeout=10,
                       headers={"Content-Type": "application/x-www-form-urlencoded"}).text
    assert '"sub_code":"ACQ.TRADE_NOT_EXIST"' in ok  # the same request untouched gets through


def test_answers_verify_only_with_alipays_key(sandbox):
    _, stranger_pub = _pem_pair()
    with pytest.raises(AliPayValidationError):
        _sdk(sandbox, alipay_pub=stranger_pub).api_alipay_trade_query(out_trade_no=_no())


def test_an_unknown_app_gets_an_unsigned_error_response(sandbox):
    with pytest.raises(AliPayException) as raised:
        _sdk(sandbox, appid="9021000000000000").api_alipay_trade_query(out_trade_no=_no())
    assert "code:40002" in str(raised.value) and "isv.invalid-app-id" in str(raised.value)


@pytest.mark.parametrize("shift_hours, refused", [(8, False), (-8, False), (0, False), (-49, True), (49, True)])
def test_the_timestamp_is_checked_for_format_and_a_day_either_way(sandbox, shift_hours, refused):
    """Alipay reads it as Beijing time but takes it from callers in any zone; a day off is refused."""
    from datetime import datetime, timedelta

    sdk = _sdk(sandbox)
    data = sdk.build_body("alipay.trade.query", {"out_trade_no": _no()})
    data["timestamp"] = (datetime.now() + timedelta(hours=shift_hours)).strftime("%Y-%m-%d %H:%M:%S")
    body = requests.post(sandbox.gateway, data=sdk.sign_data(data), timeout=10,
                         headers={"Content-Type": "application/x-www-form-urlencoded"}).text
    assert ('"sub_code":"isv.invalid-timestamp"' in body) is refused
    garbled = sdk.build_body("alipay.trade.query", {"out_trade_no": _no()})
    garbled["timestamp"] = "2026/12/03 12:00"
    assert "isv.invalid-timestamp" in requests.post(sandbox.gateway, data=sdk.sign_data(garbled), timeout=10,
                                                    headers={"Content-Type": "application/x-www-form-urlencoded"}).text
