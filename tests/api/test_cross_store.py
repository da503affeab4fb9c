"""Stores on one installation never reach each other.

Store B is filled with one of everything (area, table, check, order, ticket, call, payment,
category, dish, options, photo, station, staff, screen). Then every route of the app that takes
an id is called with B's ids, as A's owner and as a diner who ordered at A, with a body that
would be valid: every answer is 403 or 404 (a diner's token on a staff-only route, or a staff
token on a diner-only one, is not that kind of login at all: 401), and B's data is unchanged.
"""
from __future__ import annotations

import io
import re
import uuid

import pytest
from PIL import Image
from sqlalchemy import inspect, select

from models import (
    Area,
    AuditLog,
    Category,
    Coupon,
    Discount,
    Ingredient,
    Item,
    ItemPhoto,
    Option,
    OptionGroup,
    Order,
    Payment,
    Printer,
    PrintJob,
    RecipeLine,
    Shift,
    Staff,
    Station,
    StockMove,
    Store,
    Table,
    TableSession,
    Ticket,
    TicketItem,
    WaiterCall,
    db,
)
from tests.helpers import auth, diner_token, make_item, make_staff, make_store, make_table, order_body, staff_token

# Routes whose ids are not a tenant's secret, by design.
PUBLIC = {
    "diner.store_menu",  # a store's menu is what its QR page shows anyone
    "item_photo",  # dish photos are on that menu
    "coupons.offers",  # a store's coupons are shown on that menu
    "coupons.claim",  # and any diner who sees them may claim one (their limits hold: tests/reports)
    "together.store_pairings",  # "often ordered with" is shown on that menu
}
# Routes keyed by a table's QR token: holding the printed code is the right to use them.
BY_QR_TOKEN = re.compile(r"<string:qr_token>")

# A body each route would accept, so the request gets as far as looking the id up.
BODIES = {
    "admin.patch_area": {"name": "hijack"},
    "admin.patch_table": {"seats": 2},
    "admin.patch_station": {"name": "hijack"},
    "admin_menu.patch_category": {"name": "hijack"},
    "admin_menu.patch_item": {"price": 1},
    "admin_menu.create_group": {"name": "hijack", "min": 0, "max": 1},
    "admin_menu.patch_group": {"name": "hijack"},
    "admin_menu.create_option": {"name": "hijack", "price_delta": 0},
    "admin_menu.patch_option": {"price_delta": -100},
    "admin_staff.patch_staff": {"active": False},
    "admin_staff.reset_password": {"password": "taken-over-1"},
    "kds.mark_sold_out": {"sold_out": True},
    "kds.item_status": {"status": "done"},
    "diner.cancel_line": {"reason": "hijack"},
    "payments.pay_order": {"client_key": "k" * 16},
    "payments.pay_check": {"client_key": "k" * 16},
    "payments.pay_offline": {"client_key": "k" * 16, "channel": "cash", "amount": 1},
    "codepay.pay_by_code": {"client_key": "k" * 16, "auth_code": "281234567890123456"},  # an Alipay code
    "payments.refund": {"client_key": "k" * 16, "amount": 1, "reason": "hijack"},
    "pos.discount": {"client_key": "k" * 16, "kind": "percent", "value": 100, "reason": "hijack"},
    "pos.move": {"to_table_id": 1},
    "pos.close_shift": {"counted_cash": 0, "note": "hijack"},
    "admin_printers.patch_printer": {"name": "hijack", "host": "10.0.0.66"},
    "admin_printers.test_print": {"client_key": "k" * 16},
    "admin_printers.reprint": {"client_key": "k" * 16},
    "stock.delivery": {"client_key": "k" * 16, "qty": 5},
    "stock.count": {"client_key": "k" * 16, "counted": 0},
    "stock.put_recipe": {"lines": []},
    "stock.patch": {"low_at": 1},
}
# A query each GET route needs to get as far as the id look-up.
QUERIES = {"pos.split": "?ways=2"}
# Which of B's ids each path parameter takes; (endpoint, parameter) overrides the parameter's name.
OVERRIDES = {("kds.item_status", "item_id"): "ticket_item_id"}


def png_bytes(size: tuple[int, int] = (200, 150), color: str = "orange") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, format="PNG")
    return buf.getvalue()


@pytest.fixture(scope="module")
def store_b(app, live_server):  # type: ignore[no-untyped-def]
    """Store B with one of everything, made through the API as its own owner and diner."""
    client = app.test_client()
    store = make_store()
    table = make_table(store, code="B1")
    item = make_item(store, groups=[("辣度", 0, 1, [("微辣", 0), ("特辣", 100)])])
    owner = staff_token(client, store)
    diner = diner_token(client, live_server)
    order = client.post("/api/v1/orders", json=order_body(table, item), headers=auth(diner)).get_json()["order"]
    client.post(f"/api/v1/tables/{order_body(table, item)['table_token']}/calls", json={"kind": "waiter"},
                headers=auth(diner))
    paid = client.post(f"/api/v1/table-sessions/{order['table_session_id']}/payments/offline",
                       json={"client_key": uuid.uuid4().hex, "channel": "cash", "amount": 100}, headers=auth(owner))
    assert paid.status_code == 201, paid.get_data(as_text=True)
    device = client.post("/api/v1/admin/kds/devices", json={"name": "B screen"}, headers=auth(owner))
    photo = client.put(f"/api/v1/admin/items/{item.id}/photo", headers=auth(owner),
                       data={"photo": (io.BytesIO(png_bytes()), "dish.png")}, content_type="multipart/form-data")
    assert photo.status_code == 200, photo.get_data(as_text=True)
    cook = make_staff(store, "cook")
    coded = client.patch(f"/api/v1/admin/items/{item.id}", json={"code": "B-SHELF-1"}, headers=auth(owner))
    assert coded.status_code == 200, coded.get_data(as_text=True)
    shift = client.post("/api/v1/shifts", json={"opening_cash": 100}, headers=auth(owner))
    assert shift.status_code == 201, shift.get_data(as_text=True)
    printer = client.post("/api/v1/admin/printers", headers=auth(owner), json={
        "name": "B 热菜", "kind": "escpos", "host": "192.0.2.1", "port": 9100, "stations": ["hot"]})
    printer_id = printer.get_json()["printer"]["id"]
    job = client.post(f"/api/v1/admin/printers/{printer_id}/test", json={}, headers=auth(owner)).get_json()["job"]
    coupon = client.post("/api/v1/admin/coupons", headers=auth(owner), json={
        "name": "B券", "kind": "amount_off", "value": 100, "starts_at": "2026-01-01T00:00:00+08:00",
        "ends_at": "2099-01-01T00:00:00+08:00"})
    assert coupon.status_code == 201, coupon.get_data(as_text=True)
    ingredient = client.post("/api/v1/admin/ingredients", headers=auth(owner), json={
        "name": "B蛋", "unit": "pcs", "on_hand": 10})
    assert ingredient.status_code == 201, ingredient.get_data(as_text=True)
    s = db.session
    # Printed already: no print worker (the live server runs one) changes B's rows during the walk.
    s.query(PrintJob).filter(PrintJob.store_id == store.id).update({"status": "printed"})
    ids = {
        "table_id": table.id, "area_id": table.area_id, "item_id": item.id, "category_id": item.category_id,
        "group_id": item.option_groups[0].id, "option_id": item.option_groups[0].options[0].id,
        "staff_id": cook.id, "device_id": device.get_json()["device"]["id"], "session_id": order["table_session_id"],
        "order_id": order["id"], "line_id": order["items"][0]["id"], "payment_id": paid.get_json()["payment"]["id"],
        "station_id": s.execute(select(Station.id).where(Station.store_id == store.id)).scalars().first(),
        "ticket_id": s.execute(select(Ticket.id).where(Ticket.store_id == store.id)).scalars().first(),
        "ticket_item_id": s.execute(select(TicketItem.id).where(TicketItem.store_id == store.id)).scalars().first(),
        "call_id": s.execute(select(WaiterCall.id).where(WaiterCall.store_id == store.id)).scalars().first(),
        "store_id": store.id, "code": "B-SHELF-1", "shift_id": shift.get_json()["shift"]["id"],
        "printer_id": printer_id, "job_id": job["id"], "coupon_id": coupon.get_json()["coupon"]["id"],
        "ingredient_id": ingredient.get_json()["ingredient"]["id"],
    }
    s.commit()
    assert all(ids.values()), ids
    return store, ids


def columns(row: object) -> tuple[tuple[str, str], ...]:
    return tuple((c.key, str(getattr(row, c.key))) for c in inspect(row).mapper.column_attrs)


def snapshot(store_id: int) -> dict[str, object]:
    """Everything about store B that a cross-store write could change."""
    s = db.session
    rows = {
        model.__name__: sorted(columns(r) for r in s.execute(select(model).where(model.store_id == store_id)).scalars())
        for model in (Area, Table, Category, Item, OptionGroup, Option, Staff, Station, TableSession, Order,
                      Payment, Ticket, TicketItem, WaiterCall, AuditLog, Discount, Shift, Printer, PrintJob, Coupon,
                      Ingredient, RecipeLine, StockMove)
    }
    photos = s.execute(select(ItemPhoto).where(ItemPhoto.store_id == store_id)).scalars()
    rows["photos"] = sorted(p.etag for p in photos)
    rows["store"] = columns(s.get(Store, store_id))
    s.commit()
    return rows


@pytest.fixture(scope="module")
def callers_a(app, live_server):  # type: ignore[no-untyped-def]
    """Store A's owner, and a diner who has ordered at A (so holds a valid diner token)."""
    client = app.test_client()
    store = make_store()
    table = make_table(store, code="A1")
    item = make_item(store)
    diner = diner_token(client, live_server)
    assert client.post("/api/v1/orders", json=order_body(table, item), headers=auth(diner)).status_code == 201
    return {"owner of A": staff_token(client, store), "diner of A": diner}


def id_routes(app):  # type: ignore[no-untyped-def]
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.arguments or rule.endpoint in PUBLIC or BY_QR_TOKEN.search(rule.rule):
            continue
        if not rule.rule.startswith("/api/"):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def test_every_id_route_refuses_another_stores_ids(app, client, store_b, callers_a):
    store, ids = store_b
    before = snapshot(store.id)
    walked, leaks = 0, []
    for rule, method in id_routes(app):
        values = {arg: ids[OVERRIDES.get((rule.endpoint, arg), arg)] for arg in rule.arguments}
        path = rule.rule
        for arg, value in values.items():
            path = re.sub(rf"<(?:int:|path:)?{arg}>", str(value), path)
        path += QUERIES.get(rule.endpoint, "")
        for who, token in callers_a.items():
            kwargs = {"headers": auth(token)}
            if rule.endpoint == "admin_menu.put_photo":
                kwargs |= {"data": {"photo": (io.BytesIO(png_bytes(color="red")), "x.png")},
                           "content_type": "multipart/form-data"}
            elif method in ("POST", "PATCH", "PUT"):
                kwargs["json"] = BODIES.get(rule.endpoint, {})
            status = client.open(path, method=method, **kwargs).status_code
            walked += 1
            view = app.view_functions[rule.endpoint]
            wrong_kind = (who == "diner of A" and hasattr(view, "permission")
                          or who == "owner of A" and getattr(view, "diner_only", False))
            refused = (401, 403, 404) if wrong_kind else (403, 404)
            if status not in refused:
                leaks.append((who, method, path, rule.endpoint, status))
    assert leaks == []
    assert walked >= 60
    after = snapshot(store.id)
    assert {k: v for k, v in after.items() if v != before[k]} == {}


def test_every_body_route_with_ids_has_a_valid_body_here(app):
    """So the walk above really reaches the id look-up instead of stopping at a 422."""
    missing = [rule.endpoint for rule, method in id_routes(app)
               if method in ("POST", "PATCH", "PUT") and rule.endpoint not in BODIES
               and rule.endpoint not in {"admin_menu.put_photo", "admin.rotate_qr", "kds.bump", "kds.recall",
                                         "admin_staff.reset_password", "table_service.finish_call",
                                         "diner.close_table_session", "kds_devices.revoke_device",
                                         "payments.cancel_payment", "coupons.pause", "coupons.resume",
                                         "coupons.end"}]
    assert missing == []


def test_ids_in_bodies_are_scoped_too(client, store_b, callers_a):
    store, ids = store_b
    owner = callers_a["owner of A"]
    r = client.post("/api/v1/admin/items", headers=auth(owner),
                    json={"category_id": ids["category_id"], "name": "x", "price": 100, "station": "hot"})
    assert r.status_code == 404
    r = client.post("/api/v1/admin/tables", headers=auth(owner), json={"code": "Z9", "area_id": ids["area_id"]})
    assert r.status_code == 404
    r = client.get(f"/api/v1/admin/audit?staff_id={ids['staff_id']}", headers=auth(owner))
    assert r.status_code == 200 and r.get_json()["entries"] == []


def test_a_store_b_token_cannot_read_store_a_lists(client, store_b, callers_a):
    """The list routes answer only the caller's store (nothing of B appears in A's lists)."""
    store, ids = store_b
    owner = callers_a["owner of A"]
    tables = client.get("/api/v1/admin/tables", headers=auth(owner)).get_json()["tables"]
    assert ids["table_id"] not in {t["id"] for t in tables}
    menu = client.get("/api/v1/admin/menu", headers=auth(owner)).get_json()["categories"]
    assert ids["item_id"] not in {i["id"] for c in menu for i in c["items"]}
    staff = client.get("/api/v1/admin/staff", headers=auth(owner)).get_json()["staff"]
    assert ids["staff_id"] not in {m["id"] for m in staff}
    devices = client.get("/api/v1/admin/kds/devices", headers=auth(owner)).get_json()["devices"]
    assert ids["device_id"] not in {d["id"] for d in devices}
