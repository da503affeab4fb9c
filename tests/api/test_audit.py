"""Sensitive actions leave an audit line with who, when, before and after, in their own transaction."""
from __future__ import annotations

import uuid

from tests.helpers import auth, diner_token, make_item, make_staff, make_store, make_table, order_body, staff_token


def test_price_change_void_cash_refund_and_qr_rotation_are_audited(client, live_server):
    store = make_store()
    table, item = make_table(store), make_item(store, price=2000)
    make_staff(store, "cashier", username="cash", password="cash-pass-1")
    owner, cashier = staff_token(client, store), staff_token(client, store, "cash", "cash-pass-1")
    client.patch(f"/api/v1/admin/items/{item.id}", json={"price": 2200}, headers=auth(owner))
    diner = diner_token(client, live_server)
    body = order_body(table, item, qty=1)
    body["items"].append({"item_id": item.id, "qty": 1, "option_ids": [], "note": "加辣"})
    order = client.post("/api/v1/orders", json=body, headers=auth(diner)).get_json()["order"]
    client.post(f"/api/v1/orders/{order['id']}/items/{order['items'][1]['id']}/cancel", json={"reason": "上错菜"},
                headers=auth(cashier))
    paid = client.post(f"/api/v1/table-sessions/{order['table_session_id']}/payments/offline",
                       json={"client_key": uuid.uuid4().hex}, headers=auth(cashier)).get_json()["payment"]
    client.post(f"/api/v1/payments/{paid['id']}/refunds", json={"client_key": uuid.uuid4().hex, "amount": 500,
                                                               "reason": "上菜慢"}, headers=auth(cashier))
    client.post(f"/api/v1/admin/tables/{table.id}/rotate-qr", headers=auth(owner))
    entries = client.get("/api/v1/admin/audit", headers=auth(owner)).get_json()["entries"]
    actions = [e["action"] for e in entries]
    assert actions == ["table.rotate_qr", "payment.refund", "payment.cash", "order.void", "item.price"]
    price = entries[-1]
    assert price["before"] == {"price": 2000} and price["after"] == {"price": 2200}
    void = next(e for e in entries if e["action"] == "order.void")
    assert void["after"]["reason"] == "上错菜" and void["staff_id"] is not None
    only_refunds = client.get("/api/v1/admin/audit?action=payment.refund", headers=auth(owner)).get_json()["entries"]
    assert [e["after"]["amount"] for e in only_refunds] == [500]
    assert client.get("/api/v1/admin/audit", headers=auth(cashier)).status_code == 403
    other = staff_token(client, make_store())
    assert client.get("/api/v1/admin/audit", headers=auth(other)).get_json()["entries"] == []
