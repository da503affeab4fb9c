"""Logs are JSON lines with request ids, and no openid, phone number, session key or token in them.

The live test plants known values through the main flows of a real gunicorn server (logging at
DEBUG, gunicorn's access log on) and of the in-process app, then scans every line written.
"""
from __future__ import annotations

import base64
import io
import json
import logging
import queue
import secrets
import uuid

import pytest
import requests
import socketio
from flask import Flask

from monitoring.logs import json_formatter
from monitoring.redact import MASK, redact_event, redact_text
from tests.helpers import auth, make_item, make_staff, make_store, make_table, order_body, token_of, unique
from tests.servers import free_port, gunicorn_server

PHONES = ["13812345678", "+86 139 8765 4321", "15900001111", "021-62345678"]


def _openid(app: Flask, user: str) -> str:
    from wechat.sandbox.routes import _openid_for

    with app.test_request_context():
        return _openid_for(user)


def _session_key() -> str:
    return base64.b64encode(secrets.token_bytes(16)).decode()  # as jscode2session returns it


def test_each_kind_of_personal_value_is_redacted_by_shape(app):
    openid, key = _openid(app, "alice"), _session_key()
    store = make_store()
    qr = token_of(make_table(store))
    line = (f"diner {openid} key {key} qr /t/{qr} calls {PHONES[0]} or {PHONES[1]} or {PHONES[3]}; "
            f"Authorization: Bearer abc.def-ghi; /kds?token=kds_x1y2z3")
    out = redact_text(line)
    for planted in (openid, key, qr, *[PHONES[0], PHONES[1], PHONES[3]], "abc.def-ghi", "kds_x1y2z3"):
        assert planted not in out, planted
    assert out.count(MASK) >= 7


def test_fields_named_like_secrets_are_blanked_and_ours_kept():
    event = redact_event({"event": "login", "password": "hunter2", "openid": "o1", "session_key": "k",
                          "phone": "123", "request_id": "abcdef0123456789", "route": "/api/v1/orders",
                          "nested": {"access_token": "x", "count": 3}, "status": 200})
    assert event["password"] == event["openid"] == event["session_key"] == event["phone"] == MASK
    assert event["nested"] == {"access_token": MASK, "count": 3}
    assert event["request_id"] == "abcdef0123456789" and event["route"] == "/api/v1/orders"
    assert event["status"] == 200


def test_in_process_lines_are_json_with_request_id_and_route(app, client):
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(json_formatter())
    root = logging.getLogger()
    root.addHandler(handler)
    level = logging.getLogger("diancan.request").level
    logging.getLogger("diancan.request").setLevel(logging.INFO)
    try:
        r = client.get("/api/v1/orders/123", headers={"X-Request-Id": "0123456789abcdef0123456789abcdef"})
        spoofed = client.get("/healthz", headers={"X-Request-Id": "13812345678 my phone"})
    finally:
        root.removeHandler(handler)
        logging.getLogger("diancan.request").setLevel(level)
    assert r.headers["X-Request-Id"] == "0123456789abcdef0123456789abcdef"
    assert spoofed.headers["X-Request-Id"] != "13812345678 my phone"  # only id-shaped values are taken
    lines = [json.loads(ln) for ln in buffer.getvalue().splitlines()]
    mine = next(ln for ln in lines if ln.get("request_id") == "0123456789abcdef0123456789abcdef")
    assert mine["route"] == "/api/v1/orders/<int:order_id>" and mine["status"] == 404
    assert "duration_ms" in mine and "13812345678" not in buffer.getvalue()


@pytest.mark.live
def test_planted_personal_values_never_reach_the_logs(app, client, live_server, env, tmp_path):
    log_path = tmp_path / "server.log"
    server_env = {**env, "LOG_LEVEL": "DEBUG", "ACCESS_LOG": "1", "PORT": str(free_port())}
    server_env["PUBLIC_BASE_URL"] = f"http://127.0.0.1:{server_env['PORT']}"
    buffer = io.StringIO()  # the in-process app's lines, for the flows driven through the test client
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(json_formatter())
    handler.setLevel(logging.DEBUG)
    logging.getLogger().addHandler(handler)
    planted: list[str] = []
    try:
        with gunicorn_server(server_env, log_path, port=int(server_env["PORT"])) as base:
            planted += _drive_flows(app, base)
            planted += _drive_flows_in_process(app, client, live_server)
    finally:
        logging.getLogger().removeHandler(handler)
    text = log_path.read_text() + buffer.getvalue()
    lines = [json.loads(ln) for ln in log_path.read_text().splitlines() if ln.startswith("{")]
    routes = {ln.get("route") for ln in lines}
    # The flows really ran and were logged, as JSON with request ids, through the redaction.
    assert {"/api/v1/diner/login", "/api/v1/orders", "/api/v1/wechat/pay/notify",
            "/api/v1/tables/<string:qr_token>/calls"} <= routes
    assert all("request_id" in ln for ln in lines if ln.get("event") == "request")
    assert any(ln.get("event") == "kitchen screen connected" and ln.get("request_id") and ln.get("store_id")
               for ln in lines)
    found = sorted({p for p in planted if p in text})
    assert not found, f"personal values in the logs: {found}"


def _drive_flows(app: Flask, base: str) -> list[str]:
    """Diner, kitchen, payment and staff flows with planted values; returns what was planted."""
    store = make_store()
    table, item = make_table(store), make_item(store, station="hot")
    make_staff(store, "cook", username="chef", password="cook-pass-1")
    qr = token_of(table)
    user = unique("planted")
    openid, key = _openid(app, user), _session_key()
    planted = [openid, key, qr, *PHONES]
    code = requests.post(f"{base}/wechat-sandbox/login", json={"user": user}, timeout=10).json()["code"]
    planted.append(code)
    login = requests.post(f"{base}/api/v1/diner/login", json={"code": code}, timeout=10).json()
    diner = login["token"]
    planted.append(diner)
    # A login code that is a session key, a used code, a phone number as a code.
    for bad in (key, code, PHONES[0]):
        requests.post(f"{base}/api/v1/diner/login", json={"code": bad}, timeout=10)
    requests.get(f"{base}/api/v1/tables/{qr}", timeout=10)
    requests.get(f"{base}/t/{qr}?session_key={key}&phone={PHONES[0]}", timeout=10)
    requests.get(f"{base}/api/v1/tables/{openid}", timeout=10)  # 404 with an openid in the path
    requests.get(f"{base}/api/v1/orders/1?token={diner}", timeout=10)
    cook = requests.post(f"{base}/api/v1/staff/login", timeout=10,
                         json={"store": store.slug, "username": "chef", "password": "cook-pass-1"}).json()["token"]
    owner = requests.post(f"{base}/api/v1/staff/login", timeout=10,
                          json={"store": store.slug, "username": "owner", "password": "owner-pass"}).json()["token"]
    planted += [cook, owner, "cook-pass-1", "owner-pass"]
    requests.post(f"{base}/api/v1/staff/login", timeout=10,
                  json={"store": store.slug, "username": PHONES[2], "password": key})
    # A kitchen screen connects with the cook's token; a forged one is refused.
    arrived: queue.Queue = queue.Queue()
    screen = socketio.Client(reconnection=False)
    screen.on("ticket.created", arrived.put, namespace="/kds")
    screen.connect(base, namespaces=["/kds"], auth={"token": cook}, transports=["websocket"], wait_timeout=10)
    try:
        screen.call("resume", {"after": 0}, namespace="/kds", timeout=10)
        intruder = socketio.Client(reconnection=False)
        with pytest.raises(socketio.exceptions.ConnectionError):
            intruder.connect(base, namespaces=["/kds"], auth={"token": openid}, transports=["websocket"],
                             wait_timeout=10)
        body = order_body(table, item, note=f"call me {PHONES[1]}")
        body["remark"] = f"{PHONES[3]} {openid}"
        r = requests.post(f"{base}/api/v1/orders", json=body, headers=auth(diner), timeout=10)
        assert r.status_code == 201, r.text
        arrived.get(timeout=10)
        order = r.json()["order"]
        bad = dict(body, items=[{"item_id": item.id, "qty": 1, "option_ids": [], "note": key * 30}])
        requests.post(f"{base}/api/v1/orders", json=bad, headers=auth(diner), timeout=10)  # 422, echoing nothing
        requests.post(f"{base}/api/v1/tables/{qr}/calls", json={"kind": "waiter"}, headers=auth(diner), timeout=10)
        requests.post(f"{base}/api/v1/tables/{qr}/cart/lines", headers=auth(diner), timeout=10,
                      json={"item_id": item.id, "qty": 1, "option_ids": [], "note": PHONES[0]})
        # WeChat Pay: start, the diner confirms in the sandbox sheet, the signed notify credits it.
        started = requests.post(f"{base}/api/v1/table-sessions/{order['table_session_id']}/payments",
                                json={"client_key": uuid.uuid4().hex}, headers=auth(diner), timeout=10).json()
        package = started["request_payment"]["package"]
        planted += [package.removeprefix("prepay_id="), started["request_payment"]["paySign"]]
        requests.post(f"{base}/wechat-sandbox/pay/confirm", json={"package": package}, timeout=10)
        requests.post(f"{base}/api/v1/wechat/pay/notify", timeout=10, data=json.dumps({"openid": openid}),
                      headers={"Wechatpay-Signature": key, "Wechatpay-Serial": PHONES[0]})
        requests.get(f"{base}/api/v1/diner/me/data", headers=auth(diner), timeout=10)
        _wait_paid(base, diner, order["table_session_id"])
    finally:
        screen.disconnect()
    return planted


def _wait_paid(base: str, diner: str, session_id: int) -> None:
    import time

    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        check = requests.get(f"{base}/api/v1/table-sessions/{session_id}", headers=auth(diner), timeout=10).json()
        if check["session"]["due"] == 0:
            return
        time.sleep(0.2)
    raise AssertionError("the sandbox's notify never credited the check")


def _drive_flows_in_process(app: Flask, client, live_server: str) -> list[str]:
    store = make_store()
    table, item = make_table(store), make_item(store)
    user = unique("inproc")
    openid = _openid(app, user)
    code = requests.post(f"{live_server}/wechat-sandbox/login", json={"user": user}, timeout=10).json()["code"]
    diner = client.post("/api/v1/diner/login", json={"code": code}).get_json()["token"]
    body = order_body(table, item, note=PHONES[2])
    assert client.post("/api/v1/orders", json=body, headers=auth(diner)).status_code == 201
    client.get(f"/api/v1/tables/{openid}?token={diner}")
    return [openid, code, diner, token_of(table)]


def test_sentry_events_go_through_the_same_redaction(app):
    from monitoring.errors_to_sentry import scrub

    openid = _openid(app, "sentry-user")
    event = {"message": f"failed for {openid}", "request": {"headers": {"Authorization": "Bearer abc123def456"},
                                                             "query_string": f"token=xyz&phone={PHONES[0]}"},
             "extra": {"note": f"call {PHONES[0]}"}, "level": "error"}
    text = json.dumps(scrub(event))
    assert openid not in text and PHONES[0] not in text and "abc123def456" not in text
    assert '"level": "error"' in text
