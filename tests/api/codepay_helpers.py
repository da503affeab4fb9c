"""Shared by the payment-code tests: a check to pay, the payer's code, following a payment."""
from __future__ import annotations

import time
import uuid
from typing import Any

import requests

from tests.helpers import auth, make_item, make_staff, make_store, make_table, staff_token


def key() -> str:
    return uuid.uuid4().hex


def paycode(base: str, password: bool = False, **faults: Any) -> str:
    """A payment code as the payer's WeChat shows it (the sandbox's stand-in)."""
    r = requests.post(f"{base}/wechat-sandbox/paycode", json={"user": "payer-" + key()[:8], "password": password,
                                                               "faults": faults}, timeout=10)
    assert r.status_code == 200, r.text
    return r.json()["auth_code"]


def confirm(base: str, auth_code: str) -> requests.Response:
    """The payer enters the password on the phone."""
    return requests.post(f"{base}/wechat-sandbox/pay/confirm", json={"auth_code": auth_code}, timeout=10)


def setup_check(client: Any, price: int = 5000, qty: int = 1) -> tuple[Any, str, int]:
    """A store with a cashier and a table whose check owes ``price * qty``: (store, token, check id)."""
    store = make_store()
    make_staff(store, "cashier", username="cash", password="cash-pass-1")
    item = make_item(store, name="烤鱼", price=price)
    table = make_table(store)
    token = staff_token(client, store, "cash", "cash-pass-1")
    r = client.post("/api/v1/pos/orders", headers=auth(token), json={
        "client_key": key(), "table_id": table.id, "items": [{"item_id": item.id, "qty": qty}]})
    assert r.status_code == 201, r.get_json()
    return store, token, r.get_json()["order"]["table_session_id"]


def follow(fetch: Any, payment_id: int, until: set[str], timeout: float = 15,
           reversal: bool = False) -> dict[str, Any]:
    """``fetch(payment_id)`` (a GET of the payment) until its status is in ``until`` (and, with
    ``reversal``, until its reversal is no longer pending)."""
    deadline = time.monotonic() + timeout
    while True:
        payment = fetch(payment_id)
        if payment["status"] in until and not (reversal and payment.get("reversal") == "pending"):
            return payment
        assert time.monotonic() < deadline, payment
        time.sleep(0.1)
