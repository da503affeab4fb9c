"""Cashier shifts: one open per cashier, the X report during it, the Z report and drawer count at close."""
from __future__ import annotations

import uuid

from tests.helpers import auth, make_item, make_staff, make_store, make_table, staff_token


def key() -> str:
    return uuid.uuid4().hex


def test_close_computes_expected_cash_and_needs_a_note_for_a_difference(client):
    store = make_store()
    make_staff(store, "cashier", username="cash", password="cash-pass-1")
    token = staff_token(client, store, "cash", "cash-pass-1")
    item = make_item(store, price=3620)
    opened = client.post("/api/v1/shifts", json={"opening_cash": 20_000, "client_key": key()}, headers=auth(token))
    assert opened.status_code == 201, opened.get_json()
    shift = opened.get_json()["shift"]
    assert shift["status"] == "open" and shift["drawer"]["expected"] == 20_000
    assert client.post("/api/v1/shifts", json={"opening_cash": 0}, headers=auth(token)).status_code == 409

    def sale(**pay):
        order = client.post("/api/v1/pos/orders", headers=auth(token), json={
            "client_key": key(), "takeaway": True, "items": [{"item_id": item.id, "qty": 1}]}).get_json()["order"]
        r = client.post(f"/api/v1/table-sessions/{order['table_session_id']}/payments/offline",
                        json={"client_key": key()} | pay, headers=auth(token))
        assert r.status_code == 201, r.get_json()
        return r.get_json()["payment"]

    sale(channel="cash", tendered=5000)      # +5000 in, 1380 back
    refund_me = sale(channel="cash")         # +3620
    sale(channel="other")                    # card terminal: not in the drawer
    r = client.post(f"/api/v1/payments/{refund_me['id']}/refunds",
                    json={"client_key": key(), "amount": 620, "reason": "少了一份"}, headers=auth(token))
    assert r.status_code == 201, r.get_json()

    x = client.get("/api/v1/shifts/current", headers=auth(token)).get_json()["shift"]
    assert x["drawer"] == {"opening": 20_000, "cash_taken": 8620, "change_given": 1380, "cash_refunded": 620,
                           "expected": 26_620}
    assert x["taken"]["cash"] == 7240 and x["taken"]["other"] == 3620 and x["payments"] == 3

    url = f"/api/v1/shifts/{shift['id']}/close"
    assert client.post(url, json={"counted_cash": 26_500}, headers=auth(token)).status_code == 422  # no note
    z = client.post(url, json={"counted_cash": 26_500, "note": "找零少了"}, headers=auth(token))
    assert z.status_code == 200, z.get_json()
    z = z.get_json()["shift"]
    assert z["status"] == "closed" and z["expected"]["cash"] == 26_620 and z["difference"] == -120
    assert set(z["expected"]) == {"cash", "wechat", "wechat_code", "alipay_code", "other"}
    assert client.post(url, json={"counted_cash": 26_500, "note": "找零少了"}, headers=auth(token)).status_code == 200
    assert client.get("/api/v1/shifts/current", headers=auth(token)).get_json()["shift"] is None
    assert client.post("/api/v1/shifts", json={"opening_cash": 0}, headers=auth(token)).status_code == 201


def test_a_cashier_sees_only_their_own_shifts(client):
    store = make_store()
    make_staff(store, "cashier", username="a", password="cash-pass-1")
    make_staff(store, "cashier", username="b", password="cash-pass-1")
    a, b = (staff_token(client, store, u, "cash-pass-1") for u in ("a", "b"))
    shift = client.post("/api/v1/shifts", json={"opening_cash": 100}, headers=auth(a)).get_json()["shift"]
    assert client.get(f"/api/v1/shifts/{shift['id']}", headers=auth(b)).status_code == 404
    assert client.post(f"/api/v1/shifts/{shift['id']}/close", json={"counted_cash": 100},
                       headers=auth(b)).status_code == 404
    assert client.get(f"/api/v1/shifts/{shift['id']}", headers=auth(staff_token(client, store))).status_code == 200
    other = staff_token(client, make_store())
    assert client.get(f"/api/v1/shifts/{shift['id']}", headers=auth(other)).status_code == 404
    make_table(store)
