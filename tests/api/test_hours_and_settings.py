"""Serving hours, kitchen stations and the ticket timer thresholds a store sets."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tests.helpers import auth, diner_token, make_item, make_staff, make_store, make_table, order_body, staff_token


def _window(minutes_from_now: int, length: int) -> tuple[str, str]:
    now = datetime.now(ZoneInfo("Asia/Shanghai"))
    start = now + timedelta(minutes=minutes_from_now)
    return start.strftime("%H:%M"), (start + timedelta(minutes=length)).strftime("%H:%M")


def test_an_item_outside_its_hours_cannot_be_ordered_or_added(client, live_server):
    store = make_store()
    table = make_table(store)
    later = make_item(store, name="夜宵烤串")
    owner = staff_token(client, store)
    start, end = _window(60, 120)
    r = client.patch(f"/api/v1/admin/items/{later.id}", json={"available_from": start, "available_until": end},
                     headers=auth(owner))
    assert r.status_code == 200 and r.get_json()["item"]["available_from"] == start
    diner = diner_token(client, live_server)
    refused = client.post("/api/v1/orders", json=order_body(table, later), headers=auth(diner))
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "sold_out"
    from tests.helpers import token_of

    cart = client.post(f"/api/v1/tables/{token_of(table)}/cart/lines", json={"item_id": later.id},
                       headers=auth(diner))
    assert cart.status_code == 409
    start, end = _window(-30, 120)  # now inside the window
    client.patch(f"/api/v1/admin/items/{later.id}", json={"available_from": start, "available_until": end},
                 headers=auth(owner))
    assert client.post("/api/v1/orders", json=order_body(table, later), headers=auth(diner)).status_code == 201
    bad = client.patch(f"/api/v1/admin/items/{later.id}", json={"available_from": "25:00"}, headers=auth(owner))
    assert bad.status_code == 422


def test_stations_are_configurable_and_routing_uses_them(client):
    store = make_store()
    owner = staff_token(client, store)
    r = client.post("/api/v1/admin/stations", json={"code": "grill", "name": "烧烤", "sort": 3}, headers=auth(owner))
    assert r.status_code == 201
    taken = client.post("/api/v1/admin/stations", json={"code": "grill", "name": "x"}, headers=auth(owner))
    assert taken.status_code == 409
    codes = [s["code"] for s in client.get("/api/v1/admin/stations", headers=auth(owner)).get_json()["stations"]]
    assert codes == ["hot", "cold", "bar", "grill"]
    item = make_item(store)
    moved = client.patch(f"/api/v1/admin/items/{item.id}", json={"station": "grill"}, headers=auth(owner))
    assert moved.status_code == 200 and moved.get_json()["item"]["station"] == "grill"


def test_screens_read_the_stores_timer_thresholds(client):
    store = make_store()
    make_staff(store, "cook", username="chef", password="cook-pass-1")
    owner, cook = staff_token(client, store), staff_token(client, store, "chef", "cook-pass-1")
    assert client.get("/api/v1/kds/settings", headers=auth(cook)).get_json()["warn_minutes"] == 8
    r = client.patch("/api/v1/admin/store", json={"kds_warn_minutes": 5, "kds_late_minutes": 12}, headers=auth(owner))
    assert r.status_code == 200
    settings = client.get("/api/v1/kds/settings", headers=auth(cook)).get_json()
    assert (settings["warn_minutes"], settings["late_minutes"]) == (5, 12)
    assert {"code": "hot", "name": "热菜"} in settings["stations"]
    backwards = client.patch("/api/v1/admin/store", json={"kds_warn_minutes": 20}, headers=auth(owner))
    assert backwards.status_code == 422
