"""Retries that meet: the same staff order, cash payment or discount sent several times at once
(a phone resending its offline queue while the first answer is still on its way) happens once."""
from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import func, select

from models import Discount, Order, Payment, db
from tests.helpers import auth, make_item, make_staff, make_store, make_table, staff_token

pytestmark = pytest.mark.live


def _count(model, store_id):
    db.session.remove()
    n = db.session.execute(select(func.count()).select_from(model).where(model.store_id == store_id)).scalar_one()
    db.session.commit()
    return n


def _burst(url, body, token, n=6):
    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(lambda _: requests.post(url, json=body, headers=auth(token), timeout=30), range(n)))


def test_a_replayed_sale_lands_once_however_many_copies_race(client, live_server):
    store = make_store()
    table = make_table(store)
    item = make_item(store, price=2500, stock=10)
    make_staff(store, "cashier", username="cash", password="cash-pass-1")
    token = staff_token(client, store, "cash", "cash-pass-1")
    body = {"client_key": uuid.uuid4().hex, "takeaway": True, "items": [{"item_id": item.id, "qty": 2}]}
    answers = _burst(f"{live_server}/api/v1/pos/orders", body, token)
    assert sorted(r.status_code for r in answers) == [200] * 5 + [201]
    assert len({r.json()["order"]["id"] for r in answers}) == 1
    assert _count(Order, store.id) == 1
    sid = answers[0].json()["order"]["table_session_id"]
    pay = {"client_key": uuid.uuid4().hex, "channel": "cash", "tendered": 10_000}
    paid = _burst(f"{live_server}/api/v1/table-sessions/{sid}/payments/offline", pay, token)
    assert {r.status_code for r in paid} == {201}
    assert len({r.json()["payment"]["id"] for r in paid}) == 1 and paid[0].json()["payment"]["change"] == 5000
    assert _count(Payment, store.id) == 1

    order = requests.post(f"{live_server}/api/v1/pos/orders", headers=auth(token), timeout=10, json={
        "client_key": uuid.uuid4().hex, "table_id": table.id, "items": [{"item_id": item.id, "qty": 1}]}).json()
    off = {"client_key": uuid.uuid4().hex, "kind": "percent", "value": 10, "reason": "老顾客"}
    given = _burst(f"{live_server}/api/v1/table-sessions/{order['order']['table_session_id']}/discounts", off, token)
    assert {r.status_code for r in given} == {201}
    assert {r.json()["session"]["discount"] for r in given} == {250}
    assert _count(Discount, store.id) == 1
