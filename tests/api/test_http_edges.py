"""HTTP at the edges: caching of answers that carry tokens, long addresses, and the notify's
WeChat-shaped refusal in the OpenAPI document."""
from __future__ import annotations

import pytest
import requests

from tests.helpers import auth, diner_token, make_store, sandbox_code, staff_token


def test_answers_carrying_tokens_are_never_cached(client, live_server):
    store = make_store()
    login = {"store": store.slug, "username": "owner", "password": "owner-pass"}
    answers = [client.post("/api/v1/staff/login", json=login), client.post("/api/v1/staff/session", json=login),
               client.post("/api/v1/diner/login", json={"code": sandbox_code(live_server)})]
    owner = staff_token(client, store)
    answers.append(client.get("/api/v1/staff/session", headers=auth(owner)))  # the CSRF token
    device = client.post("/api/v1/admin/kds/devices", json={"name": "热菜", "stations": ["hot"]}, headers=auth(owner))
    answers.append(device)
    answers.append(client.post("/api/v1/kds/pair", json={"code": device.get_json()["pairing_code"]}))
    answers.append(client.post("/api/v1/staff/me/password", headers=auth(owner),
                               json={"current_password": "owner-pass", "new_password": "owner-pass-2"}))
    for r in answers:
        assert r.status_code in (200, 201), (r.request.path, r.get_data(as_text=True))
        assert r.headers["Cache-Control"] == "no-store", r.request.path
    assert client.get("/api/v1/staff/session", headers=auth("x")).headers["Cache-Control"] == "no-store"  # errors too
    diner = diner_token(client, live_server)
    assert client.get("/api/v1/diner/me/data", headers=auth(diner)).headers["Cache-Control"] == "no-store"


@pytest.mark.live
def test_a_long_address_gets_the_contracts_414_json_from_the_live_server(live_server):
    r = requests.get(f"{live_server}/api/v1/tables/{'x' * 5000}", timeout=10)
    assert r.status_code == 414
    assert r.headers["Content-Type"] == "application/json"
    assert r.json()["error"]["code"] == "too_large"
    r = requests.get(f"{live_server}/t/{'x' * 6000}?a=1", timeout=10)
    assert r.status_code == 414 and r.json()["error"]["code"] == "too_large"


def test_notify_refusal_shape_is_in_the_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    for path in ("/api/v1/wechat/pay/notify", "/api/v1/wechat/refund/notify"):
        responses = spec["paths"][path]["post"]["responses"]
        assert "204" in responses
        ref = responses["401"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
        assert set(spec["components"]["schemas"][ref]["properties"]) == {"code", "message"}
    r = client.post("/api/v1/wechat/pay/notify", json={"id": "x"})
    assert r.status_code == 401 and r.get_json()["code"] == "FAIL"
