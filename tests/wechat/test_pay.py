"""WeChat Pay v3 through the sandbox: a payment is credited once, by a genuine notify only."""
from __future__ import annotations

import base64
import json
import queue
import secrets
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
import socketio
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import func, select

from config.sandbox import sandbox_identity
from models import Payment, PaymentAnomaly, TableSession, db
from tests.helpers import auth, diner_token, make_item, make_staff, make_store, make_table, order_body, staff_token
from wechat.pay import sign, verify
from wechat.sandbox.pay import notify_message

NOTIFY = "/api/v1/wechat/pay/notify"


@pytest.fixture()
def ident(app):
    return sandbox_identity(Path(app.config["INSTANCE_PATH"]))


@pytest.fixture()
def check(client, live_server):
    """A pay-later table with one order of ¥50.00 and the diner who ordered it."""
    store = make_store()
    table = make_table(store)
    item = make_item(store, price=2500)
    diner = diner_token(client, live_server)
    order = client.post("/api/v1/orders", json=order_body(table, item, qty=2), headers=auth(diner)).get_json()["order"]
    return store, table, diner, order


def _start(client, diner, session_id, key=None):
    r = client.post(f"/api/v1/table-sessions/{session_id}/payments", json={"client_key": key or uuid.uuid4().hex},
                    headers=auth(diner))
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def _transaction(app, ident, payment, **overrides):
    txn = {"appid": app.config["WECHAT_APPID"], "mchid": app.config["WECHATPAY_MCHID"],
           "out_trade_no": payment["out_trade_no"], "transaction_id": "4200" + secrets.token_hex(8),
           "trade_type": "JSAPI", "trade_state": "SUCCESS", "payer": {"openid": "o-test"},
           "amount": {"total": payment["amount"], "payer_total": payment["amount"], "currency": "CNY"}}
    for key, value in overrides.items():
        txn[key] = value
    return txn


def _paid(session_id):
    db.session.remove()
    paid = db.session.get(TableSession, session_id).paid
    db.session.commit()
    return paid


def test_request_payment_carries_a_valid_rsa_pay_sign(client, check, ident):
    _, _, diner, order = check
    started = _start(client, diner, order["table_session_id"])
    assert started["payment"]["amount"] == 5000 and started["payment"]["status"] == "paying"
    rp = started["request_payment"]
    assert rp["signType"] == "RSA" and rp["package"].startswith("prepay_id=wx")
    merchant_pub = serialization.load_pem_public_key(ident["merchant_pub"].encode())
    message = f"{rp['appId']}\n{rp['timeStamp']}\n{rp['nonceStr']}\n{rp['package']}\n"
    assert verify(merchant_pub, message, rp["paySign"])
    assert 6 <= len(started["payment"]["out_trade_no"]) <= 32
    again = _start(client, diner, order["table_session_id"], key=None)
    assert again["payment"]["out_trade_no"] != started["payment"]["out_trade_no"]


def test_the_same_client_key_is_the_same_payment(client, check):
    _, _, diner, order = check
    key = uuid.uuid4().hex
    first = _start(client, diner, order["table_session_id"], key)
    second = _start(client, diner, order["table_session_id"], key)
    assert first["payment"]["id"] == second["payment"]["id"]
    assert first["request_payment"]["package"] == second["request_payment"]["package"]


def test_a_genuine_notify_credits_once_and_replays_change_nothing(app, client, check, ident):
    _, _, diner, order = check
    payment = _start(client, diner, order["table_session_id"])["payment"]
    body, headers = notify_message(ident, "TRANSACTION.SUCCESS", "transaction", _transaction(app, ident, payment))
    assert client.post(NOTIFY, data=body, headers=headers).status_code == 204
    assert client.post(NOTIFY, data=body, headers=headers).status_code == 204  # WeChat retries: fine
    assert _paid(order["table_session_id"]) == 5000
    view = client.get(f"/api/v1/orders/{order['id']}", headers=auth(diner)).get_json()["order"]
    assert view["payment_status"] == "paid"


def _forge(ident, body_text, ts=None, key=None, serial=None):
    ts = ts or str(int(time.time()))
    nonce = secrets.token_hex(8)
    key = key or serialization.load_pem_private_key(ident["platform_key"].encode(), password=None)
    return {"Content-Type": "application/json", "Wechatpay-Timestamp": ts, "Wechatpay-Nonce": nonce,
            "Wechatpay-Serial": serial or ident["public_key_id"],
            "Wechatpay-Signature": sign(key, f"{ts}\n{nonce}\n{body_text}\n")}


@pytest.mark.parametrize("attack", ["forged", "tampered", "stale", "unknown_serial", "garbage", "no_headers"])
def test_bad_notifies_are_refused_and_credit_nothing(app, client, check, ident, attack):
    _, _, diner, order = check
    payment = _start(client, diner, order["table_session_id"])["payment"]
    body, headers = notify_message(ident, "TRANSACTION.SUCCESS", "transaction", _transaction(app, ident, payment))
    if attack == "forged":
        headers = _forge(ident, body, key=rsa.generate_private_key(public_exponent=65537, key_size=2048))
    elif attack == "tampered":
        envelope = json.loads(body)
        envelope["resource"]["ciphertext"] = base64.b64encode(b"x" * 64).decode()
        body = json.dumps(envelope)
    elif attack == "stale":
        headers = _forge(ident, body, ts=str(int(time.time()) - 3600))
    elif attack == "unknown_serial":
        headers = _forge(ident, body, serial="PUB_KEY_ID_0000")
    elif attack == "garbage":
        body = "{not json"
        headers = _forge(ident, body)
    else:
        headers = {"Content-Type": "application/json"}
    r = client.post(NOTIFY, data=body, headers=headers)
    assert r.status_code == 401 and r.get_json() == {"code": "FAIL", "message": "rejected"}
    assert _paid(order["table_session_id"]) == 0


@pytest.mark.parametrize(("field", "value", "reason"), [
    ("amount", {"total": 1, "payer_total": 1, "currency": "CNY"}, "amount"),
    ("mchid", "1999999999", "merchant"),
    ("appid", "wx0000000000000000", "app"),
    ("out_trade_no", "DC-NOT-OURS-123456", "unknown"),
])
def test_a_genuine_notify_that_does_not_match_is_kept_for_the_manager(app, client, check, ident, field, value, reason):
    store, _, diner, order = check
    payment = _start(client, diner, order["table_session_id"])["payment"]
    txn = _transaction(app, ident, payment, **{field: value})
    body, headers = notify_message(ident, "TRANSACTION.SUCCESS", "transaction", txn)
    assert client.post(NOTIFY, data=body, headers=headers).status_code == 204  # understood: no retry
    assert _paid(order["table_session_id"]) == 0
    anomalies = db.session.execute(
        select(PaymentAnomaly).where(PaymentAnomaly.out_trade_no == txn["out_trade_no"])).scalars().all()
    assert len(anomalies) == 1 and reason in anomalies[0].reason
    assert "o-test" not in json.dumps(anomalies[0].details)  # never the payer's openid
    db.session.commit()


@pytest.mark.live
def test_ten_identical_notifies_in_parallel_credit_exactly_once(app, client, live_server, check, ident):
    _, _, diner, order = check
    payment = _start(client, diner, order["table_session_id"])["payment"]
    body, headers = notify_message(ident, "TRANSACTION.SUCCESS", "transaction", _transaction(app, ident, payment))
    with ThreadPoolExecutor(10) as pool:
        codes = list(pool.map(lambda _: requests.post(live_server + NOTIFY, data=body.encode(), headers=headers,
                                                      timeout=30).status_code, range(10)))
    assert codes == [204] * 10
    assert _paid(order["table_session_id"]) == 5000
    credited = db.session.execute(select(func.count()).select_from(Payment)
                                  .where(Payment.id == payment["id"], Payment.status == "paid")).scalar()
    assert credited == 1
    db.session.commit()


def test_a_notify_before_the_prepay_answer_still_credits_once(app, client, check, ident):
    _, _, diner, order = check
    key = uuid.uuid4().hex
    payment = _start(client, diner, order["table_session_id"], key)["payment"]
    db.session.execute(Payment.__table__.update().where(Payment.id == payment["id"]).values(status="created"))
    db.session.commit()  # as if the prepay answer had not come back yet
    body, headers = notify_message(ident, "TRANSACTION.SUCCESS", "transaction", _transaction(app, ident, payment))
    assert client.post(NOTIFY, data=body, headers=headers).status_code == 204
    late = client.post(f"/api/v1/table-sessions/{order['table_session_id']}/payments", json={"client_key": key},
                       headers=auth(diner))
    assert late.status_code == 409  # the retry learns it is paid; nothing is paid twice
    assert _paid(order["table_session_id"]) == 5000


def test_pay_first_orders_reach_the_kitchen_only_once_paid(app, client, live_server, ident):
    store = make_store(pay_mode="pay_first")
    table, item = make_table(store), make_item(store, price=1800)
    make_staff(store, "cook", username="chef", password="cook-pass-1")
    cook = staff_token(client, store, "chef", "cook-pass-1")
    diner = diner_token(client, live_server)
    order = client.post("/api/v1/orders", json=order_body(table, item), headers=auth(diner)).get_json()["order"]
    assert order["status"] == "submitted"
    assert client.get("/api/v1/kds/tickets", headers=auth(cook)).get_json()["tickets"] == []
    wrong = client.post(f"/api/v1/table-sessions/{order['table_session_id']}/payments",
                        json={"client_key": uuid.uuid4().hex}, headers=auth(diner))
    assert wrong.status_code == 409  # pay first: each order is paid on its own
    r = client.post(f"/api/v1/orders/{order['id']}/payments", json={"client_key": uuid.uuid4().hex},
                    headers=auth(diner))
    payment = r.get_json()["payment"]
    body, headers = notify_message(ident, "TRANSACTION.SUCCESS", "transaction", _transaction(app, ident, payment))
    assert client.post(NOTIFY, data=body, headers=headers).status_code == 204
    tickets = client.get("/api/v1/kds/tickets", headers=auth(cook)).get_json()["tickets"]
    assert [t["order_id"] for t in tickets] == [order["id"]]
    view = client.get(f"/api/v1/orders/{order['id']}", headers=auth(diner)).get_json()["order"]
    assert (view["status"], view["payment_status"]) == ("accepted", "paid")


@pytest.mark.live
def test_paying_through_the_sandbox_sheet_marks_the_check_paid_live(client, live_server, check):
    _, table, diner, order = check
    from tests.helpers import token_of

    heard: queue.Queue = queue.Queue()
    phone = socketio.Client(reconnection=False)
    phone.on("check.updated", heard.put, namespace="/table")
    phone.connect(live_server, namespaces=["/table"], auth={"token": diner, "table_token": token_of(table)},
                  transports=["websocket"], wait_timeout=10)
    try:
        started = requests.post(f"{live_server}/api/v1/table-sessions/{order['table_session_id']}/payments",
                                json={"client_key": uuid.uuid4().hex}, headers=auth(diner), timeout=10).json()
        package = started["request_payment"]["package"]
        confirmed = requests.post(f"{live_server}/wechat-sandbox/pay/confirm", json={"package": package}, timeout=10)
        assert confirmed.json() == {"status": "SUCCESS"}
        update = heard.get(timeout=5)  # the sandbox's signed notify reached us and was credited
        assert update["session"]["paid"] == 5000 and update["session"]["due"] == 0
    finally:
        phone.disconnect()


def test_cash_for_a_check_and_never_more_than_is_due(client, check):
    store, _, _, order = check
    make_staff(store, "cashier", username="cash", password="cash-pass-1")
    cashier = staff_token(client, store, "cash", "cash-pass-1")
    url = f"/api/v1/table-sessions/{order['table_session_id']}/payments/offline"
    too_much = client.post(url, json={"client_key": uuid.uuid4().hex, "amount": 5001}, headers=auth(cashier))
    assert too_much.status_code == 422
    key = uuid.uuid4().hex
    r = client.post(url, json={"client_key": key, "amount": 2000}, headers=auth(cashier))
    assert r.status_code == 201 and r.get_json()["payment"]["status"] == "paid"
    assert client.post(url, json={"client_key": key, "amount": 2000}, headers=auth(cashier)).status_code == 201
    assert _paid(order["table_session_id"]) == 2000  # the retry did not pay twice
    client.post(url, json={"client_key": uuid.uuid4().hex, "channel": "other"}, headers=auth(cashier))
    assert _paid(order["table_session_id"]) == 5000
    assert client.post(url, json={"client_key": uuid.uuid4().hex}, headers=auth(cashier)).status_code == 409
