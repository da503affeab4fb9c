"""The cashier rings up: staff rounds for tables and walk-ins, pickup numbers, item codes."""
from __future__ import annotations

import uuid

from sqlalchemy import select

from models import KitchenEvent, Table, db
from tests.helpers import auth, make_item, make_staff, make_store, make_table, staff_token


def _cashier(client, store):
    make_staff(store, "cashier", username="cash", password="cash-pass-1")
    return staff_token(client, store, "cash", "cash-pass-1")


def _ring(client, token, item, qty=1, **target):
    body = {"client_key": uuid.uuid4().hex, "items": [{"item_id": item.id, "qty": qty, "option_ids": [], "note": ""}],
            "remark": ""} | target
    return client.post("/api/v1/pos/orders", json=body, headers=auth(token)), body


def _tickets(store):
    db.session.remove()
    rows = db.session.execute(select(KitchenEvent).where(KitchenEvent.store_id == store.id)
                              .order_by(KitchenEvent.seq)).scalars().all()
    db.session.commit()
    return rows


def test_staff_round_for_a_table_is_priced_from_the_menu_and_idempotent(client):
    store = make_store()
    table = make_table(store, code="B3")
    item = make_item(store, name="回锅肉", price=4200, groups=[("辣度", 1, 1, [("微辣", 0), ("加辣", 200)])])
    token = _cashier(client, store)
    spicy = item.option_groups[0].options[1].id
    body = {"client_key": uuid.uuid4().hex, "table_id": table.id, "remark": "快点",
            "items": [{"item_id": item.id, "qty": 2, "option_ids": [spicy], "note": "少油"}]}
    r = client.post("/api/v1/pos/orders", json=body, headers=auth(token))
    assert r.status_code == 201, r.get_json()
    order = r.get_json()["order"]
    assert order["total"] == 8800 and order["table_code"] == "B3" and order["pickup_number"] is None
    assert order["items"][0]["note"] == "少油" and order["items"][0]["options"][0]["name"] == "加辣"
    again = client.post("/api/v1/pos/orders", json=body, headers=auth(token))
    assert again.status_code == 200 and again.get_json()["order"]["id"] == order["id"]
    assert [e.payload["table_code"] for e in _tickets(store)] == ["B3"]  # one ticket, not two


def test_takeaway_gets_the_days_next_pickup_number_on_ticket_and_check(client):
    store = make_store()
    item = make_item(store, name="煎饼", price=800)
    token = _cashier(client, store)
    first = _ring(client, token, item, takeaway=True)[0].get_json()["order"]
    second = _ring(client, token, item, takeaway=True)[0].get_json()["order"]
    assert (first["pickup_number"], second["pickup_number"]) == (1, 2)
    assert first["table_code"] is None and first["table_session_id"] != second["table_session_id"]
    tickets = [e.payload for e in _tickets(store)]
    assert [(t["table_code"], t["pickup_number"]) for t in tickets] == [(None, 1), (None, 2)]
    check = client.get(f"/api/v1/table-sessions/{first['table_session_id']}", headers=auth(token)).get_json()
    assert check["session"]["kind"] == "takeaway" and check["session"]["pickup_number"] == 1
    assert check["session"]["table"] is None and check["session"]["due"] == 800
    listed = client.get("/api/v1/pos/takeaways", headers=auth(token)).get_json()["sessions"]
    assert [s["pickup_number"] for s in listed] == [1, 2]


def test_pay_first_store_sends_a_staff_order_to_the_kitchen_once_paid(client):
    store = make_store(pay_mode="pay_first")
    item = make_item(store, price=1500)
    token = _cashier(client, store)
    order = _ring(client, token, item, takeaway=True)[0].get_json()["order"]
    assert order["status"] == "submitted" and _tickets(store) == []
    r = client.post(f"/api/v1/table-sessions/{order['table_session_id']}/payments/offline",
                    json={"client_key": uuid.uuid4().hex, "channel": "cash", "tendered": 2000}, headers=auth(token))
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["payment"]["change"] == 500
    assert [e.payload["pickup_number"] for e in _tickets(store)] == [1]


def test_ring_up_needs_a_table_or_takeaway_and_refuses_other_stores_tables(client):
    store, other = make_store(), make_store()
    item = make_item(store)
    theirs = make_table(other, code="Z9")
    disabled = make_table(store, code="X1")
    db.session.get(Table, disabled.id).active = False
    db.session.commit()
    token = _cashier(client, store)
    assert _ring(client, token, item)[0].status_code == 422
    assert _ring(client, token, item, table_id=theirs.id)[0].status_code == 404
    assert _ring(client, token, item, table_id=disabled.id)[0].status_code == 404
    cook = make_staff(store, "cook", username="chef", password="cook-pass-1")
    assert cook
    assert _ring(client, staff_token(client, store, "chef", "cook-pass-1"), item, takeaway=True)[0].status_code == 403


def test_item_codes_are_unique_per_store_and_found_by_scan(client):
    store, other = make_store(), make_store()
    cola = make_item(store, name="可乐", price=500, station="bar")
    chips = make_item(store, name="薯片", price=700, station="bar")
    theirs = make_item(other, name="别家可乐")
    owner = staff_token(client, store)
    ok = client.patch(f"/api/v1/admin/items/{cola.id}", json={"code": "6901234567892"}, headers=auth(owner))
    assert ok.status_code == 200 and ok.get_json()["item"]["code"] == "6901234567892"
    taken = client.patch(f"/api/v1/admin/items/{chips.id}", json={"code": "6901234567892"}, headers=auth(owner))
    assert taken.status_code == 409
    typo = client.patch(f"/api/v1/admin/items/{chips.id}", json={"code": "6901234567893"}, headers=auth(owner))
    assert typo.status_code == 422
    assert client.patch(f"/api/v1/admin/items/{chips.id}", json={"code": "SNACK-7"},
                        headers=auth(owner)).status_code == 200
    other_owner = staff_token(client, other)
    assert client.patch(f"/api/v1/admin/items/{theirs.id}", json={"code": "6901234567892"},
                        headers=auth(other_owner)).status_code == 200  # unique per store, not across stores
    token = _cashier(client, store)
    found = client.get("/api/v1/pos/items/by-code/6901234567892", headers=auth(token)).get_json()["item"]
    assert (found["id"], found["name"], found["price"]) == (cola.id, "可乐", 500)
    assert client.get("/api/v1/pos/items/by-code/SNACK-7", headers=auth(token)).get_json()["item"]["id"] == chips.id
    assert client.get("/api/v1/pos/items/by-code/0000000000000", headers=auth(token)).status_code == 404
    cleared = client.patch(f"/api/v1/admin/items/{chips.id}", json={"code": None}, headers=auth(owner))
    assert cleared.get_json()["item"]["code"] is None
    assert client.get("/api/v1/pos/items/by-code/SNACK-7", headers=auth(token)).status_code == 404


def test_shelf_labels_print_every_coded_item_for_managers_only(client):
    store = make_store()
    make_item(store, name="可乐", price=500, station="bar", code="6901234567892")
    make_item(store, name="没条码的菜", price=900)
    page = client.get("/console/menu/labels", headers=auth(staff_token(client, store)))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "可乐" in html and "6901234567892" in html and "¥5.00" in html and "<svg" in html
    assert "没条码的菜" not in html
    cashier = _cashier(client, store)
    assert client.get("/console/menu/labels", headers=auth(cashier)).status_code == 302


def test_only_the_cashier_page_may_use_the_camera(client):
    pos = client.get("/pos")
    assert pos.status_code == 200 and "camera=(self)" in pos.headers["Permissions-Policy"]
    assert "camera=()" in client.get("/console").headers["Permissions-Policy"]
    worker = client.get("/pos-sw.js")
    assert worker.status_code == 200 and "javascript" in worker.mimetype
