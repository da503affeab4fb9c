"""The shared table cart, submitting it as a round, waiter calls, and stock taken atomically."""
from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import requests
from sqlalchemy import func, select

from models import CartLine, Item, Order, WaiterCall, db
from tests.helpers import auth, diner_token, make_item, make_staff, make_store, make_table, staff_token, token_of


def _cart_url(table) -> str:
    return f"/api/v1/tables/{token_of(table)}/cart"


def test_two_diners_share_one_cart_and_one_submits_the_round(client, live_server):
    store = make_store()
    table = make_table(store)
    dish, tea = make_item(store, price=3800), make_item(store, name="柠檬茶", price=1200, station="bar")
    alice, bob = diner_token(client, live_server), diner_token(client, live_server)
    r = client.post(_cart_url(table) + "/lines", json={"item_id": dish.id, "qty": 1}, headers=auth(alice))
    assert r.status_code == 200
    client.post(_cart_url(table) + "/lines", json={"item_id": tea.id, "qty": 2}, headers=auth(bob))
    client.post(_cart_url(table) + "/lines", json={"item_id": dish.id, "qty": 1}, headers=auth(alice))
    cart = client.get(_cart_url(table), headers=auth(bob)).get_json()["cart"]
    assert [(ln["name"], ln["qty"], ln["diner"]) for ln in cart["lines"]] == [("宫保鸡丁", 2, 1), ("柠檬茶", 2, 2)]
    assert cart["total"] == 2 * 3800 + 2 * 1200 and cart["me"] == 2
    key = uuid.uuid4().hex
    r = client.post(_cart_url(table) + "/submit", json={"client_key": key}, headers=auth(bob))
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["order"]["total"] == 2 * 3800 + 2 * 1200
    again = client.post(_cart_url(table) + "/submit", json={"client_key": key}, headers=auth(bob))
    assert again.status_code == 200 and again.get_json()["order"]["id"] == r.get_json()["order"]["id"]
    assert client.get(_cart_url(table), headers=auth(alice)).get_json()["cart"]["lines"] == []
    empty = client.post(_cart_url(table) + "/submit", json={"client_key": uuid.uuid4().hex}, headers=auth(alice))
    assert empty.status_code == 422


def test_a_stale_line_edit_is_a_conflict_not_a_lost_update(client, live_server):
    store = make_store()
    table, dish = make_table(store), make_item(store)
    alice, bob = diner_token(client, live_server), diner_token(client, live_server)
    line = client.post(_cart_url(table) + "/lines", json={"item_id": dish.id}, headers=auth(alice)).get_json()
    line = line["cart"]["lines"][0]
    first = client.patch(f"{_cart_url(table)}/lines/{line['id']}", json={"qty": 3, "version": line["version"]},
                         headers=auth(alice))
    assert first.status_code == 200
    stale = client.patch(f"{_cart_url(table)}/lines/{line['id']}", json={"qty": 5, "version": line["version"]},
                         headers=auth(bob))
    assert stale.status_code == 409 and stale.get_json()["error"]["code"] == "conflict"
    assert client.get(_cart_url(table), headers=auth(bob)).get_json()["cart"]["lines"][0]["qty"] == 3


def test_concurrent_adds_to_the_same_line_are_all_counted(client, live_server):
    store = make_store()
    table, dish = make_table(store), make_item(store)
    diner = diner_token(client, live_server)
    url = f"{live_server}{_cart_url(table)}/lines"

    def add(_: int) -> int:
        return requests.post(url, json={"item_id": dish.id, "qty": 1},
                             headers=auth(diner), timeout=30).status_code

    with ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(add, range(16)))
    assert codes == [200] * 16
    lines = db.session.execute(select(CartLine).join(Item, Item.id == CartLine.item_id)
                               .where(Item.store_id == store.id)).scalars().all()
    assert [ln.qty for ln in lines] == [16]


def test_every_cart_change_has_a_higher_revision_so_a_phone_can_drop_an_older_cart(client, live_server):
    """Answers to taps in flight at once, and their cart.updated events, can reach a phone in any
    order: each cart says which change it shows, and the higher revision always shows more."""
    store = make_store()
    table, dish = make_table(store), make_item(store)
    diner = diner_token(client, live_server)
    url = f"{live_server}{_cart_url(table)}"

    def add(_: int) -> tuple[int, int]:
        r = requests.post(f"{url}/lines", json={"item_id": dish.id, "qty": 1}, headers=auth(diner), timeout=30)
        assert r.status_code == 200, r.text
        cart = r.json()["cart"]
        return cart["revision"], sum(ln["qty"] for ln in cart["lines"])

    with ThreadPoolExecutor(8) as pool:
        answers = sorted(pool.map(add, range(12)))
    assert answers == [(n, n) for n in range(1, 13)]  # one change each, none seen twice, each shows itself
    line = requests.get(url, headers=auth(diner), timeout=10).json()["cart"]
    assert line["revision"] == 12
    edited = client.post(f"{_cart_url(table)}/lines/{line['lines'][0]['id']}", headers=auth(diner),
                         json={"qty": 2, "version": line["lines"][0]["version"]}).get_json()["cart"]
    assert edited["revision"] == 13
    stale = client.post(f"{_cart_url(table)}/lines/{line['lines'][0]['id']}", headers=auth(diner),
                        json={"qty": 3, "version": line["lines"][0]["version"]})
    assert stale.status_code == 409  # refused: nothing changed, so the revision stays
    assert client.get(_cart_url(table), headers=auth(diner)).get_json()["cart"]["revision"] == 13
    sent = client.post(f"{_cart_url(table)}/submit", json={"client_key": uuid.uuid4().hex}, headers=auth(diner))
    assert sent.status_code == 201
    emptied = client.get(_cart_url(table), headers=auth(diner)).get_json()["cart"]
    assert (emptied["lines"], emptied["revision"]) == ([], 14)


def test_a_forgotten_diners_lines_stay_in_the_cart_under_no_one_as_a_newer_revision(client, live_server):
    store = make_store()
    table, dish = make_table(store), make_item(store)
    alice, bob = diner_token(client, live_server), diner_token(client, live_server)
    client.post(_cart_url(table) + "/lines", json={"item_id": dish.id, "qty": 1}, headers=auth(alice))
    before = client.post(_cart_url(table) + "/lines", json={"item_id": dish.id, "qty": 2, "note": "少辣"},
                         headers=auth(bob)).get_json()["cart"]
    assert [(ln["qty"], ln["diner"]) for ln in before["lines"]] == [(1, 1), (2, 2)] and before["me"] == 2
    assert client.delete("/api/v1/diner/me", headers=auth(alice)).status_code in (200, 204)
    after = client.get(_cart_url(table), headers=auth(bob)).get_json()["cart"]
    assert after["revision"] == before["revision"] + 1  # a phone holding the old cart takes this one
    assert [ln["qty"] for ln in after["lines"]] == [1, 2]  # the table's dishes stay; their author goes
    assert db.session.execute(select(func.count()).select_from(CartLine).where(
        CartLine.table_session_id == after["table_session_id"], CartLine.diner_id.is_(None))).scalar_one() == 1


def test_fifty_diners_race_for_the_last_ten_portions(client, live_server):
    store = make_store()
    table, dish = make_table(store), make_item(store, stock=10)
    diners = [diner_token(client, live_server) for _ in range(50)]
    table_token = token_of(table)

    def order(token: str) -> int:
        body = {"table_token": table_token, "client_key": uuid.uuid4().hex,
                "items": [{"item_id": dish.id, "qty": 1}]}
        return requests.post(f"{live_server}/api/v1/orders", json=body, headers=auth(token), timeout=30).status_code

    with ThreadPoolExecutor(10) as pool:
        codes = list(pool.map(order, diners))
    assert sorted(codes) == [201] * 10 + [409] * 40
    db.session.remove()
    item = db.session.get(Item, dish.id)
    assert item.stock == 0 and item.sold_out is True
    assert db.session.execute(select(func.count()).select_from(Order).where(Order.store_id == store.id)).scalar() == 10


def test_pressing_call_waiter_many_times_makes_one_call(client, live_server):
    store = make_store()
    table = make_table(store)
    make_staff(store, "waiter", username="w1", password="waiter-pass-1")
    diner = diner_token(client, live_server)
    url = f"/api/v1/tables/{token_of(table)}/calls"
    codes = [client.post(url, json={"kind": "waiter"}, headers=auth(diner)).status_code for _ in range(5)]
    assert codes == [201, 200, 200, 200, 200]
    assert client.post(url, json={"kind": "bill"}, headers=auth(diner)).status_code == 201
    waiter = staff_token(client, store, "w1", "waiter-pass-1")
    open_calls = client.get("/api/v1/calls", headers=auth(waiter)).get_json()["calls"]
    assert sorted(c["kind"] for c in open_calls) == ["bill", "waiter"]
    call_id = next(c["id"] for c in open_calls if c["kind"] == "waiter")
    assert client.post(f"/api/v1/calls/{call_id}/done", headers=auth(waiter)).status_code == 200
    assert client.post(f"/api/v1/calls/{call_id}/done", headers=auth(waiter)).status_code == 409
    assert client.post(url, json={"kind": "waiter"}, headers=auth(diner)).status_code == 201  # a new call
    assert db.session.execute(select(func.count()).select_from(WaiterCall)
                              .where(WaiterCall.store_id == store.id)).scalar() == 3


def test_another_stores_staff_cannot_finish_a_call(client, live_server):
    store, other = make_store(), make_store()
    table = make_table(store)
    diner = diner_token(client, live_server)
    call = client.post(f"/api/v1/tables/{token_of(table)}/calls", json={}, headers=auth(diner)).get_json()["call"]
    intruder = staff_token(client, other)
    assert client.post(f"/api/v1/calls/{call['id']}/done", headers=auth(intruder)).status_code == 404
