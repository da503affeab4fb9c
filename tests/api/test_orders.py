"""Placing orders over the API: priced on the server, idempotent, scoped to the store."""
from __future__ import annotations

import uuid

from tests.helpers import auth, diner_token, make_item, make_store, make_table, order_body, token_of


def test_order_is_priced_on_the_server_from_menu_and_options(client, live_server):
    store = make_store()
    table = make_table(store)
    item = make_item(store, price=3800, groups=[("份量", 1, 1, [("小份", -400), ("大份", 600)])])
    big = next(o.id for g in item.option_groups for o in g.options if o.name == "大份")
    diner = diner_token(client, live_server)
    body = order_body(table, item, qty=2, option_ids=[big])
    body["items"][0]["price"] = 1  # a client's idea of the price is ignored
    r = client.post("/api/v1/orders", json=body, headers=auth(diner))
    assert r.status_code == 201, r.get_json()
    order = r.get_json()["order"]
    assert order["total"] == 2 * (3800 + 600)
    assert order["items"][0]["unit_price"] == 4400
    assert order["items"][0]["options"] == [{"id": big, "name": "大份", "price_delta": 600}]


def test_same_client_key_returns_the_first_order(client, live_server):
    store = make_store()
    table, item = make_table(store), make_item(store)
    diner = diner_token(client, live_server)
    body = order_body(table, item, client_key=str(uuid.uuid4()))
    first = client.post("/api/v1/orders", json=body, headers=auth(diner))
    again = client.post("/api/v1/orders", json=body, headers=auth(diner))
    assert first.status_code == 201 and again.status_code == 200
    assert again.get_json()["order"]["id"] == first.get_json()["order"]["id"]


def test_required_option_missing_is_a_validation_error(client, live_server):
    store = make_store()
    table = make_table(store)
    item = make_item(store, groups=[("辣度", 1, 1, [("微辣", 0), ("特辣", 0)])])
    r = client.post("/api/v1/orders", json=order_body(table, item), headers=auth(diner_token(client, live_server)))
    assert r.status_code == 422
    assert r.get_json()["error"]["code"] == "validation_error"


def test_another_stores_item_is_not_on_this_menu(client, live_server):
    store, other = make_store(), make_store()
    table, foreign = make_table(store), make_item(other)
    r = client.post("/api/v1/orders", json=order_body(table, foreign), headers=auth(diner_token(client, live_server)))
    assert r.status_code == 422


def test_table_lookup_with_forged_token_is_404(client):
    store = make_store()
    table = make_table(store)
    good = token_of(table)
    assert client.get(f"/api/v1/tables/{good}").status_code == 200
    assert client.get(f"/api/v1/tables/{good[:-2]}xx").status_code == 404
