"""The sandbox as WeChat Pay's own SDK sees it: ``wechatpayv3`` 2.0.4, unmodified but for its
base URL, runs JSAPI prepay, queries by both ids, close, refunds, refund query, the certificate
download and notify verification against it — in public-key mode and in platform-certificate
mode. If the sandbox drifts from what real clients expect, these fail."""
from __future__ import annotations

import json
import queue
import secrets
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from wechatpayv3 import WeChatPay, WeChatPayType
from wechatpayv3.core import Core

from config.sandbox import platform_certificate, sandbox_identity
from tests.wechat.local_servers import Receiver, sandbox, serve


@pytest.fixture(scope="module")
def instance(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("sdk-sandbox")


@pytest.fixture(scope="module")
def base(instance: Path) -> Iterator[str]:
    with sandbox(instance) as url:
        yield url


@pytest.fixture(scope="module")
def ident(instance: Path, base: str) -> dict[str, str]:
    return sandbox_identity(instance)


@pytest.fixture()
def receiver() -> Iterator[tuple[Receiver, str]]:
    inbox = Receiver()
    with serve(inbox) as url:
        yield inbox, url + "/notify"


@pytest.fixture()
def mode(base: str) -> Iterator[None]:
    yield
    requests.put(f"{base}/merchant/verification", json={"mode": "public_key"}, timeout=10).raise_for_status()


def _sdk(ident: dict[str, str], base: str, notify_url: str | None = None) -> WeChatPay:
    """The SDK in WeChat Pay public-key mode, pointed at the sandbox through its gateway attribute."""
    pay = WeChatPay(wechatpay_type=WeChatPayType.MINIPROG, mchid=ident["mchid"], private_key=ident["merchant_key"],
                    cert_serial_no=ident["merchant_serial"], appid=ident["appid"], apiv3_key=ident["apiv3_key"],
                    notify_url=notify_url, public_key=ident["platform_pub"], public_key_id=ident["public_key_id"],
                    timeout=(5, 10))
    pay._core._gate_way = base
    return pay


def _order(pay: WeChatPay, total: int = 2500, openid: str = "oSandboxPayer0000000000000001") -> tuple[str, str]:
    """A JSAPI prepay through the SDK: the out_trade_no and the prepay_id the mini-program gets."""
    out_trade_no = "SDK" + uuid.uuid4().hex[:20].upper()
    code, text = pay.pay(description="点餐-测试小馆", out_trade_no=out_trade_no,
                         amount={"total": total, "currency": "CNY"}, payer={"openid": openid})
    assert code == 200, text
    prepay_id = json.loads(text)["prepay_id"]
    assert prepay_id.startswith("wx")
    return out_trade_no, prepay_id


def _confirm(base: str, pay: WeChatPay, order: tuple[str, str]) -> dict:
    """The diner pays in ``wx.requestPayment`` (the sandbox's stand-in); WeChat's view afterwards."""
    confirmed = requests.post(f"{base}/pay/confirm", json={"package": f"prepay_id={order[1]}"}, timeout=10)
    assert confirmed.json() == {"status": "SUCCESS"}
    code, text = pay.query(out_trade_no=order[0])
    assert code == 200
    return json.loads(text)


def test_jsapi_prepay_and_the_same_out_trade_no_is_the_same_order(ident, base, receiver):
    pay = _sdk(ident, base, receiver[1])
    out_trade_no = "SDK" + uuid.uuid4().hex[:20].upper()
    args = dict(description="点餐", out_trade_no=out_trade_no, amount={"total": 100}, payer={"openid": "oAbc"})
    first, second = pay.pay(**args), pay.pay(**args)
    assert first[0] == second[0] == 200 and json.loads(first[1]) == json.loads(second[1])
    code, text = pay.pay(**{**args, "amount": {"total": 101}})
    assert (code, json.loads(text)["code"]) == (403, "OUT_TRADE_NO_USED")


def test_request_payment_signed_by_the_sdk_is_what_the_phone_checks(ident, base, receiver):
    pay = _sdk(ident, base, receiver[1])
    ts, nonce, package = str(int(time.time())), secrets.token_hex(16), "prepay_id=wx123"
    pay_sign = pay.sign([ident["appid"], ts, nonce, package])
    from cryptography.hazmat.primitives import serialization

    from wechat.pay import verify
    public = serialization.load_pem_public_key(ident["merchant_pub"].encode())
    assert verify(public, f"{ident['appid']}\n{ts}\n{nonce}\n{package}\n", pay_sign)


def test_query_by_out_trade_no_then_by_transaction_id_once_paid(ident, base, receiver):
    pay = _sdk(ident, base, receiver[1])
    order = _order(pay)
    out_trade_no = order[0]
    code, text = pay.query(out_trade_no=out_trade_no)
    unpaid = json.loads(text)
    assert code == 200 and (unpaid["trade_state"], unpaid["trade_state_desc"]) == ("NOTPAY", "订单未支付")
    assert "transaction_id" not in unpaid and unpaid["mchid"] == ident["mchid"]
    paid = _confirm(base, pay, order)
    assert (paid["trade_state"], paid["trade_state_desc"]) == ("SUCCESS", "支付成功")
    assert paid["amount"]["payer_total"] == 2500
    code, text = pay.query(transaction_id=paid["transaction_id"])
    assert code == 200 and json.loads(text)["out_trade_no"] == out_trade_no
    code, text = pay.query(transaction_id="4200000000000000000000000000")
    assert (code, json.loads(text)["code"]) == (404, "ORDER_NOT_EXIST")


def test_payment_notify_verifies_and_decrypts_with_the_sdk(ident, base, receiver):
    inbox, url = receiver
    pay = _sdk(ident, base, url)
    order = _order(pay, total=1234)
    out_trade_no = order[0]
    _confirm(base, pay, order)
    headers, body = inbox.next()
    assert headers["Wechatpay-Signature-Type"] == "WECHATPAY2-SHA256-RSA2048"
    notify = pay.callback(headers, body)
    assert notify is not None, "the SDK refused the sandbox's notify"
    assert (notify["event_type"], notify["summary"], notify["resource_type"]) == (
        "TRANSACTION.SUCCESS", "支付成功", "encrypt-resource")
    txn = notify["resource"]
    assert (txn["out_trade_no"], txn["trade_state"], txn["amount"]["total"]) == (out_trade_no, "SUCCESS", 1234)
    assert (txn["mchid"], txn["appid"]) == (ident["mchid"], ident["appid"])
    tampered = body.replace(out_trade_no, out_trade_no[:-1] + "X") if out_trade_no in body else body + " "
    assert pay.callback(headers, tampered) is None


def test_close_then_the_order_can_be_neither_prepaid_nor_paid(ident, base, receiver):
    pay = _sdk(ident, base, receiver[1])
    out_trade_no, prepay_id = _order(pay)
    assert pay.close(out_trade_no)[0] == 204
    assert pay.close(out_trade_no)[0] == 204  # closing again is harmless
    code, text = pay.query(out_trade_no=out_trade_no)
    assert (json.loads(text)["trade_state"], json.loads(text)["trade_state_desc"]) == ("CLOSED", "订单已关闭")
    code, text = pay.pay(description="点餐", out_trade_no=out_trade_no, amount={"total": 2500},
                         payer={"openid": "oSandboxPayer0000000000000001"})
    assert (code, json.loads(text)["code"]) == (400, "ORDER_CLOSED")
    assert requests.post(f"{base}/pay/confirm", json={"prepay_id": prepay_id}, timeout=10).status_code == 409


def test_refunds_by_either_id_and_the_refund_query(ident, base, receiver):
    inbox, url = receiver
    pay = _sdk(ident, base, url)
    order = _order(pay, total=5000)
    out_trade_no = order[0]
    paid = _confirm(base, pay, order)
    inbox.next()  # the payment notify
    code, text = pay.refund(out_refund_no="RF1-" + out_trade_no, amount={"refund": 2000, "total": 5000,
                                                                          "currency": "CNY"},
                            out_trade_no=out_trade_no, reason="少上一道菜")
    first = json.loads(text)
    assert code == 200 and first["status"] == "PROCESSING" and first["amount"]["refund"] == 2000
    headers, body = inbox.next()
    notify = pay.callback(headers, body)
    assert (notify["event_type"], notify["summary"]) == ("REFUND.SUCCESS", "退款成功")
    resource = notify["resource"]
    assert (resource["refund_status"], resource["out_refund_no"]) == ("SUCCESS", "RF1-" + out_trade_no)
    code, text = pay.refund(out_refund_no="RF2-" + out_trade_no, amount={"refund": 3000, "total": 5000,
                                                                          "currency": "CNY"},
                            transaction_id=paid["transaction_id"])
    assert code == 200 and json.loads(text)["out_trade_no"] == out_trade_no
    code, text = pay.query_refund("RF1-" + out_trade_no)
    answer = json.loads(text)
    assert code == 200 and (answer["status"], answer["amount"]["refund"]) == ("SUCCESS", 2000)
    assert answer["transaction_id"] == paid["transaction_id"]
    code, text = pay.refund(out_refund_no="RF3-" + out_trade_no, amount={"refund": 1, "total": 5000,
                                                                          "currency": "CNY"},
                            out_trade_no=out_trade_no)
    assert (code, json.loads(text)["code"]) == (400, "INVALID_REQUEST")  # nothing left to refund
    code, text = pay.query_refund("RF-NOBODY-" + out_trade_no)
    assert (code, json.loads(text)["code"]) == (404, "RESOURCE_NOT_EXISTS")
    code, text = pay.query(out_trade_no=out_trade_no)
    assert (json.loads(text)["trade_state"], json.loads(text)["trade_state_desc"]) == ("REFUND", "转入退款")


def test_mchid_is_checked_on_every_route(ident, base, receiver):
    pay = _sdk(ident, base, receiver[1])
    out_trade_no, _ = _order(pay)
    for code, text in (pay.query(out_trade_no=out_trade_no, mchid="1900000001"),
                       pay.close(out_trade_no, mchid="1900000001"),
                       pay.pay(description="点餐", out_trade_no="SDK" + uuid.uuid4().hex[:12], amount={"total": 1},
                               payer={"openid": "oAbc"}, mchid="1900000001")):
        assert (code, json.loads(text)["code"]) == (400, "MCH_NOT_EXISTS")
    stranger = WeChatPay(wechatpay_type=WeChatPayType.MINIPROG, mchid="1900000001", private_key=ident["merchant_key"],
                         cert_serial_no=ident["merchant_serial"], appid=ident["appid"], apiv3_key=ident["apiv3_key"],
                         public_key=ident["platform_pub"], public_key_id=ident["public_key_id"])
    stranger._core._gate_way = base
    code, text = stranger.query_refund("RF-anything")
    assert (code, json.loads(text)["code"]) == (400, "MCH_NOT_EXISTS")


def test_signatures_are_checked_over_the_path_the_client_signs(ident, base):
    """A client whose base is ``…/wechat-sandbox`` signs ``/v3/…``; a signature over the mounted
    path, or by another key, is refused like WeChat refuses it."""
    from wechatpayv3.utils import build_authorization, load_private_key

    path = f"/v3/pay/transactions/out-trade-no/NOPE123456?mchid={ident['mchid']}"
    key = load_private_key(ident["merchant_key"])
    for signed_path, status in ((path, 404), ("/wechat-sandbox" + path, 401)):
        auth = build_authorization(signed_path, "GET", ident["mchid"], ident["merchant_serial"], key)
        r = requests.get(base + path, headers={"Authorization": auth, "Accept": "application/json"}, timeout=10)
        assert r.status_code == status, r.text
        assert r.headers["Wechatpay-Signature-Type"] == "WECHATPAY2-SHA256-RSA2048"
    r = requests.get(base + path, headers={"Authorization": "WECHATPAY2-SHA256-RSA2048 mchid=\"1\""}, timeout=10)
    assert r.status_code == 400 and r.json()["code"] == "MCH_NOT_EXISTS"
    r = requests.get(base + path, timeout=10)
    assert r.status_code == 401 and r.json()["code"] == "SIGN_ERROR"


def test_a_notify_is_retried_on_the_compressed_schedule_until_acknowledged(ident, base):
    inbox = Receiver(fail_first=2)
    with serve(inbox) as url:
        pay = _sdk(ident, base, url + "/notify")
        order = _order(pay)
        out_trade_no = order[0]
        _confirm(base, pay, order)
        for _ in range(3):
            headers, body = inbox.next()
            assert pay.callback(headers, body)["resource"]["out_trade_no"] == out_trade_no  # each signed afresh
        # WeChat waits 15 s then 15 s; the sandbox a sixtieth of that (timed as they arrived)
        first, second, third = inbox.arrived
        assert 0.2 <= second - first < 5 and 0.2 <= third - second < 5
        with pytest.raises(queue.Empty):  # acknowledged: no fourth attempt
            inbox.next(timeout=1.5)


def test_platform_certificate_mode_downloads_and_uses_the_certificate(ident, base, receiver, mode, tmp_path,
                                                                      monkeypatch):
    """A merchant still on platform certificates: the SDK, given no public key, downloads
    ``/v3/certificates`` in its constructor, decrypts it with the APIv3 key, and then verifies
    answers and notifies by the certificate's serial."""
    inbox, url = receiver
    assert requests.put(f"{base}/merchant/verification", json={"mode": "platform_certificate"},
                        timeout=10).json() == {"mode": "platform_certificate"}
    # The constructor downloads before any attribute can be set on the instance, so the base URL
    # is set on the class for this test: still only the gateway, nothing else of the SDK.
    monkeypatch.setattr(Core, "_gate_way", property(lambda self: base, lambda self, value: None), raising=False)
    pay = WeChatPay(wechatpay_type=WeChatPayType.MINIPROG, mchid=ident["mchid"], private_key=ident["merchant_key"],
                    cert_serial_no=ident["merchant_serial"], appid=ident["appid"], apiv3_key=ident["apiv3_key"],
                    notify_url=url, cert_dir=str(tmp_path / "certs"))
    pem, serial, _ = platform_certificate(ident)
    assert [format(c.serial_number, "X") for c in pay._core._certificates] == [serial]
    assert (tmp_path / "certs" / f"{serial}.pem").read_text() == pem
    order = _order(pay)  # the SDK verified the answer with the certificate
    _confirm(base, pay, order)
    headers, body = inbox.next()
    assert headers["Wechatpay-Serial"] == serial
    assert pay.callback(headers, body)["resource"]["trade_state"] == "SUCCESS"


def test_the_sdk_works_against_the_products_own_sandbox_behind_gunicorn(app, live_server):
    """The same SDK at ``{PUBLIC_BASE_URL}/wechat-sandbox`` of the running product (gunicorn, gevent)."""
    ident = sandbox_identity(Path(app.config["INSTANCE_PATH"]))
    pay = _sdk(ident, f"{live_server}/wechat-sandbox", "http://127.0.0.1:9/notify")
    out_trade_no, _ = _order(pay, total=990)
    code, text = pay.query(out_trade_no=out_trade_no)
    assert code == 200 and json.loads(text)["amount"]["total"] == 990
    assert pay.close(out_trade_no)[0] == 204
