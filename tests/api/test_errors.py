"""Bad input gets a clear JSON error with a stable code, never a 500, and stores nothing."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from models import KitchenEvent, Order, Ticket, db
from tests.helpers import auth, diner_token, make_item, make_store, make_table, order_body, staff_token


def _counts(store_id: int) -> tuple[int, int, int]:
    db.session.remove()
    out = tuple(db.session.execute(select(func.count()).select_from(m).where(m.store_id == store_id)).scalar()
                for m in (Order, Ticket, KitchenEvent))
    db.session.commit()
    return out  # type: ignore[return-value]


def _error(resp, status: int, code: str) -> dict:
    assert resp.status_code == status, resp.get_data(as_text=True)
    body = resp.get_json()
    assert body["error"]["code"] == code and body["error"]["message"]
    return body["error"]


@pytest.fixture()
def ordering(client, live_server):
    store = make_store()
    table, item = make_table(store), make_item(store, stock=5)
    return store, table, item, diner_token(client, live_server)


@pytest.mark.parametrize("mutate", [
    lambda b: b["items"][0].update(qty="2"),
    lambda b: b["items"][0].update(item_id=1.5),
    lambda b: b.update(items="宫保鸡丁"),
    lambda b: b.update(items=[]),
    lambda b: b.pop("client_key"),
    lambda b: b.update(client_key="short"),
    lambda b: b["items"][0].update(qty=0),
    lambda b: b["items"][0].update(option_ids=["x"]),
    lambda b: b.update(remark="长" * 201),
])
def test_malformed_orders_are_422_with_fields_and_store_nothing(client, ordering, mutate):
    store, table, item, diner = ordering
    body = order_body(table, item)
    mutate(body)
    error = _error(client.post("/api/v1/orders", json=body, headers=auth(diner)), 422, "validation_error")
    assert error["fields"]
    assert _counts(store.id) == (0, 0, 0)


def test_bad_json_and_wrong_content_types(client, ordering):
    store, _, _, diner = ordering
    _error(client.post("/api/v1/orders", data="{bad", content_type="application/json", headers=auth(diner)),
           400, "invalid_request")
    _error(client.post("/api/v1/orders", data="a=1", content_type="application/x-www-form-urlencoded",
                       headers=auth(diner)), 422, "validation_error")
    _error(client.post("/api/v1/orders", json=[1, 2], headers=auth(diner)), 422, "validation_error")
    assert _counts(store.id) == (0, 0, 0)


def test_a_huge_body_is_413(client, ordering):
    _, table, item, diner = ordering
    body = order_body(table, item, note="x" * 100_000)
    _error(client.post("/api/v1/orders", json=body, headers=auth(diner)), 413, "too_large")


def test_unknown_ids_are_404(client, ordering):
    store, _, _, diner = ordering
    owner = staff_token(client, store)
    for path in ("/api/v1/orders/987654", "/api/v1/table-sessions/987654", "/api/v1/stores/987654/menu",
                 "/api/v1/tables/zz.1.nope", "/api/v1/orders/99999999999999999999"):
        _error(client.get(path, headers=auth(diner)), 404, "not_found")
    _error(client.post("/api/v1/kds/tickets/987654/bump", headers=auth(owner)), 404, "not_found")


def test_missing_forged_and_wrong_tokens(client, ordering):
    store, table, item, diner = ordering
    _error(client.post("/api/v1/orders", json=order_body(table, item)), 401, "unauthorized")
    _error(client.post("/api/v1/orders", json=order_body(table, item), headers=auth(diner[:-3] + "abc")),
           401, "unauthorized")
    owner = staff_token(client, store)
    _error(client.post("/api/v1/orders", json=order_body(table, item), headers=auth(owner)), 401, "unauthorized")
    _error(client.get("/api/v1/kds/tickets", headers=auth(diner)), 401, "unauthorized")
    _error(client.get("/api/v1/admin/tables", headers={"Authorization": "Basic abc"}), 401, "unauthorized")


def test_sold_out_is_409_and_stock_never_goes_negative(client, ordering):
    store, table, item, diner = ordering
    _error(client.post("/api/v1/orders", json=order_body(table, item, qty=6), headers=auth(diner)), 409, "sold_out")
    assert client.post("/api/v1/orders", json=order_body(table, item, qty=5), headers=auth(diner)).status_code == 201
    _error(client.post("/api/v1/orders", json=order_body(table, item, qty=1), headers=auth(diner)), 409, "sold_out")
    assert _counts(store.id)[0] == 1


def test_a_client_key_reused_by_someone_else_is_a_conflict(client, live_server, ordering):
    _, table, item, diner = ordering
    key = uuid.uuid4().hex
    first = client.post("/api/v1/orders", json=order_body(table, item, client_key=key), headers=auth(diner))
    assert first.status_code == 201
    other = diner_token(client, live_server)
    _error(client.post("/api/v1/orders", json=order_body(table, item, client_key=key), headers=auth(other)),
           409, "conflict")


def test_staff_login_errors_and_lockout(client):
    store = make_store()
    body = {"store": store.slug, "username": "owner", "password": "wrong"}
    for _ in range(5):
        _error(client.post("/api/v1/staff/login", json=body), 401, "unauthorized")
    _error(client.post("/api/v1/staff/login", json=body | {"password": "owner-pass"}), 429, "rate_limited")
    _error(client.post("/api/v1/staff/login", json={"store": store.slug}), 422, "validation_error")


def test_diner_login_with_a_bad_or_used_code_is_401_and_never_shows_the_openid(client, live_server):
    from tests.helpers import sandbox_code

    code = sandbox_code(live_server, "张三")
    ok = client.post("/api/v1/diner/login", json={"code": code})
    assert ok.status_code == 200 and set(ok.get_json()) == {"token", "expires_in", "diner"}
    assert "openid" not in ok.get_data(as_text=True) and "session_key" not in ok.get_data(as_text=True)
    _error(client.post("/api/v1/diner/login", json={"code": code}), 401, "unauthorized")
    _error(client.post("/api/v1/diner/login", json={"code": "never-issued"}), 401, "unauthorized")
    from models import Diner
    from wechat.sandbox.routes import _openid_for

    openid = _openid_for("张三")
    diner = db.session.get(Diner, ok.get_json()["diner"]["id"])
    assert openid.encode() not in diner.openid_enc and openid not in diner.openid_hash
    db.session.commit()
