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
