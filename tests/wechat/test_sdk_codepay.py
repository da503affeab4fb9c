"""Payment codes as WeChat Pay's own SDK sees them: ``wechatpayv3`` 2.0.4, unmodified but for its
base URL, charges a payment code (``pay`` with ``WeChatPayType.CODEPAY``), queries it by both ids,
reverses it (``codepay_reverse``) and refunds it against the sandbox. If the sandbox's codepay
drifts from what real clients expect (paths, signatures, shapes, statuses), these fail."""
from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from wechatpayv3 import WeChatPay, WeChatPayType

from config.sandbox import sandbox_identity
from tests.wechat.local_servers import sandbox


@pytest.fixture(scope="module")
def instance(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("sdk-codepay")


@pytest.fixture(scope="module")
def base(instance: Path) -> Iterator[str]:
    with sandbox(instance) as url:
        yield url


@pytest.fixture(scope="module")
def pay(instance: Path, base: str) -> WeChatPay:
    ident = sandbox_identity(instance)
    sdk = WeChatPay(wechatpay_type=WeChatPayType.CODEPAY, mchid=ident["mchid"], private_key=ident["merchant_key"],
                    cert_serial_no=ident["merchant_serial"], appid=ident["appid"], apiv3_key=ident["apiv3_key"],
                    public_key=ident["platform_pub"], public_key_id=ident["public_key_id"], timeout=(5, 10))
    sdk._core._gate_way = base
    return sdk


def _code(base: str, password: bool = False, **faults: object) -> str:
    r = requests.post(f"{base}/paycode", json={"user": "sdk-payer", "password": password, "faults": faults},
                      timeout=10)
    assert r.status_code == 200
    code = r.json()["auth_code"]
    assert len(code) == 18 and code.isdigit() and "10" <= code[:2] <= "15"
    return code


def _charge(pay: WeChatPay, code: str, total: int = 1800, out_trade_no: str | None = None) -> tuple[str, int, dict]:
    out_trade_no = out_trade_no or "SDKC" + uuid.uuid4().hex[:20].upper()
    status, text = pay.pay(description="点餐-测试小馆", out_trade_no=out_trade_no,
                           amount={"total": total, "currency": "CNY"}, payer={"auth_code": code},
                           scene_info={"device_id": "pos-1", "store_info": {"id": "0001"}},
                           pay_type=WeChatPayType.CODEPAY)
    return out_trade_no, status, json.loads(text) if text else {}


def test_a_code_without_password_is_paid_at_once_and_queried_by_both_ids(pay, base):
    out_trade_no, status, txn = _charge(pay, _code(base))
    assert status == 200, txn  # the SDK verified the answer's signature
    assert txn["trade_type"] == "MICROPAY" and txn["trade_state"] == "SUCCESS"
    assert txn["amount"]["total"] == 1800 and txn["mchid"] == pay._mchid and txn["appid"] == pay._appid
    status, text = pay.query(out_trade_no=out_trade_no)
    assert status == 200 and json.loads(text)["trade_state"] == "SUCCESS"
    status, text = pay.query(transaction_id=txn["transaction_id"])
    assert status == 200 and json.loads(text)["out_trade_no"] == out_trade_no


def test_the_same_out_trade_no_again_is_the_same_trade_and_a_used_code_is_refused(pay, base):
    code = _code(base)
    out_trade_no, _, first = _charge(pay, code)
    _, status, again = _charge(pay, code, out_trade_no=out_trade_no)
    assert status == 200 and again["transaction_id"] == first["transaction_id"]
    _, status, other = _charge(pay, code)  # the same code for another trade
    assert status == 403 and other["code"] == "TRADE_ERROR"
    _, status, changed = _charge(pay, _code(base), out_trade_no=out_trade_no)
    assert status == 403 and changed["code"] == "OUT_TRADE_NO_USED"


def test_password_the_trade_waits_in_userpaying_until_confirmed(pay, base):
    code = _code(base, password=True)
    out_trade_no, status, answer = _charge(pay, code)
    assert status == 202 and answer["code"] == "USERPAYING"
    status, text = pay.query(out_trade_no=out_trade_no)
    assert json.loads(text)["trade_state"] == "USERPAYING"
    status, text = pay.codepay_reverse(out_trade_no=out_trade_no)  # refused while the payer types: call again
    assert status == 403 and json.loads(text)["code"] == "USERPAYING"
    assert requests.post(f"{base}/pay/confirm", json={"auth_code": code}, timeout=10).json() == {"status": "SUCCESS"}
    status, text = pay.query(out_trade_no=out_trade_no)
    assert json.loads(text)["trade_state"] == "SUCCESS"


def test_reverse_closes_an_unpaid_trade_for_good_and_gives_a_paid_one_back(pay, base):
    code = _code(base, password=True, password_seconds=0.5)
    out_trade_no, status, _ = _charge(pay, code)
    assert status == 202
    time.sleep(0.7)
    status, text = pay.query(out_trade_no=out_trade_no)
    assert json.loads(text)["trade_state"] == "PAYERROR"  # the payer's time ran out
    status, text = pay.codepay_reverse(out_trade_no=out_trade_no)
    assert status == 200 and json.loads(text) == {"appid": pay._appid, "mchid": pay._mchid,
                                                  "out_trade_no": out_trade_no}
    assert requests.post(f"{base}/pay/confirm", json={"auth_code": code}, timeout=10).status_code == 409
    status, text = pay.query(out_trade_no=out_trade_no)
    assert json.loads(text)["trade_state"] == "REVOKED"
    paid_no, status, _ = _charge(pay, _code(base))
    status, _ = pay.codepay_reverse(out_trade_no=paid_no)
    assert status == 200
    assert json.loads(pay.query(out_trade_no=paid_no)[1])["trade_state"] == "REVOKED"
    status, text = pay.codepay_reverse(out_trade_no="NOSUCH" + uuid.uuid4().hex[:10])
    assert status == 404 and json.loads(text)["code"] == "ORDER_NOT_EXIST"


def test_a_paid_code_is_refunded_like_any_trade(pay, base):
    out_trade_no, _, txn = _charge(pay, _code(base), total=2600)
    status, text = pay.refund(out_refund_no="RFC" + uuid.uuid4().hex[:16], amount={"refund": 600, "total": 2600,
                                                                                    "currency": "CNY"},
                              out_trade_no=out_trade_no, reason="少一道菜")
    assert status == 200 and json.loads(text)["amount"]["refund"] == 600
    assert json.loads(pay.query(out_trade_no=out_trade_no)[1])["trade_state"] == "REFUND"
