"""The console's API: areas and tables, the menu with options and photos, staff and their sessions,
settings (ordering hours, service charge), table codes (QR and mini-program), cookie sessions
with CSRF, and the headers every answer carries."""
from __future__ import annotations

import io
import os
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import zxingcpp
from PIL import Image
from sqlalchemy import select

from models import Order, WxaCode, db
from tests.helpers import (
    auth,
    diner_token,
    make_item,
    make_staff,
    make_store,
    make_table,
    order_body,
    staff_token,
    token_of,
)


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (1600, 1200), exif: bool = False) -> bytes:
    img = Image.new("RGB", size, (200, 120, 40))
    buf = io.BytesIO()
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "PhoneMaker"  # Make
        data[0x8825] = {2: (31.0, 14.0, 0.0)}  # GPS: where the photo was taken
        kwargs["exif"] = data
    img.save(buf, format=fmt, **kwargs)
    return buf.getvalue()


def upload(client, token, item_id, data: bytes, name: str = "dish.jpg"):  # type: ignore[no-untyped-def]
    return client.put(f"/api/v1/admin/items/{item_id}/photo", headers=auth(token),
                      data={"photo": (io.BytesIO(data), name)}, content_type="multipart/form-data")


# --- tables and areas ------------------------------------------------------------------------

def test_areas_and_tables_are_created_renamed_and_disabled(client):
    store = make_store()
    owner = staff_token(client, store)
    area = client.post("/api/v1/admin/areas", json={"name": "露台"}, headers=auth(owner))
    assert area.status_code == 201
    area_id = area.get_json()["area"]["id"]
    assert client.post("/api/v1/admin/areas", json={"name": "露台"}, headers=auth(owner)).status_code == 409
    made = client.post("/api/v1/admin/tables", json={"code": "T1", "area_id": area_id, "seats": 2}, headers=auth(owner))
    assert made.status_code == 201, made.get_json()
    table = made.get_json()["table"]
    assert (table["area"], table["seats"], table["active"]) == ("露台", 2, True)
    assert client.post("/api/v1/admin/tables", json={"code": "T1"}, headers=auth(owner)).status_code == 409
    bad = client.post("/api/v1/admin/tables", json={"code": "T 1!", "seats": 0}, headers=auth(owner))
    assert bad.status_code == 422 and set(bad.get_json()["error"]["fields"]) == {"code", "seats"}
    token = table["qr_url"].rsplit("/t/", 1)[1]
    assert client.get(f"/api/v1/tables/{token}").status_code == 200
    # an area with tables cannot go; a disabled table's code stops working at once, and comes back
    assert client.delete(f"/api/v1/admin/areas/{area_id}", headers=auth(owner)).status_code == 409
    off = client.patch(f"/api/v1/admin/tables/{table['id']}", json={"active": False, "code": "T2", "area_id": None},
                       headers=auth(owner))
    assert off.status_code == 200 and off.get_json()["table"]["area"] is None
    assert client.get(f"/api/v1/tables/{token}").status_code == 404
    client.patch(f"/api/v1/admin/tables/{table['id']}", json={"active": True}, headers=auth(owner))
    assert client.get(f"/api/v1/tables/{token}").status_code == 200
    assert client.delete(f"/api/v1/admin/areas/{area_id}", headers=auth(owner)).status_code == 204
    actions = [e["action"] for e in client.get("/api/v1/admin/audit", headers=auth(owner)).get_json()["entries"]]
    assert actions[:2] == ["table.enable", "table.disable"]


def test_mini_program_code_comes_from_wechat_once_per_code_version(client, live_server):
    store = make_store()
    table = make_table(store)
    owner = staff_token(client, store)
    first = client.get(f"/api/v1/admin/tables/{table.id}/wxacode.png", headers=auth(owner))
    assert first.status_code == 200 and first.mimetype == "image/png"
    text = zxingcpp.read_barcodes(Image.open(io.BytesIO(first.data)))[0].text
    assert text.endswith(f"/pages/table/index?scene={token_of(table)}")  # the scene is the table's QR token
    cached = db.session.execute(select(WxaCode).where(WxaCode.table_id == table.id)).scalar_one()
    assert cached.qr_version == 1 and cached.image == first.data
    db.session.commit()
    again = client.get(f"/api/v1/admin/tables/{table.id}/wxacode.png", headers=auth(owner))
    assert again.data == first.data
    client.post(f"/api/v1/admin/tables/{table.id}/rotate-qr", headers=auth(owner))
    rotated = client.get(f"/api/v1/admin/tables/{table.id}/wxacode.png", headers=auth(owner))
    new_text = zxingcpp.read_barcodes(Image.open(io.BytesIO(rotated.data)))[0].text
    new_url = client.get("/api/v1/admin/tables", headers=auth(owner)).get_json()["tables"][0]["qr_url"]
    assert new_text != text and new_text.endswith(f"scene={new_url.rsplit('/t/', 1)[1]}")


def test_the_print_sheet_holds_every_active_table_code_with_store_and_table(client):
    store = make_store(name="川味小厨")
    a1, a2 = make_table(store, code="A1"), make_table(store, code="A2")
    make_table(store, code="OFF")
    owner = staff_token(client, store)
    rows = client.get("/api/v1/admin/tables", headers=auth(owner)).get_json()["tables"]
    off = [t for t in rows if t["code"] == "OFF"]
    client.patch(f"/api/v1/admin/tables/{off[0]['id']}", json={"active": False}, headers=auth(owner))
    assert client.get("/console/tables/print").status_code == 302  # not signed in
    page = client.get("/console/tables/print", headers=auth(owner))
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and html.count('class="card"') == 2 and "川味小厨" in html
    assert 'data-table="A1"' in html and 'data-table="A2"' in html and 'data-table="OFF"' not in html
    assert html.count("<svg") == 2 and "<script>" not in html
    assert token_of(a1) and token_of(a2)


# --- the menu --------------------------------------------------------------------------------

def test_a_dish_with_options_is_built_and_diners_see_it_priced_from_the_menu(client, live_server):
    store = make_store()
    table = make_table(store)
    owner = staff_token(client, store)
    cat = client.post("/api/v1/admin/categories", json={"name": "面食", "sort": 1}, headers=auth(owner))
    assert cat.status_code == 201
    cat_id = cat.get_json()["category"]["id"]
    item = client.post("/api/v1/admin/items", headers=auth(owner), json={
        "category_id": cat_id, "name": "牛肉面", "price": 2800, "station": "hot", "description": "手工拉面"})
    assert item.status_code == 201, item.get_json()
    item_id = item.get_json()["item"]["id"]
    assert client.post("/api/v1/admin/items", headers=auth(owner), json={
        "category_id": cat_id, "name": "x", "price": 100, "station": "nope"}).status_code == 422
    group = client.post(f"/api/v1/admin/items/{item_id}/option-groups", headers=auth(owner), json={
        "name": "份量", "min": 1, "max": 1,
        "options": [{"name": "小份", "price_delta": -500}, {"name": "大份", "price_delta": 600}]})
    assert group.status_code == 201, group.get_json()
    big = [o for o in group.get_json()["group"]["options"] if o["name"] == "大份"][0]
    assert client.post(f"/api/v1/admin/items/{item_id}/option-groups", headers=auth(owner),
                       json={"name": "坏", "min": 2, "max": 1}).status_code == 422
    menu = client.get(f"/api/v1/stores/{store.id}/menu").get_json()["categories"]
    dish = menu[0]["items"][0]
    assert (dish["name"], dish["price"], dish["description"]) == ("牛肉面", 2800, "手工拉面")
    assert dish["option_groups"][0]["required"] is True
    diner = diner_token(client, live_server)
    body = {"table_token": token_of(table), "client_key": uuid.uuid4().hex,
            "items": [{"item_id": item_id, "qty": 2, "option_ids": [big["id"]], "price": 1}], "total": 1}
    order = client.post("/api/v1/orders", json=body, headers=auth(diner)).get_json()["order"]
    assert order["total"] == 2 * (2800 + 600)  # from the menu, never from the client
    # a price change reaches the menu at once, never an order already placed
    assert client.patch(f"/api/v1/admin/items/{item_id}", json={"price": 3200}, headers=auth(owner)).status_code == 200
    client.patch(f"/api/v1/admin/options/{big['id']}", json={"price_delta": 800}, headers=auth(owner))
    assert client.get(f"/api/v1/stores/{store.id}/menu").get_json()["categories"][0]["items"][0]["price"] == 3200
    assert client.get(f"/api/v1/orders/{order['id']}", headers=auth(diner)).get_json()["order"]["total"] == 6800
    audit = client.get("/api/v1/admin/audit", headers=auth(owner)).get_json()["entries"]
    price = [e for e in audit if e["action"] == "item.price"][0]
    assert (price["before"], price["after"]) == ({"price": 2800}, {"price": 3200})
    assert [e for e in audit if e["action"] == "option.price"][0]["after"] == {"price_delta": 800}
    # off the menu: gone for diners, kept for the console; a category with dishes cannot be deleted
    client.patch(f"/api/v1/admin/items/{item_id}", json={"active": False}, headers=auth(owner))
    assert client.get(f"/api/v1/stores/{store.id}/menu").get_json()["categories"] == []
    admin_menu = client.get("/api/v1/admin/menu", headers=auth(owner)).get_json()["categories"]
    assert admin_menu[0]["items"][0]["active"] is False
    assert client.delete(f"/api/v1/admin/categories/{cat_id}", headers=auth(owner)).status_code == 409


def test_deleting_the_last_options_a_group_needs_is_refused(client):
    store = make_store()
    item = make_item(store, groups=[("辣度", 1, 1, [("微辣", 0)])])
    owner = staff_token(client, store)
    option_id = item.option_groups[0].options[0].id
    r = client.delete(f"/api/v1/admin/options/{option_id}", headers=auth(owner))
    assert r.status_code == 422
    group_id = item.option_groups[0].id
    assert client.delete(f"/api/v1/admin/option-groups/{group_id}", headers=auth(owner)).status_code == 204


def test_photos_are_checked_resized_stripped_and_served(client):
    store = make_store()
    item = make_item(store)
    owner = staff_token(client, store)
    r = upload(client, owner, item.id, image_bytes(exif=True))
    assert r.status_code == 200, r.get_json()
    url = r.get_json()["item"]["photo_url"]
    served = client.get(url)
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert "immutable" in served.headers["Cache-Control"]
    img = Image.open(io.BytesIO(served.data))
    assert max(img.size) == 1200 and img.format == "JPEG"
    assert not img.getexif()  # no phone make, no GPS: the upload was re-encoded
    menu = client.get(f"/api/v1/stores/{store.id}/menu").get_json()["categories"][0]["items"][0]
    assert menu["photo_url"] == url
    # a real phone photo is megabytes, far above the JSON body limit: accepted here, and made small
    noisy = io.BytesIO()
    Image.frombytes("RGB", (1000, 1000), os.urandom(3_000_000)).save(noisy, format="PNG")
    assert len(noisy.getvalue()) > 2_000_000
    big = upload(client, owner, item.id, noisy.getvalue(), "phone.png")
    assert big.status_code == 200, big.get_json()
    assert len(client.get(big.get_json()["item"]["photo_url"]).data) < len(noisy.getvalue()) / 2
    url = big.get_json()["item"]["photo_url"]
    # a new photo gets a new URL; the old one is gone
    png = upload(client, owner, item.id, image_bytes("PNG", (300, 200)), "dish.png").get_json()["item"]["photo_url"]
    assert png != url and client.get(url).status_code == 404 and client.get(png).status_code == 200
    gone = client.delete(f"/api/v1/admin/items/{item.id}/photo", headers=auth(owner))
    assert gone.get_json()["item"]["photo_url"] is None


def test_uploads_that_are_not_photos_or_too_big_are_refused(client):
    store = make_store()
    item = make_item(store)
    owner = staff_token(client, store)
    for data, name in ((b"<?php echo 1; ?>", "shell.jpg"), (b"GIF89a" + b"\0" * 64, "anim.gif"),
                       (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "x.svg"),
                       (image_bytes("GIF", (200, 200)), "real.gif"), (image_bytes("PNG", (20, 20)), "tiny.png"),
                       (image_bytes()[:2000], "truncated.jpg"), (b"", "empty.jpg")):
        r = upload(client, owner, item.id, data, name)
        assert r.status_code == 422 and r.get_json()["error"]["code"] == "validation_error", (name, r.get_json())
    big = b"\xff\xd8\xff" + b"\0" * (5 * 1024 * 1024 + 10)
    r = upload(client, owner, item.id, big)
    assert r.status_code == 413 and r.get_json()["error"]["code"] == "too_large"
    no_field = client.put(f"/api/v1/admin/items/{item.id}/photo", headers=auth(owner), data={"other": "x"},
                          content_type="multipart/form-data")
    assert no_field.status_code == 422
    # JSON bodies elsewhere keep the small limit
    assert client.post("/api/v1/admin/areas", headers=auth(owner), data=b"{" + b" " * 200_000 + b"}",
                       content_type="application/json").status_code == 413
    admin_menu = client.get("/api/v1/admin/menu", headers=auth(owner)).get_json()["categories"]
    assert admin_menu[0]["items"][0]["photo_url"] is None


# --- settings: ordering hours and service charge ----------------------------------------------

def test_ordering_hours_close_the_store_to_diners(client, live_server):
    store = make_store()
    table = make_table(store)
    item = make_item(store)
    owner = staff_token(client, store)
    now = datetime.now(ZoneInfo("Asia/Shanghai"))
    opens, closes = (now + timedelta(hours=1)).strftime("%H:%M"), (now + timedelta(hours=3)).strftime("%H:%M")
    assert client.patch("/api/v1/admin/store", json={"opens_at": opens}, headers=auth(owner)).status_code == 422
    r = client.patch("/api/v1/admin/store", json={"opens_at": opens, "closes_at": closes}, headers=auth(owner))
    assert r.status_code == 200 and r.get_json()["store"]["opens_at"] == opens
    diner = diner_token(client, live_server)
    closed = client.post("/api/v1/orders", json=order_body(table, item), headers=auth(diner))
    assert closed.status_code == 409 and closed.get_json()["error"]["code"] == "invalid_state"
    assert client.get(f"/api/v1/tables/{token_of(table)}").get_json()["store"]["opens_at"] == opens
    client.patch("/api/v1/admin/store", json={"opens_at": None, "closes_at": None}, headers=auth(owner))
    assert client.post("/api/v1/orders", json=order_body(table, item), headers=auth(diner)).status_code == 201


def test_service_charge_is_added_per_order_and_follows_voids(client, live_server):
    store = make_store()
    table = make_table(store)
    item = make_item(store, price=3333)
    owner = staff_token(client, store)
    assert client.patch("/api/v1/admin/store", json={"service_charge_bp": 3001}, headers=auth(owner)).status_code == 422
    client.patch("/api/v1/admin/store", json={"service_charge_bp": 1000}, headers=auth(owner))
    diner = diner_token(client, live_server)
    body = order_body(table, item, qty=3)
    body["items"].append({"item_id": item.id, "qty": 1, "option_ids": [], "note": "少辣"})
    order = client.post("/api/v1/orders", json=body, headers=auth(diner)).get_json()["order"]
    assert (order["service_charge"], order["total"]) == (1333, 13332 + 1333)  # 10% of 133.32, half up
    check = client.get(f"/api/v1/table-sessions/{order['table_session_id']}", headers=auth(diner)).get_json()["session"]
    assert check["total"] == 14665
    # the rate is the order's: changing it later leaves placed orders alone
    client.patch("/api/v1/admin/store", json={"service_charge_bp": 0}, headers=auth(owner))
    line = order["items"][1]["id"]
    void = client.post(f"/api/v1/orders/{order['id']}/items/{line}/cancel", json={"reason": "客人不要了"},
                       headers=auth(owner)).get_json()["order"]
    assert (void["service_charge"], void["total"]) == (1000, 9999 + 1000)
    stored = db.session.get(Order, order["id"])
    assert (stored.service_charge_bp, stored.total) == (1000, 10999)
    db.session.commit()


# --- staff, sessions, passwords -----------------------------------------------------------------

def test_staff_are_created_with_roles_a_manager_may_give(client):
    store = make_store()
    owner = staff_token(client, store)
    mgr = client.post("/api/v1/admin/staff", headers=auth(owner),
                      json={"username": "li.m", "name": "李经理", "role": "manager", "password": "manager-pass-1"})
    assert mgr.status_code == 201 and "password" not in mgr.get_json()["staff"]
    manager = staff_token(client, store, "li.m", "manager-pass-1")
    ok = client.post("/api/v1/admin/staff", headers=auth(manager),
                     json={"username": "wang", "name": "小王", "role": "waiter", "password": "waiter-pass-1"})
    assert ok.status_code == 201
    for role in ("manager", "owner"):
        r = client.post("/api/v1/admin/staff", headers=auth(manager),
                        json={"username": f"x{role}", "name": "x", "role": role, "password": "some-pass-1"})
        assert r.status_code == 403
    owner_id = [s for s in client.get("/api/v1/admin/staff", headers=auth(owner)).get_json()["staff"]
                if s["role"] == "owner"][0]["id"]
    assert client.patch(f"/api/v1/admin/staff/{owner_id}", json={"active": False},
                        headers=auth(manager)).status_code == 403
    waiter_id = ok.get_json()["staff"]["id"]
    assert client.patch(f"/api/v1/admin/staff/{waiter_id}", json={"role": "manager"},
                        headers=auth(manager)).status_code == 403
    assert client.post("/api/v1/admin/staff", headers=auth(owner), json={
        "username": "wang", "name": "重名", "role": "cook", "password": "cook-pass-12"}).status_code == 409
    short = client.post("/api/v1/admin/staff", headers=auth(owner), json={
        "username": "zhao", "name": "赵", "role": "cook", "password": "short"})
    assert short.status_code == 422 and "password" in short.get_json()["error"]["fields"]


def test_deactivation_and_role_changes_end_sessions_at_once(client):
    store = make_store()
    owner = staff_token(client, store)
    cashier = make_staff(store, "cashier", password="cash-pass-1")
    token = staff_token(client, store, cashier.username, "cash-pass-1")
    floor = client.get("/api/v1/floor", headers=auth(token))
    assert floor.status_code == 200 and floor.get_json()["store"]["timezone"] == "Asia/Shanghai"
    assert client.patch(f"/api/v1/admin/staff/{cashier.id}", json={"role": "waiter"},
                        headers=auth(owner)).status_code == 200
    assert client.get("/api/v1/floor", headers=auth(token)).status_code == 401
    token = staff_token(client, store, cashier.username, "cash-pass-1")
    assert client.patch(f"/api/v1/admin/staff/{cashier.id}", json={"active": False},
                        headers=auth(owner)).status_code == 200
    assert client.get("/api/v1/floor", headers=auth(token)).status_code == 401
    r = client.post("/api/v1/staff/login", json={"store": store.slug, "username": cashier.username,
                                                 "password": "cash-pass-1"})
    assert r.status_code == 401
    actions = [e["action"] for e in client.get("/api/v1/admin/audit", headers=auth(owner)).get_json()["entries"]]
    assert actions[:2] == ["staff.deactivate", "staff.role"]


def test_the_store_keeps_an_owner_and_nobody_demotes_themselves(client):
    store = make_store()
    owner = staff_token(client, store)
    me = client.get("/api/v1/staff/session", headers=auth(owner)).get_json()["staff"]["id"]
    assert client.patch(f"/api/v1/admin/staff/{me}", json={"active": False}, headers=auth(owner)).status_code == 403
    assert client.patch(f"/api/v1/admin/staff/{me}", json={"role": "manager"}, headers=auth(owner)).status_code == 403
    assert client.patch(f"/api/v1/admin/staff/{me}", json={"name": "老板"}, headers=auth(owner)).status_code == 200


def test_password_reset_unlocks_and_own_change_needs_the_old_one(client):
    store = make_store()
    owner = staff_token(client, store)
    cook = make_staff(store, "cook", password="cook-pass-1")
    for _ in range(5):
        client.post("/api/v1/staff/login", json={"store": store.slug, "username": cook.username, "password": "nope"})
    locked = client.post("/api/v1/staff/login", json={"store": store.slug, "username": cook.username,
                                                      "password": "cook-pass-1"})
    assert locked.status_code == 429
    everyone = client.get("/api/v1/admin/staff", headers=auth(owner)).get_json()["staff"]
    listed = [s for s in everyone if s["id"] == cook.id]
    assert listed[0]["locked"] is True
    assert client.post(f"/api/v1/admin/staff/{cook.id}/password", json={"password": "fresh-pass-1"},
                       headers=auth(owner)).status_code == 200
    token = staff_token(client, store, cook.username, "fresh-pass-1")
    wrong = client.post("/api/v1/staff/me/password", json={"current_password": "x", "new_password": "newer-pass-1"},
                        headers=auth(token))
    assert wrong.status_code == 422
    changed = client.post("/api/v1/staff/me/password", headers=auth(token),
                          json={"current_password": "fresh-pass-1", "new_password": "newer-pass-1"})
    assert changed.status_code == 200
    assert client.get("/api/v1/kds/settings", headers=auth(token)).status_code == 401  # the old session ended
    assert client.get("/api/v1/kds/settings", headers=auth(changed.get_json()["token"])).status_code == 200


def test_console_cookie_session_needs_csrf_for_writes(client):
    store = make_store()
    r = client.post("/api/v1/staff/session", json={"store": store.slug, "username": "owner", "password": "owner-pass"})
    assert r.status_code == 200
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    body = r.get_json()
    assert "token" not in body and body["permissions"] and len(body["csrf_token"]) >= 32
    assert client.get("/api/v1/admin/areas").status_code == 200  # reads ride on the cookie
    assert client.post("/api/v1/admin/areas", json={"name": "包间"}).status_code == 403
    assert client.post("/api/v1/admin/areas", json={"name": "包间"},
                       headers={"X-CSRF-Token": "0" * 40}).status_code == 403
    ok = client.post("/api/v1/admin/areas", json={"name": "包间"}, headers={"X-CSRF-Token": body["csrf_token"]})
    assert ok.status_code == 201
    assert client.get("/api/v1/staff/session").get_json()["csrf_token"] == body["csrf_token"]
    out = client.delete("/api/v1/staff/session")
    assert out.status_code == 204 and "diancan_staff=;" in out.headers["Set-Cookie"]
    assert client.get("/api/v1/admin/areas").status_code == 401


def test_secure_cookie_over_https(client):
    store = make_store()
    r = client.post("/api/v1/staff/session", base_url="https://shop.example",
                    json={"store": store.slug, "username": "owner", "password": "owner-pass"})
    assert "Secure" in r.headers["Set-Cookie"]
    assert "max-age=" in r.headers["Strict-Transport-Security"]


def test_every_answer_carries_security_headers(client):
    page = client.get("/console")
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    for r in (page, client.get("/api/v1/openapi.json"), client.get("/t/whatever")):
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["X-Frame-Options"] == "DENY"
        assert r.headers["Referrer-Policy"] == "same-origin"


def test_create_store_command_makes_a_store_whose_owner_can_sign_in(app, client):
    slug = f"cli{uuid.uuid4().hex[:8]}"
    result = app.test_cli_runner().invoke(args=["create-store", slug, "新店", "--owner", "boss",
                                                "--password", "boss-pass-123"])
    assert result.exit_code == 0, result.output
    assert "boss-pass-123" not in result.output
    r = client.post("/api/v1/staff/session", json={"store": slug, "username": "boss", "password": "boss-pass-123"})
    assert r.status_code == 200 and r.get_json()["staff"]["role"] == "owner"
    again = app.test_cli_runner().invoke(args=["create-store", slug, "新店", "--password", "x-pass-12345"])
    assert again.exit_code != 0 and "exists" in again.output
    weak = app.test_cli_runner().invoke(args=["create-store", f"w{slug}", "新店", "--password", "short"])
    assert weak.exit_code != 0 and "8 characters" in weak.output
    bad = app.test_cli_runner().invoke(args=["create-store", "Bad Slug!", "新店", "--password", "x-pass-12345"])
    assert bad.exit_code != 0


def test_audit_filters_by_days_in_the_stores_time_zone(client):
    store = make_store()
    owner = staff_token(client, store)
    client.post("/api/v1/admin/areas", json={"name": "二楼"}, headers=auth(owner))
    client.patch("/api/v1/admin/store", json={"name": "改名小馆"}, headers=auth(owner))
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    got = client.get(f"/api/v1/admin/audit?date_from={today}&date_to={today}&action=store.update",
                     headers=auth(owner)).get_json()["entries"]
    assert [(e["before"], e["after"]) for e in got] == [({"name": "测试小馆"}, {"name": "改名小馆"})]
    tomorrow = today + timedelta(days=1)
    assert client.get(f"/api/v1/admin/audit?date_from={tomorrow}", headers=auth(owner)).get_json()["entries"] == []
    assert client.get(f"/api/v1/admin/audit?date_to={today - timedelta(days=1)}",
                      headers=auth(owner)).get_json()["entries"] == []
    assert client.get("/api/v1/admin/audit?date_from=2026-13-40", headers=auth(owner)).status_code == 422


def test_the_cached_menu_follows_every_change(client):
    """The diner's menu is cached per menu version; stock, sold-out and new dishes still show at once."""
    store = make_store()
    item = make_item(store, name="酸辣粉", price=1500)
    owner = staff_token(client, store)
    cook = make_staff(store, "cook", password="cook-pass-1")
    cook_token = staff_token(client, store, cook.username, "cook-pass-1")

    def dishes():  # type: ignore[no-untyped-def]
        cats = client.get(f"/api/v1/stores/{store.id}/menu").get_json()["categories"]
        return {i["name"]: i for c in cats for i in c["items"]}

    assert dishes()["酸辣粉"]["sold_out"] is False
    client.post(f"/api/v1/kds/items/{item.id}/sold-out", json={"sold_out": True}, headers=auth(cook_token))
    assert dishes()["酸辣粉"]["sold_out"] is True  # live, not from the cache
    client.patch(f"/api/v1/admin/items/{item.id}", json={"stock": 3, "sold_out": False}, headers=auth(owner))
    assert (dishes()["酸辣粉"]["stock"], dishes()["酸辣粉"]["sold_out"]) == (3, False)
    client.patch(f"/api/v1/admin/items/{item.id}", json={"description": "微辣"}, headers=auth(owner))
    assert dishes()["酸辣粉"]["description"] == "微辣"  # a new menu version
    make_item(store, name="冰粉", price=600)  # written straight to the database: a new set of dishes
    assert set(dishes()) == {"酸辣粉", "冰粉"}
    assert client.get("/api/v1/stores/2147483000/menu").status_code == 404
