"""Ingredient stock: recipes (options too), orders taking ingredients, sell-outs and their return,
deliveries and counts with variance, audit, the low-stock list and the cashier's badge, tenancy,
bad input."""
from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from models import AuditLog, Ingredient, StockSellout, db
from services import uow
from tests.helpers import auth, make_item, make_staff, make_store, make_table, staff_token


@pytest.fixture()
def emitted(app):  # type: ignore[no-untyped-def]
    seen = []
    uow.subscribe(seen.extend)
    try:
        yield seen
    finally:
        uow._subscribers.remove(seen.extend)


def _ingredient(client, token, name, unit="pcs", on_hand=0, low_at=0, reorder_qty=0):
    r = client.post("/api/v1/admin/ingredients", headers=auth(token), json={
        "name": name, "unit": unit, "on_hand": on_hand, "low_at": low_at, "reorder_qty": reorder_qty})
    assert r.status_code == 201, r.get_json()
    return r.get_json()["ingredient"]


def _recipe(client, token, item, lines):
    r = client.put(f"/api/v1/admin/items/{item.id}/recipe", headers=auth(token), json={"lines": lines})
    assert r.status_code == 200, r.get_json()
    return r.get_json()["recipe"]


def _ring(client, token, *lines):
    """A cashier's takeaway round of (item, qty, option ids)."""
    body = {"client_key": uuid.uuid4().hex, "takeaway": True,
            "items": [{"item_id": i.id, "qty": q, "option_ids": o} for i, q, o in lines]}
    return client.post("/api/v1/pos/orders", json=body, headers=auth(token))


def _on_hand(*ids):
    db.session.remove()
    rows = dict(db.session.execute(select(Ingredient.id, Ingredient.on_hand).where(Ingredient.id.in_(ids))).all())
    db.session.commit()
    return [rows[i] for i in ids]


def _sold_out(client, store):
    menu = client.get(f"/api/v1/stores/{store.id}/menu").get_json()
    return {i["name"] for c in menu["categories"] for i in c["items"] if i["sold_out"]}


@dataclass(frozen=True)
class Dish:
    id: int
    name: str


@pytest.fixture()
def kitchen(client):  # type: ignore[no-untyped-def]
    """Eggs and rice; 蛋炒饭 (1 egg, 200 g rice; 加蛋 one more egg), 番茄炒蛋 (2 eggs), 白饭 (rice)."""
    store = make_store()
    owner = staff_token(client, store)
    egg = _ingredient(client, owner, "鸡蛋", on_hand=3, low_at=6, reorder_qty=30)
    rice = _ingredient(client, owner, "米饭", unit="g", on_hand=1000, low_at=500)
    fried = make_item(store, name="蛋炒饭", price=1800, groups=[("加料", 0, 2, [("加蛋", 200), ("加葱", 0)])])
    tomato = make_item(store, name="番茄炒蛋", price=2200)
    plain = make_item(store, name="白饭", price=300)
    extra_egg = fried.option_groups[0].options[0].id
    fried, tomato, plain = (Dish(i.id, i.name) for i in (fried, tomato, plain))
    _recipe(client, owner, fried, [{"ingredient_id": egg["id"], "qty": 1}, {"ingredient_id": rice["id"], "qty": 200},
                                   {"ingredient_id": egg["id"], "qty": 1, "option_id": extra_egg}])
    _recipe(client, owner, tomato, [{"ingredient_id": egg["id"], "qty": 2}])
    _recipe(client, owner, plain, [{"ingredient_id": rice["id"], "qty": 200}])
    return {"store": store, "owner": owner, "egg": egg["id"], "rice": rice["id"], "fried": fried, "tomato": tomato,
            "plain": plain, "extra_egg": extra_egg}


def test_a_round_takes_ingredients_and_a_short_one_sells_out_every_dish_needing_it(client, kitchen, emitted):
    k, owner = kitchen, kitchen["owner"]
    r = _ring(client, owner, (k["fried"], 1, [k["extra_egg"]]))
    assert r.status_code == 201, r.get_json()
    assert _on_hand(k["egg"], k["rice"]) == [1, 800]
    # one egg left: 番茄炒蛋 (two per portion) sold out at once, on every phone; 蛋炒饭 still makes one
    assert _sold_out(client, k["store"]) == {"番茄炒蛋"}
    updates = [e.payload for e in emitted if e.name == "menu.updated"]
    assert {"id": k["tomato"].id, "sold_out": True, "stock": None} in [u["items"][0] for u in updates]
    # 蛋炒饭 with 加蛋 needs two: refused, naming the dish, and nothing at all taken (rice neither)
    r = _ring(client, owner, (k["plain"], 1, []), (k["fried"], 1, [k["extra_egg"]]))
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "sold_out"
    assert "蛋炒饭" in r.get_json()["error"]["message"]
    assert _on_hand(k["egg"], k["rice"]) == [1, 800]
    assert _ring(client, owner, (k["fried"], 1, [])).status_code == 201
    assert _on_hand(k["egg"], k["rice"]) == [0, 600]
    assert _sold_out(client, k["store"]) == {"番茄炒蛋", "蛋炒饭"}
    assert _ring(client, owner, (k["tomato"], 1, [])).status_code == 409
    assert _ring(client, owner, (k["plain"], 2, [])).status_code == 201  # rice only: still sells


def test_restocking_brings_back_only_the_dishes_it_sold_out(client, kitchen):
    k, owner = kitchen, kitchen["owner"]
    assert _ring(client, owner, (k["fried"], 3, [])).status_code == 201  # the last three eggs
    assert _sold_out(client, k["store"]) == {"番茄炒蛋", "蛋炒饭"}
    # 番茄炒蛋 is also sold out by hand: a delivery of eggs does not bring it back
    r = client.patch(f"/api/v1/admin/items/{k['tomato'].id}", headers=auth(owner), json={"sold_out": True})
    assert r.status_code == 200
    r = client.post(f"/api/v1/admin/ingredients/{k['egg']}/deliveries", headers=auth(owner),
                    json={"client_key": uuid.uuid4().hex, "qty": 1})
    assert r.status_code == 201
    assert _sold_out(client, k["store"]) == {"番茄炒蛋"}  # 蛋炒饭 makes one again; the other stays
    # rice short too: 蛋炒饭 comes back only once both are there
    r = client.post(f"/api/v1/admin/ingredients/{k['rice']}/counts", headers=auth(owner),
                    json={"client_key": uuid.uuid4().hex, "counted": 100})
    assert r.status_code == 201
    assert _sold_out(client, k["store"]) == {"番茄炒蛋", "蛋炒饭", "白饭"}
    r = client.post(f"/api/v1/admin/ingredients/{k['egg']}/deliveries", headers=auth(owner),
                    json={"client_key": uuid.uuid4().hex, "qty": 30})
    assert _sold_out(client, k["store"]) == {"番茄炒蛋", "蛋炒饭", "白饭"}
    r = client.post(f"/api/v1/admin/ingredients/{k['rice']}/deliveries", headers=auth(owner),
                    json={"client_key": uuid.uuid4().hex, "qty": 5000})
    assert _sold_out(client, k["store"]) == {"番茄炒蛋"}


def _deliver(client, owner, ingredient, qty):
    r = client.post(f"/api/v1/admin/ingredients/{ingredient}/deliveries", headers=auth(owner),
                    json={"client_key": uuid.uuid4().hex, "qty": qty})
    assert r.status_code == 201, r.get_json()


def test_a_hand_sell_out_survives_restocking_until_a_person_lifts_it(client, kitchen):
    k, owner = kitchen, kitchen["owner"]
    make_staff(k["store"], "cook", username="chef", password="cook-pass-1")
    cook = staff_token(client, k["store"], "chef", "cook-pass-1")
    assert _ring(client, owner, (k["fried"], 3, [])).status_code == 201  # the last three eggs
    assert _sold_out(client, k["store"]) == {"番茄炒蛋", "蛋炒饭"}
    # the kitchen sells out 蛋炒饭 by hand (估清) while the eggs already did: it is theirs now
    r = client.post(f"/api/v1/kds/items/{k['fried'].id}/sold-out", json={"sold_out": True}, headers=auth(cook))
    assert r.status_code == 200 and r.get_json()["item"]["sold_out"] is True
    _deliver(client, owner, k["egg"], 30)
    assert _sold_out(client, k["store"]) == {"蛋炒饭"}  # 番茄炒蛋 came back; the hand sell-out stays
    assert _ring(client, owner, (k["fried"], 1, [])).status_code == 409
    trail = db.session.execute(select(AuditLog.before, AuditLog.after).where(
        AuditLog.action == "item.sold_out", AuditLog.target_id == k["fried"].id)).all()
    db.session.commit()
    assert [(b, a) for b, a in trail] == [({"sold_out": True, "by": "ingredients"}, {"sold_out": True, "by": "hand"})]
    # a person lifts it, eggs on hand: back on the menu
    r = client.post(f"/api/v1/kds/items/{k['fried'].id}/sold-out", json={"sold_out": False}, headers=auth(cook))
    assert r.status_code == 200 and r.get_json()["item"]["sold_out"] is False
    assert _sold_out(client, k["store"]) == set()


def test_lifting_a_sell_out_by_hand_keeps_it_while_an_ingredient_is_short(client, kitchen, emitted):
    k, owner = kitchen, kitchen["owner"]
    r = client.patch(f"/api/v1/admin/items/{k['tomato'].id}", headers=auth(owner), json={"sold_out": True})
    assert r.status_code == 200
    assert _ring(client, owner, (k["fried"], 3, [])).status_code == 201  # the last three eggs
    # lifting the flag while no egg is left: stays sold out, now by the eggs
    r = client.patch(f"/api/v1/admin/items/{k['tomato'].id}", headers=auth(owner), json={"sold_out": False})
    assert r.status_code == 200 and r.get_json()["item"]["sold_out"] is True
    # setting 蛋炒饭's daily stock by hand does not show it available either (not even briefly)
    emitted.clear()
    r = client.patch(f"/api/v1/admin/items/{k['fried'].id}", headers=auth(owner), json={"stock": 5})
    assert r.status_code == 200 and r.get_json()["item"]["sold_out"] is True
    assert r.get_json()["item"]["stock"] == 5
    assert _sold_out(client, k["store"]) == {"番茄炒蛋", "蛋炒饭"}
    assert [u for e in emitted if e.name == "menu.updated" for u in e.payload["items"]
            if u["sold_out"] is False] == []
    marked = db.session.execute(select(StockSellout.item_id).where(StockSellout.store_id == k["store"].id)
                                .order_by(StockSellout.item_id)).scalars().all()
    assert marked == sorted([k["fried"].id, k["tomato"].id])
    db.session.commit()
    # both are the eggs' sell-outs now: the delivery brings them back, with the daily stock set
    _deliver(client, owner, k["egg"], 2)
    assert _sold_out(client, k["store"]) == set()
    menu = client.get(f"/api/v1/stores/{k['store'].id}/menu").get_json()
    assert {i["name"]: i["stock"] for c in menu["categories"] for i in c["items"]}["蛋炒饭"] == 5


def test_a_cancelled_line_lifts_only_a_sell_out_by_the_dishs_own_stock(client, kitchen):
    k, owner = kitchen, kitchen["owner"]
    table = make_table(k["store"], code="C2")
    assert client.patch(f"/api/v1/admin/items/{k['plain'].id}", headers=auth(owner),
                        json={"stock": 1}).status_code == 200
    body = {"client_key": uuid.uuid4().hex, "table_id": table.id,
            "items": [{"item_id": k["plain"].id, "qty": 1, "option_ids": []}]}
    order = client.post("/api/v1/pos/orders", json=body, headers=auth(owner)).get_json()["order"]
    assert _sold_out(client, k["store"]) == {"白饭"}  # its own stock: 0 left
    url = f"/api/v1/orders/{order['id']}/items/{order['items'][0]['id']}/cancel"
    assert client.post(url, json={"reason": "客人不要了"}, headers=auth(owner)).status_code == 200
    assert _sold_out(client, k["store"]) == set()  # the portion came back
    body["client_key"] = uuid.uuid4().hex
    order = client.post("/api/v1/pos/orders", json=body, headers=auth(owner)).get_json()["order"]
    assert client.patch(f"/api/v1/admin/items/{k['plain'].id}", headers=auth(owner),
                        json={"stock": 3, "sold_out": True}).status_code == 200  # and sold out by hand
    url = f"/api/v1/orders/{order['id']}/items/{order['items'][0]['id']}/cancel"
    assert client.post(url, json={"reason": "客人不要了"}, headers=auth(owner)).status_code == 200
    assert _sold_out(client, k["store"]) == {"白饭"}  # a person's sell-out stays


def test_a_round_losing_the_race_for_a_dishs_own_stock_names_it(client, kitchen, monkeypatch):
    from sqlalchemy import update

    from models import Item
    from services import orders

    k, owner = kitchen, kitchen["owner"]
    _deliver(client, owner, k["egg"], 30)
    r = client.patch(f"/api/v1/admin/items/{k['fried'].id}", headers=auth(owner), json={"stock": 5})
    assert r.status_code == 200 and r.get_json()["item"]["sold_out"] is False
    real = orders.priced_menu

    def stale(session, store, ids):  # the menu was read with 5 left; another round took 4 meanwhile
        menu = real(session, store, ids)
        session.execute(update(Item).where(Item.id == k["fried"].id).values(stock=1))
        return menu

    monkeypatch.setattr(orders, "priced_menu", stale)
    r = _ring(client, owner, (k["fried"], 2, []))
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "sold_out"
    assert r.get_json()["error"]["message"] == "not enough 蛋炒饭 left"
    body = {"client_key": uuid.uuid4().hex, "takeaway": True,
            "items": [{"item_id": k["fried"].id, "qty": 2, "option_ids": []}]}
    r = client.post("/api/v1/pos/orders?lang=zh", json=body, headers=auth(owner))
    assert r.status_code == 409 and r.get_json()["error"]["message"] == "蛋炒饭余量不足"
    assert _on_hand(k["egg"])[0] == 33  # the round rolled back whole: no egg taken


def test_a_line_voided_before_the_kitchen_starts_gives_back_after_it_is_waste(client, kitchen):
    k, owner = kitchen, kitchen["owner"]
    table = make_table(k["store"], code="C1")
    body = {"client_key": uuid.uuid4().hex, "table_id": table.id,
            "items": [{"item_id": k["fried"].id, "qty": 1, "option_ids": [k["extra_egg"]]},
                      {"item_id": k["plain"].id, "qty": 1, "option_ids": []}]}
    order = client.post("/api/v1/pos/orders", json=body, headers=auth(owner)).get_json()["order"]
    assert _on_hand(k["egg"], k["rice"]) == [1, 600]
    fried_line, plain_line = order["items"]
    url = f"/api/v1/orders/{order['id']}/items/{fried_line['id']}/cancel"
    r = client.post(url, json={"reason": "客人不要了"}, headers=auth(owner))
    assert r.status_code == 200, r.get_json()
    assert _on_hand(k["egg"], k["rice"]) == [3, 800]  # not started: both eggs and the rice are back
    assert _sold_out(client, k["store"]) == set()  # and 番茄炒蛋 with them
    tickets = client.get("/api/v1/kds/tickets?status=open", headers=auth(owner)).get_json()["tickets"]
    ticket_line = next(i for t in tickets for i in t["items"] if i["name"] == "白饭")
    assert client.post(f"/api/v1/kds/ticket-items/{ticket_line['id']}/status", json={"status": "cooking"},
                       headers=auth(owner)).status_code == 200
    r = client.post(f"/api/v1/orders/{order['id']}/items/{plain_line['id']}/cancel", json={"reason": "上错菜"},
                    headers=auth(owner))
    assert r.status_code == 200, r.get_json()
    assert _on_hand(k["egg"], k["rice"]) == [3, 800]  # cooking: the rice is used up (waste)


def test_deliveries_and_counts_are_recorded_with_variance_audited_and_idempotent(client, kitchen):
    k, owner = kitchen, kitchen["owner"]
    url = f"/api/v1/admin/ingredients/{k['egg']}"
    key = uuid.uuid4().hex
    first = client.post(f"{url}/deliveries", headers=auth(owner),
                        json={"client_key": key, "qty": 30, "note": "周一到货"})
    again = client.post(f"{url}/deliveries", headers=auth(owner), json={"client_key": key, "qty": 30})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json()["move"] == again.get_json()["move"]
    assert first.get_json()["move"]["on_hand_after"] == 33 and _on_hand(k["egg"]) == [33]
    assert _ring(client, owner, (k["tomato"], 2, [])).status_code == 201  # 29 expected now
    r = client.post(f"{url}/counts", headers=auth(owner), json={"client_key": uuid.uuid4().hex, "counted": 26,
                                                                 "note": "碎了三个"})
    move = r.get_json()["move"]
    assert r.status_code == 201
    assert (move["kind"], move["expected"], move["counted"], move["variance"], move["qty"]) == \
        ("count", 29, 26, -3, -3)
    assert r.get_json()["ingredient"]["on_hand"] == 26
    r = client.post(f"{url}/deliveries", headers=auth(owner), json={"client_key": key, "qty": 5})
    assert r.status_code == 200 and _on_hand(k["egg"]) == [26]  # a replayed key never adds twice
    r = client.post(f"{url}/counts", headers=auth(owner), json={"client_key": key, "counted": 5})
    assert r.status_code == 409  # the key belongs to a delivery
    detail = client.get(url, headers=auth(owner)).get_json()["ingredient"]
    assert [m["kind"] for m in detail["moves"]] == ["count", "delivery"]
    db.session.remove()
    log = db.session.execute(select(AuditLog).where(AuditLog.store_id == k["store"].id,
                                                    AuditLog.action.like("stock.%"))
                             .order_by(AuditLog.id)).scalars().all()
    db.session.commit()
    assert [(a.action, a.before, a.after) for a in log] == [
        ("stock.delivery", {"on_hand": 3}, {"on_hand": 33, "qty": 30, "note": "周一到货"}),
        ("stock.count", {"on_hand": 29}, {"on_hand": 26, "qty": 26, "expected": 29, "variance": -3,
                                          "note": "碎了三个"}),
    ]
    r = client.get("/api/v1/admin/audit?action=recipe.update", headers=auth(owner))
    assert r.status_code == 200 and len(r.get_json()["entries"]) == 3


def test_the_low_stock_list_says_what_to_reorder_and_the_cashier_sees_a_badge(client, kitchen):
    k, owner = kitchen, kitchen["owner"]
    salt = _ingredient(client, owner, "盐", unit="g", on_hand=150, low_at=200)  # no pack size
    _ingredient(client, owner, "酱油", unit="ml", on_hand=5000, low_at=500)  # fine
    low = client.get("/api/v1/admin/ingredients/low", headers=auth(owner)).get_json()["ingredients"]
    assert [(i["name"], i["on_hand"], i["reorder"]) for i in low] == [("鸡蛋", 3, 30), ("盐", 150, 250)]
    assert {d["name"] for d in low[0]["dishes"]} == {"蛋炒饭", "番茄炒蛋"}
    assert _ring(client, owner, (k["fried"], 3, [])).status_code == 201
    low = client.get("/api/v1/admin/ingredients/low", headers=auth(owner)).get_json()["ingredients"]
    assert low[0]["name"] == "鸡蛋" and low[0]["on_hand"] == 0  # the empty ones first
    assert sorted(low[0]["blocking"]) == sorted([k["fried"].id, k["tomato"].id])
    make_staff(k["store"], "cashier", username="cash", password="cash-pass-1")
    cashier = staff_token(client, k["store"], "cash", "cash-pass-1")
    # three fried rice took 600 g of rice too: eggs (out), salt and rice are low
    assert client.get("/api/v1/pos/stock-alerts", headers=auth(cashier)).get_json() == {"low": 3, "out": 1}
    assert client.get("/api/v1/admin/ingredients", headers=auth(cashier)).status_code == 403
    r = client.patch(f"/api/v1/admin/ingredients/{salt['id']}", headers=auth(owner), json={"active": False})
    assert r.status_code == 200
    assert client.get("/api/v1/pos/stock-alerts", headers=auth(cashier)).get_json() == {"low": 2, "out": 1}


def test_another_stores_ingredients_and_dishes_are_not_found(client, kitchen):
    k = kitchen
    other = make_store()
    theirs = staff_token(client, other)
    mine = _ingredient(client, theirs, "鸡蛋", on_hand=5)
    their_item = make_item(other, name="炒蛋").id
    for method, path, body in [
            ("GET", f"/api/v1/admin/ingredients/{k['egg']}", None),
            ("PATCH", f"/api/v1/admin/ingredients/{k['egg']}", {"low_at": 1}),
            ("POST", f"/api/v1/admin/ingredients/{k['egg']}/deliveries", {"client_key": uuid.uuid4().hex, "qty": 9}),
            ("POST", f"/api/v1/admin/ingredients/{k['egg']}/counts", {"client_key": uuid.uuid4().hex, "counted": 0}),
            ("GET", f"/api/v1/admin/items/{k['fried'].id}/recipe", None),
            ("PUT", f"/api/v1/admin/items/{k['fried'].id}/recipe", {"lines": []})]:
        r = client.open(path, method=method, json=body, headers=auth(theirs))
        assert r.status_code == 404, (method, path, r.get_json())
        assert r.get_json()["error"]["code"] == "not_found"
    assert _on_hand(k["egg"]) == [3]
    names = [i["name"] for i in client.get("/api/v1/admin/ingredients", headers=auth(theirs)).get_json()["ingredients"]]
    assert names == ["鸡蛋"] and mine["on_hand"] == 5
    # my dish with their ingredient, or their dish's option: 422, nothing saved
    r = client.put(f"/api/v1/admin/items/{their_item}/recipe", headers=auth(theirs),
                   json={"lines": [{"ingredient_id": k["egg"], "qty": 1}]})
    assert r.status_code == 422 and "lines.0.ingredient_id" in r.get_json()["error"]["fields"]
    r = client.put(f"/api/v1/admin/items/{their_item}/recipe", headers=auth(theirs),
                   json={"lines": [{"ingredient_id": mine["id"], "qty": 1, "option_id": k["extra_egg"]}]})
    assert r.status_code == 422 and "lines.0.option_id" in r.get_json()["error"]["fields"]


@pytest.mark.parametrize("path, body", [
    ("/api/v1/admin/ingredients", {"name": "", "unit": "g"}),
    ("/api/v1/admin/ingredients", {"name": "糖", "unit": "kg"}),
    ("/api/v1/admin/ingredients", {"name": "糖", "unit": "g", "on_hand": -1}),
    ("/api/v1/admin/ingredients", {"name": "糖", "unit": "g", "low_at": "10"}),
    ("/api/v1/admin/ingredients", {"name": "糖", "unit": "g", "reorder_qty": 10**12}),
    ("/api/v1/admin/ingredients", {"name": "糖" * 61, "unit": "g"}),
    ("{egg}/deliveries", {"client_key": "k" * 20, "qty": 0}),
    ("{egg}/deliveries", {"client_key": "k" * 20, "qty": 1.5}),
    ("{egg}/deliveries", {"qty": 5}),
    ("{egg}/counts", {"client_key": "k" * 20, "counted": -2}),
    ("{egg}/counts", {"client_key": "k" * 20}),
    ("{fried}", {"lines": [{"ingredient_id": "{egg}", "qty": 0}]}),
    ("{fried}", {"lines": [{"ingredient_id": "{egg}", "qty": 1}, {"ingredient_id": "{egg}", "qty": 2}]}),
    ("{fried}", {"lines": [{"ingredient_id": 2**31 - 1, "qty": 1}]}),
    ("{fried}", {"lines": "鸡蛋"}),
    ("{fried}", {}),
])
def test_bad_input_is_422(client, kitchen, path, body):
    k = kitchen
    text = repr(body).replace("'{egg}'", str(k["egg"]))
    body = eval(text)  # noqa: S307 - the test's own literals
    method = "POST"
    if path == "{fried}":
        path, method = f"/api/v1/admin/items/{k['fried'].id}/recipe", "PUT"
    path = path.replace("{egg}", f"/api/v1/admin/ingredients/{k['egg']}")
    r = client.open(path, method=method, json=body, headers=auth(k["owner"]))
    assert r.status_code == 422, r.get_json()
    assert r.get_json()["error"]["code"] == "validation_error"
    assert _on_hand(k["egg"]) == [3]


def test_a_name_is_used_once_per_store(client, kitchen):
    r = client.post("/api/v1/admin/ingredients", headers=auth(kitchen["owner"]), json={"name": "鸡蛋", "unit": "pcs"})
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "conflict"
