"""Crafted input never gets a 500 (contract): deep JSON, NUL and lone surrogates, dates and
numbers out of range each get the contract's 400 or 422."""
from __future__ import annotations

import json

import pytest

from tests.helpers import auth, diner_token, make_item, make_store, make_table, order_body, staff_token

DEEP = "[" * 5000 + "]" * 5000


def _post(client, path, raw: str, token: str | None = None):
    return client.post(path, data=raw.encode("utf-8", "surrogatepass"), content_type="application/json",
                       headers=auth(token) if token else {})


@pytest.mark.parametrize("path", ["/api/v1/staff/login", "/api/v1/staff/session", "/api/v1/diner/login",
                                  "/api/v1/kds/pair", "/api/v1/orders"])
def test_json_nested_5000_levels_is_a_400_even_before_login(client, path):
    r = _post(client, path, DEEP)
    assert r.status_code == 400
    assert r.get_json()["error"]["code"] == "invalid_request"


@pytest.mark.parametrize("path", ["/api/v1/wechat/pay/notify", "/api/v1/wechat/refund/notify"])
@pytest.mark.parametrize("body", [DEEP, '{"id": "\\ud800\\u0000"}', "{not json"])
def test_a_crafted_notify_is_refused_in_wechats_own_shape(client, path, body):
    # Verified on its raw bytes before anything parses it; WeChat expects {"code": "FAIL"}.
    r = _post(client, path, body)
    assert r.status_code == 401 and r.get_json() == {"code": "FAIL", "message": "rejected"}


def test_json_nested_65_levels_is_refused_and_64_is_not(client):
    store = make_store()
    owner = staff_token(client, store)
    at_limit = '{"name": "x", "extra": ' + "[" * 63 + "]" * 63 + "}"
    assert _post(client, "/api/v1/admin/areas", at_limit, owner).status_code == 201
    beyond = '{"name": "y", "extra": ' + "[" * 64 + "]" * 64 + "}"
    assert _post(client, "/api/v1/admin/areas", beyond, owner).status_code == 400


@pytest.mark.parametrize("field", ["store", "username", "password"])
def test_a_lone_surrogate_in_a_staff_login_field_is_a_400(client, field):
    body = {"store": "demo", "username": "owner", "password": "owner-pass"} | {field: "a\ud800"}
    r = _post(client, "/api/v1/staff/login", json.dumps(body))
    assert r.status_code == 400, r.get_data(as_text=True)


def test_a_lone_surrogate_in_a_diner_login_code_is_a_400_not_a_502(client):
    r = _post(client, "/api/v1/diner/login", '{"code": "\\udc80abc"}')
    assert r.status_code == 400


@pytest.mark.live
@pytest.mark.parametrize("where", ["note", "remark", "client_key"])
@pytest.mark.parametrize("bad", ["\\u0000", "\\ud800", "\\udfff"])
def test_nul_or_lone_surrogate_in_order_text_is_refused(client, live_server, where, bad):
    store = make_store()
    table, dish = make_table(store), make_item(store)
    diner = diner_token(client, live_server)
    body = order_body(table, dish)
    marker = "@@BAD@@"
    if where == "note":
        body["items"][0]["note"] = f"少辣{marker}"
    elif where == "remark":
        body["remark"] = f"生日{marker}"
    else:
        body["client_key"] = f"key-{marker}-0001"
    r = _post(client, "/api/v1/orders", json.dumps(body, ensure_ascii=False).replace(marker, bad), diner)
    assert r.status_code == 400, r.get_data(as_text=True)


@pytest.mark.parametrize("path,body", [
    ("/api/v1/admin/areas", '{"name": "大厅\\u0000"}'),
    ("/api/v1/admin/stations", '{"code": "hot2", "name": "\\ud800"}'),
    ("/api/v1/admin/staff", '{"username": "cook9", "name": "\\udbff", "role": "cook", "password": "pass-word-9"}'),
])
def test_nul_or_lone_surrogate_in_names_is_refused(client, path, body):
    store = make_store()
    r = _post(client, path, body, staff_token(client, store))
    assert r.status_code == 400, r.get_data(as_text=True)


def test_a_surrogate_pair_in_a_name_is_stored(client):
    store = make_store()
    r = _post(client, "/api/v1/admin/areas", '{"name": "\\ud83c\\udf36 辣区"}', staff_token(client, store))
    assert r.status_code == 201
    assert r.get_json()["area"]["name"] == "🌶 辣区"


def test_nul_in_a_query_string_is_a_400(client):
    store = make_store()
    r = client.get("/api/v1/admin/audit?action=a%00b", headers=auth(staff_token(client, store)))
    assert r.status_code == 400


@pytest.mark.parametrize("query", ["since=0001-01-01T00:00:00%2B14:00", "until=9999-12-31T23:59:59-12:00",
                                   "date_to=9999-12-31", "date_from=0001-01-01"])
def test_audit_dates_out_of_range_are_422(client, query):
    store = make_store()
    r = client.get(f"/api/v1/admin/audit?{query}", headers=auth(staff_token(client, store)))
    assert r.status_code == 422, r.get_data(as_text=True)
    assert r.get_json()["error"]["code"] == "validation_error"


def test_a_405_names_the_allowed_methods(client):
    r = client.put("/api/v1/staff/login")
    assert r.status_code == 405
    assert r.headers["Allow"] == "OPTIONS, POST"
    assert r.get_json()["error"]["code"] == "invalid_request"


@pytest.mark.parametrize("content_type", ["text/plain", "application/octet-stream", None])
def test_deep_json_under_another_content_type_is_a_400_too(client, content_type):
    # Some routes read JSON whatever the content type says (as WeChat's servers do).
    r = client.post("/wechat-sandbox/wxa/getwxacodeunlimit?access_token=x", data=DEEP, content_type=content_type)
    assert r.status_code == 400
    plain = client.post("/api/v1/staff/login", data="not json at all", content_type=content_type)
    assert plain.status_code == 422  # an ordinary non-JSON body still reaches the schema, which wants JSON
