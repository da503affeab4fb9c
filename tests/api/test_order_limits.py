"""How big a round and a check may be: ¥100,000 (contract) and the store's portion caps."""
from __future__ import annotations

import uuid

from models import Store, db
from tests.helpers import auth, diner_token, make_item, make_store, make_table, order_body, staff_token


def _lines(table, item, qty: int, n: int) -> dict:
    body = order_body(table, item, qty=qty)
    body["items"] = [{"item_id": item.id, "qty": qty, "note": f"#{i}"} for i in range(n)]
    return body


def _set_caps(store_id: int, per_round: int, per_check: int) -> None:
    store = db.session.get(Store, store_id)
    store.max_portions_round, store.max_portions_check = per_round, per_check
    db.session.commit()
    db.session.remove()


def test_an_order_beyond_32_bits_of_fen_is_a_422_not_a_500(client, live_server):
    store = make_store()
    _set_caps(store.id, 2000, 10_000)
    table, dish = make_table(store), make_item(store, price=10_000_000)
    diner = diner_token(client, live_server)
    r = client.post("/api/v1/orders", json=_lines(table, dish, 99, 3), headers=auth(diner))  # 2,970,000,000 fen
    assert r.status_code == 422, r.get_data(as_text=True)
    assert r.get_json()["error"]["code"] == "validation_error"


def test_an_order_of_one_fen_over_100000_yuan_is_refused_and_exactly_100000_taken(client, live_server):
    store = make_store()
    table, dish = make_table(store), make_item(store, price=5_000_000)
    diner = diner_token(client, live_server)
    assert client.post("/api/v1/orders", json=order_body(table, dish, qty=2), headers=auth(diner)).status_code == 201
    table2, cent = make_table(store, code="B2"), make_item(store, price=1)
    over = order_body(table2, dish, qty=2)
    over["items"].append({"item_id": cent.id, "qty": 1})
    assert client.post("/api/v1/orders", json=over, headers=auth(diner)).status_code == 422


def test_a_check_cannot_grow_past_100000_yuan_round_by_round(client, live_server):
    store = make_store()
    table, dish = make_table(store), make_item(store, price=4_000_000)
    diner = diner_token(client, live_server)
    for _ in range(2):
        assert client.post("/api/v1/orders", json=order_body(table, dish), headers=auth(diner)).status_code == 201
    r = client.post("/api/v1/orders", json=order_body(table, dish), headers=auth(diner))
    assert r.status_code == 422
    assert "100,000" in r.get_json()["error"]["message"]


def test_default_caps_are_200_portions_a_round_and_500_a_check(client, live_server):
    store = make_store()
    table, dish = make_table(store), make_item(store, price=100)
    diner = diner_token(client, live_server)
    r = client.post("/api/v1/orders", json=_lines(table, dish, 99, 3), headers=auth(diner))  # 297 portions
    assert r.status_code == 422
    assert "200 portions" in r.get_json()["error"]["message"]
    for _ in range(2):  # 2 × 198
        assert client.post("/api/v1/orders", json=_lines(table, dish, 99, 2), headers=auth(diner)).status_code == 201
    r = client.post("/api/v1/orders", json=_lines(table, dish, 99, 2), headers=auth(diner))
    assert r.status_code == 422
    assert r.get_json()["error"]["fields"]["items"] == ["104 more portions allowed on this check"]
    assert client.post("/api/v1/orders", json=_lines(table, dish, 52, 2), headers=auth(diner)).status_code == 201


def test_cancelled_lines_do_not_count_towards_the_check(client, live_server):
    store = make_store()
    _set_caps(store.id, 99, 99)
    table, dish = make_table(store), make_item(store, price=100)
    diner = diner_token(client, live_server)
    order = client.post("/api/v1/orders", json=order_body(table, dish, qty=99), headers=auth(diner)).get_json()["order"]
    assert client.post("/api/v1/orders", json=order_body(table, dish), headers=auth(diner)).status_code == 422
    line = order["items"][0]["id"]
    r = client.post(f"/api/v1/orders/{order['id']}/items/{line}/cancel", json={}, headers=auth(diner))
    assert r.status_code == 200, r.get_data(as_text=True)
    assert client.post("/api/v1/orders", json=order_body(table, dish), headers=auth(diner)).status_code == 201


def test_the_store_sets_its_own_portion_caps(client):
    store = make_store()
    owner = staff_token(client, store)
    r = client.patch("/api/v1/admin/store", json={"max_portions_round": 30, "max_portions_check": 60},
                     headers=auth(owner))
    assert r.status_code == 200
    assert (r.get_json()["store"]["max_portions_round"], r.get_json()["store"]["max_portions_check"]) == (30, 60)
    r = client.patch("/api/v1/admin/store", json={"max_portions_round": 61}, headers=auth(owner))
    assert r.status_code == 422
    assert client.patch("/api/v1/admin/store", json={"max_portions_check": 0}, headers=auth(owner)).status_code == 422


def test_a_client_key_differing_only_by_case_is_another_order(client, live_server):
    store = make_store()
    table, dish = make_table(store), make_item(store)
    diner = diner_token(client, live_server)
    key = uuid.uuid4().hex
    first = client.post("/api/v1/orders", json=order_body(table, dish, client_key=f"Ab-{key}"), headers=auth(diner))
    second = client.post("/api/v1/orders", json=order_body(table, dish, qty=2, client_key=f"aB-{key}"),
                         headers=auth(diner))
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.get_json()["order"]["id"] != first.get_json()["order"]["id"]
    assert second.get_json()["order"]["items"][0]["qty"] == 2
