"""Money back at the till: a dish returned after the check was paid is refunded (cash out of the
drawer, counted by the shift), then voided, and the table can be cleared; a void the refund does
not cover is still refused."""
from __future__ import annotations

import uuid

from tests.helpers import auth, make_item, make_staff, make_store, make_table, staff_token


def key() -> str:
    return uuid.uuid4().hex


def _setup(client):
    store = make_store()
    make_staff(store, "cashier", username="cash", password="cash-pass-1")
    token = staff_token(client, store, "cash", "cash-pass-1")
    fish, beer = make_item(store, name="烤鱼", price=10_000), make_item(store, name="啤酒", price=1200)
    table = make_table(store)
    r = client.post("/api/v1/pos/orders", headers=auth(token), json={
        "client_key": key(), "table_id": table.id, "items": [{"item_id": fish.id, "qty": 1},
                                                             {"item_id": beer.id, "qty": 1}]})
    assert r.status_code == 201, r.get_json()
    order = r.get_json()["order"]
    return token, order, order["table_session_id"]


def _pay_cash(client, token, sid, tendered):
    r = client.post(f"/api/v1/table-sessions/{sid}/payments/offline", headers=auth(token),
                    json={"client_key": key(), "channel": "cash", "tendered": tendered})
    assert r.status_code == 201, r.get_json()
    return r.get_json()["payment"]


def _check(client, token, sid):
    return client.get(f"/api/v1/table-sessions/{sid}", headers=auth(token)).get_json()["session"]


def _void(client, token, order, name):
    line = next(i for i in order["items"] if i["name"] == name)
    return client.post(f"/api/v1/orders/{order['id']}/items/{line['id']}/cancel", headers=auth(token),
                       json={"reason": "顾客退回"})


def test_a_returned_dish_is_refunded_in_cash_then_voided_and_the_table_clears(client):
    token, order, sid = _setup(client)
    client.post("/api/v1/shifts", json={"opening_cash": 10_000, "client_key": key()}, headers=auth(token))
    payment = _pay_cash(client, token, sid, 20_000)
    assert _void(client, token, order, "啤酒").status_code == 409  # paid: refund first
    r = client.post(f"/api/v1/payments/{payment['id']}/refunds", headers=auth(token),
                    json={"client_key": key(), "amount": 1200, "reason": "啤酒退回"})
    assert r.status_code == 201 and r.get_json()["refund"]["status"] == "success"
    check = _check(client, token, sid)
    assert (check["total"], check["paid"], check["due"]) == (11_200, 10_000, 1200)
    assert check["payments"][0]["refunded"] == 1200
    r = _void(client, token, order, "啤酒")
    assert r.status_code == 200, r.get_json()
    check = _check(client, token, sid)
    assert (check["total"], check["paid"], check["due"]) == (10_000, 10_000, 0)
    assert client.post(f"/api/v1/table-sessions/{sid}/close", headers=auth(token)).status_code == 200
    drawer = client.get("/api/v1/shifts/current", headers=auth(token)).get_json()["shift"]["drawer"]
    assert drawer == {"opening": 10_000, "cash_taken": 20_000, "change_given": 8800, "cash_refunded": 1200,
                      "expected": 20_000}


def test_a_void_the_refund_does_not_cover_is_refused(client):
    token, order, sid = _setup(client)
    payment = _pay_cash(client, token, sid, 11_200)
    r = client.post(f"/api/v1/payments/{payment['id']}/refunds", headers=auth(token),
                    json={"client_key": key(), "amount": 500, "reason": "少了一份"})
    assert r.status_code == 201
    r = _void(client, token, order, "啤酒")  # ¥12 off a check that kept ¥107 of ¥112: under what was paid
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "invalid_state"
    assert _check(client, token, sid)["total"] == 11_200
