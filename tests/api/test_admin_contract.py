"""The contract's admin routes: table QR codes, rotation, store and item changes."""
from __future__ import annotations

import io

import zxingcpp
from PIL import Image

from tests.helpers import auth, make_item, make_staff, make_store, make_table, staff_token, token_of


def test_admin_tables_carry_a_working_qr_url(client):
    store = make_store()
    table = make_table(store, code="B3")
    owner = staff_token(client, store)
    rows = client.get("/api/v1/admin/tables", headers=auth(owner)).get_json()["tables"]
    assert [r["code"] for r in rows] == ["B3"]
    token = rows[0]["qr_url"].rsplit("/t/", 1)[1]
    assert token == token_of(table)
    assert client.get(f"/api/v1/tables/{token}").get_json()["table"]["code"] == "B3"


def test_qr_png_and_svg_encode_the_table_link(client, live_server):
    store = make_store()
    table = make_table(store)
    owner = staff_token(client, store)
    png = client.get(f"/api/v1/admin/tables/{table.id}/qr.png", headers=auth(owner))
    assert png.status_code == 200 and png.mimetype == "image/png" and png.data[:8] == b"\x89PNG\r\n\x1a\n"
    svg = client.get(f"/api/v1/admin/tables/{table.id}/qr.svg", headers=auth(owner))
    assert svg.status_code == 200 and b"<svg" in svg.data
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.data)))
    assert [c.text for c in decoded] == [f"{live_server}/t/{token_of(table)}"]


def test_rotating_a_code_voids_the_old_one_at_once(client):
    store = make_store()
    table = make_table(store)
    old = token_of(table)
    owner = staff_token(client, store)
    r = client.post(f"/api/v1/admin/tables/{table.id}/rotate-qr", headers=auth(owner))
    assert r.status_code == 200
    new = r.get_json()["table"]["qr_url"].rsplit("/t/", 1)[1]
    assert new != old
    assert client.get(f"/api/v1/tables/{old}").status_code == 404
    assert client.get(f"/api/v1/tables/{new}").status_code == 200


def test_another_stores_table_is_not_found(client):
    store, other = make_store(), make_store()
    foreign = make_table(other)
    owner = staff_token(client, store)
    for path in (f"/api/v1/admin/tables/{foreign.id}/qr.png", f"/api/v1/admin/tables/{foreign.id}/qr.svg"):
        assert client.get(path, headers=auth(owner)).status_code == 404
    assert client.post(f"/api/v1/admin/tables/{foreign.id}/rotate-qr", headers=auth(owner)).status_code == 404


def test_patch_store_and_item(client):
    store = make_store()
    item = make_item(store, price=1000)
    owner = staff_token(client, store)
    r = client.patch("/api/v1/admin/store", json={"pay_mode": "pay_first", "name": "新名字"}, headers=auth(owner))
    assert r.status_code == 200 and r.get_json()["store"]["pay_mode"] == "pay_first"
    assert client.patch("/api/v1/admin/store", json={"pay_mode": "whenever"}, headers=auth(owner)).status_code == 422
    r = client.patch(f"/api/v1/admin/items/{item.id}", json={"price": 1200, "stock": 0}, headers=auth(owner))
    assert r.status_code == 200
    body = r.get_json()["item"]
    assert body["price"] == 1200 and body["stock"] == 0 and body["sold_out"] is True
    bad = client.patch(f"/api/v1/admin/items/{item.id}", json={"station": "nowhere"}, headers=auth(owner))
    assert bad.status_code == 422


def test_a_cook_cannot_use_admin_routes(client):
    store = make_store()
    make_staff(store, "cook", username="chef", password="cook-pass-1")
    cook = staff_token(client, store, "chef", "cook-pass-1")
    assert client.get("/api/v1/admin/tables", headers=auth(cook)).status_code == 403
    assert client.patch("/api/v1/admin/store", json={"name": "x"}, headers=auth(cook)).status_code == 403
