"""A diner can see everything we keep about them, and delete it."""
from __future__ import annotations

from sqlalchemy import select

from models import Diner, Order, db
from tests.helpers import auth, diner_token, make_item, make_store, make_table, order_body, staff_token


def test_a_diner_sees_their_data_and_can_delete_it(client, live_server):
    store = make_store()
    table, item = make_table(store), make_item(store, price=1200)
    diner = diner_token(client, live_server)
    order = client.post("/api/v1/orders", json=order_body(table, item, qty=2), headers=auth(diner)).get_json()["order"]
    data = client.get("/api/v1/diner/me/data", headers=auth(diner)).get_json()
    assert set(data) == {"diner", "orders"}
    assert set(data["diner"]) == {"id", "created_at", "last_seen_at"}  # no openid, no hash, nothing else
    assert data["orders"][0]["items"] == [{"name": "宫保鸡丁", "qty": 2, "line_total": 2400}]
    diner_id = data["diner"]["id"]
    assert client.delete("/api/v1/diner/me", headers=auth(diner)).status_code == 204
    assert client.get("/api/v1/diner/me/data", headers=auth(diner)).status_code == 401  # the token is dead
    db.session.remove()
    assert db.session.get(Diner, diner_id) is None
    kept = db.session.execute(select(Order).where(Order.id == order["id"])).scalar_one()
    assert kept.diner_id is None and kept.total == 2400  # the restaurant's books stay whole
    db.session.commit()
    owner = staff_token(client, store)
    assert client.get(f"/api/v1/orders/{order['id']}", headers=auth(owner)).status_code == 200
