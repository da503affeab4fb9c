"""Cancel and void, sold out from the kitchen, and clearing the table."""
from __future__ import annotations

from sqlalchemy import select

from models import Item, KitchenEvent, db
from tests.helpers import (
    auth,
    diner_token,
    make_item,
    make_staff,
    make_store,
    make_table,
    order_body,
    staff_token,
)


def _order_two_dishes(client, live_server, store):
    table = make_table(store)
    hot, cold = make_item(store, price=3000, stock=5), make_item(store, name="拍黄瓜", price=1200, station="cold")
    diner = diner_token(client, live_server)
    body = order_body(table, hot)
    body["items"].append({"item_id": cold.id, "qty": 1, "option_ids": [], "note": ""})
    order = client.post("/api/v1/orders", json=body, headers=auth(diner)).get_json()["order"]
    return table, hot, diner, order


def test_diner_cancels_a_dish_the_kitchen_has_not_started(client, live_server):
    store = make_store()
    _, hot, diner, order = _order_two_dishes(client, live_server, store)
    line = order["items"][0]
    r = client.post(f"/api/v1/orders/{order['id']}/items/{line['id']}/cancel", json={}, headers=auth(diner))
    assert r.status_code == 200, r.get_json()
    after = r.get_json()["order"]
    assert after["total"] == 1200 and after["items"][0]["status"] == "cancelled"
    db.session.remove()
    assert db.session.get(Item, hot.id).stock == 5  # the portion went back
    last = db.session.execute(select(KitchenEvent).where(KitchenEvent.store_id == store.id)
                              .order_by(KitchenEvent.seq.desc())).scalars().first()
    assert last.kind == "ticket.updated" and last.payload["status"] == "cancelled" and last.payload["items"] == []
    again = client.post(f"/api/v1/orders/{order['id']}/items/{line['id']}/cancel", json={}, headers=auth(diner))
    assert again.status_code == 409


def test_once_cooking_only_staff_may_void_and_must_say_why(client, live_server):
    store = make_store()
    make_staff(store, "cook", username="chef", password="cook-pass-1")
    make_staff(store, "cashier", username="cash", password="cash-pass-1")
    _, _, diner, order = _order_two_dishes(client, live_server, store)
    cook = staff_token(client, store, "chef", "cook-pass-1")
    tickets = client.get("/api/v1/kds/tickets?status=open", headers=auth(cook)).get_json()["tickets"]
    hot_ticket = next(t for t in tickets if t["station"] == "hot")
    client.post(f"/api/v1/kds/ticket-items/{hot_ticket['items'][0]['id']}/status", json={"status": "cooking"},
                headers=auth(cook))
    line = order["items"][0]
    url = f"/api/v1/orders/{order['id']}/items/{line['id']}/cancel"
    assert client.post(url, json={}, headers=auth(diner)).status_code == 409
    cashier = staff_token(client, store, "cash", "cash-pass-1")
    assert client.post(url, json={}, headers=auth(cashier)).status_code == 422
    r = client.post(url, json={"reason": "客人改主意"}, headers=auth(cashier))
    assert r.status_code == 200 and r.get_json()["order"]["total"] == 1200


def test_another_diner_or_store_cannot_cancel(client, live_server):
    store, other = make_store(), make_store()
    _, _, _, order = _order_two_dishes(client, live_server, store)
    stranger = diner_token(client, live_server)
    url = f"/api/v1/orders/{order['id']}/items/{order['items'][0]['id']}/cancel"
    assert client.post(url, json={}, headers=auth(stranger)).status_code == 404
    assert client.post(url, json={"reason": "x"}, headers=auth(staff_token(client, other))).status_code == 404


def test_cook_marks_a_dish_sold_out_and_orders_for_it_are_refused(client, live_server):
    store = make_store()
    table, dish = make_table(store), make_item(store)
    make_staff(store, "cook", username="chef", password="cook-pass-1")
    cook = staff_token(client, store, "chef", "cook-pass-1")
    r = client.post(f"/api/v1/kds/items/{dish.id}/sold-out", json={"sold_out": True}, headers=auth(cook))
    assert r.status_code == 200 and r.get_json()["item"]["sold_out"] is True
    menu = client.get(f"/api/v1/stores/{store.id}/menu").get_json()
    assert menu["categories"][0]["items"][0]["sold_out"] is True
    diner = diner_token(client, live_server)
    refused = client.post("/api/v1/orders", json=order_body(table, dish), headers=auth(diner))
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "sold_out"


def test_a_check_closes_only_when_nothing_is_due(client, live_server):
    store = make_store()
    make_staff(store, "waiter", username="w", password="waiter-pass-1")
    _, _, _, order = _order_two_dishes(client, live_server, store)
    waiter = staff_token(client, store, "w", "waiter-pass-1")
    url = f"/api/v1/table-sessions/{order['table_session_id']}/close"
    r = client.post(url, headers=auth(waiter))
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "invalid_state"
    owner = staff_token(client, store)
    for line in order["items"]:
        client.post(f"/api/v1/orders/{order['id']}/items/{line['id']}/cancel", json={"reason": "测试"},
                    headers=auth(owner))
    closed = client.post(url, headers=auth(waiter))
    assert closed.status_code == 200 and closed.get_json()["session"]["status"] == "closed"
