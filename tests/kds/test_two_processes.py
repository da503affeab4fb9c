"""With REDIS_URL set, an order taken by one server process reaches a screen on another."""
from __future__ import annotations

import queue
import uuid

import pytest
import requests
import socketio

from tests.helpers import auth, make_item, make_staff, make_store, make_table, order_body, sandbox_code
from tests.servers import free_port, gunicorn_server

REDIS = "redis://127.0.0.1:6379/0"


@pytest.fixture()
def two_servers(env, tmp_path):
    shared = {**env, "REDIS_URL": REDIS, "SOCKETIO_CHANNEL": f"diancan-test-{uuid.uuid4().hex[:8]}"}
    with gunicorn_server(shared, tmp_path / "a.log", port=free_port()) as a, \
            gunicorn_server(shared, tmp_path / "b.log", port=free_port()) as b:
        yield a, b


@pytest.mark.live
def test_order_on_one_process_reaches_a_screen_on_the_other(client, live_server, two_servers):
    a, b = two_servers
    store = make_store()
    table, item = make_table(store), make_item(store, station="bar")
    make_staff(store, "cook", username="chef", password="cook-pass-1")
    cook = requests.post(f"{b}/api/v1/staff/login", timeout=10,
                         json={"store": store.slug, "username": "chef", "password": "cook-pass-1"}).json()["token"]
    arrived: queue.Queue = queue.Queue()
    screen = socketio.Client(reconnection=False)
    screen.on("ticket.created", arrived.put, namespace="/kds")
    screen.connect(b, namespaces=["/kds"], auth={"token": cook}, transports=["websocket"], wait_timeout=10)
    try:
        code = sandbox_code(live_server)
        diner = requests.post(f"{a}/api/v1/diner/login", json={"code": code}, timeout=10).json()["token"]
        r = requests.post(f"{a}/api/v1/orders", json=order_body(table, item), headers=auth(diner), timeout=10)
        assert r.status_code == 201, r.text
        event = arrived.get(timeout=5)
        assert event["ticket"]["order_id"] == r.json()["order"]["id"]
        assert event["ticket"]["station"] == "bar"
    finally:
        screen.disconnect()


@pytest.mark.live
def test_rotating_a_code_on_one_process_cuts_phones_on_the_other_at_once(client, live_server, two_servers):
    from tests.helpers import staff_token, token_of
    from tests.kds.test_table_sockets import CUT_WITHIN, Phone, phones

    a, b = two_servers
    store = make_store()
    table = make_table(store)
    owner = staff_token(client, store)
    diner = requests.post(f"{b}/api/v1/diner/login", json={"code": sandbox_code(live_server)}, timeout=10).json()
    with phones() as opened:
        phone = Phone(b, diner["token"], token_of(table))
        opened.append(phone)
        r = requests.post(f"{a}/api/v1/admin/tables/{table.id}/rotate-qr", headers=auth(owner), timeout=10)
        assert r.status_code == 200
        assert phone.gone.wait(CUT_WITHIN), "a phone on another process outlived the rotated code"


@pytest.mark.live
def test_a_diner_deleted_on_one_process_loses_sockets_on_the_other_at_once(client, live_server, two_servers):
    from tests.helpers import token_of
    from tests.kds.test_table_sockets import CUT_WITHIN, Phone, phones

    a, b = two_servers
    store = make_store()
    table = make_table(store)
    diner = requests.post(f"{a}/api/v1/diner/login", json={"code": sandbox_code(live_server)}, timeout=10).json()
    with phones() as opened:
        phone = Phone(b, diner["token"], token_of(table))
        opened.append(phone)
        assert requests.delete(f"{a}/api/v1/diner/me", headers=auth(diner["token"]), timeout=10).status_code == 204
        assert phone.gone.wait(CUT_WITHIN), "a deleted diner's socket on another process stayed"


@pytest.mark.live
def test_failed_logins_counted_on_one_process_lock_on_the_other(client, two_servers):
    a, b = two_servers
    store = make_store()
    body = {"store": store.slug, "username": "owner", "password": "guess"}
    for base in (a, b, a, b, a):
        assert requests.post(f"{base}/api/v1/staff/login", json=body, timeout=10).status_code == 401
    right = body | {"password": "owner-pass"}
    assert requests.post(f"{b}/api/v1/staff/login", json=right, timeout=10).status_code == 429
