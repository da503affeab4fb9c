"""Routing to stations, bump, recall, undo and the all-day counts, through the kitchen API."""
from __future__ import annotations

from tests.helpers import auth, diner_token, make_item, make_staff, make_store, make_table, staff_token, token_of


def _setup(client, live_server):
    store = make_store()
    table = make_table(store)
    hot = make_item(store, name="宫保鸡丁", station="hot")
    cold = make_item(store, name="拍黄瓜", station="cold", price=1200)
    make_staff(store, "cook", username="chef", password="cook-pass-1")
    cook = staff_token(client, store, "chef", "cook-pass-1")
    diner = diner_token(client, live_server)
    return store, table, hot, cold, cook, diner


def _order(client, table, diner, *lines):
    import uuid

    body = {"table_token": token_of(table), "client_key": uuid.uuid4().hex,
            "items": [{"item_id": item.id, "qty": qty, "option_ids": [], "note": ""} for item, qty in lines]}
    r = client.post("/api/v1/orders", json=body, headers=auth(diner))
    assert r.status_code == 201, r.get_json()
    return r.get_json()["order"]


def _open(client, cook, stations=""):
    return client.get(f"/api/v1/kds/tickets?status=open&stations={stations}", headers=auth(cook)).get_json()


def test_an_order_becomes_one_ticket_per_station(client, live_server):
    _, table, hot, cold, cook, diner = _setup(client, live_server)
    order = _order(client, table, diner, (hot, 2), (cold, 1), (hot, 1))
    tickets = [t for t in _open(client, cook)["tickets"] if t["order_id"] == order["id"]]
    assert sorted((t["station"], [(i["name"], i["qty"]) for i in t["items"]]) for t in tickets) == [
        ("cold", [("拍黄瓜", 1)]), ("hot", [("宫保鸡丁", 2), ("宫保鸡丁", 1)])]
    assert [t["station"] for t in _open(client, cook, "cold")["tickets"]] == ["cold"]


def test_bump_recall_and_undo(client, live_server):
    _, table, hot, cold, cook, diner = _setup(client, live_server)
    order = _order(client, table, diner, (hot, 1), (cold, 1))
    hot_t, cold_t = sorted(_open(client, cook)["tickets"], key=lambda t: t["station"] != "hot")
    assert client.post(f"/api/v1/kds/tickets/{hot_t['id']}/bump", headers=auth(cook)).status_code == 200
    assert client.post(f"/api/v1/kds/tickets/{hot_t['id']}/bump", headers=auth(cook)).status_code == 409
    assert client.get(f"/api/v1/orders/{order['id']}", headers=auth(diner)).get_json()["order"]["status"] == "preparing"
    client.post(f"/api/v1/kds/tickets/{cold_t['id']}/bump", headers=auth(cook))
    assert client.get(f"/api/v1/orders/{order['id']}", headers=auth(diner)).get_json()["order"]["status"] == "ready"
    undone = client.post("/api/v1/kds/undo", headers=auth(cook))
    assert undone.status_code == 200 and undone.get_json()["ticket"]["id"] == cold_t["id"]
    # Back as the cook left it: nothing on it was started before the bump (not all struck through).
    assert undone.get_json()["ticket"]["status"] == "new"
    assert [i["status"] for i in undone.get_json()["ticket"]["items"]] == ["new"]
    assert client.get(f"/api/v1/orders/{order['id']}", headers=auth(diner)).get_json()["order"]["status"] == "preparing"
    recalled = client.post(f"/api/v1/kds/tickets/{hot_t['id']}/recall", headers=auth(cook))
    assert recalled.status_code == 200
    assert {t["id"] for t in _open(client, cook)["tickets"]} == {hot_t["id"], cold_t["id"]}
    assert client.post(f"/api/v1/kds/tickets/{hot_t['id']}/recall", headers=auth(cook)).status_code == 409


def test_all_day_counts_what_is_still_to_cook(client, live_server):
    _, table, hot, cold, cook, diner = _setup(client, live_server)
    _order(client, table, diner, (hot, 2), (cold, 1))
    _order(client, table, diner, (hot, 3))
    counts = client.get("/api/v1/kds/all-day", headers=auth(cook)).get_json()["items"]
    assert counts == [{"item_id": hot.id, "name": "宫保鸡丁", "sold_out": False, "qty": 5},
                      {"item_id": cold.id, "name": "拍黄瓜", "sold_out": False, "qty": 1}]
    first_hot = next(t for t in _open(client, cook, "hot")["tickets"])
    client.post(f"/api/v1/kds/ticket-items/{first_hot['items'][0]['id']}/status", json={"status": "done"},
                headers=auth(cook))
    counts = client.get("/api/v1/kds/all-day?stations=hot", headers=auth(cook)).get_json()["items"]
    assert counts == [{"item_id": hot.id, "name": "宫保鸡丁", "sold_out": False, "qty": 3}]
