"""Live over Socket.IO: a kitchen screen sees a moved check's new table code on its open tickets at
once, and the cashier's table grid hears every round."""
from __future__ import annotations

import queue
import uuid

import pytest
import requests
import socketio

from tests.helpers import auth, make_item, make_staff, make_store, make_table, staff_token

pytestmark = pytest.mark.live


def _listen(live_server: str, namespace: str, token: str, names: list[str]) -> tuple[socketio.Client, queue.Queue]:
    got: queue.Queue = queue.Queue()
    sock = socketio.Client(reconnection=False)
    for name in names:
        sock.on(name, lambda data, name=name: got.put((name, data)), namespace=namespace)
    sock.connect(live_server, namespaces=[namespace], auth={"token": token}, transports=["websocket"],
                 wait_timeout=10)
    return sock, got


def _next(got: queue.Queue, name: str, timeout: float = 10):
    while True:
        seen, data = got.get(timeout=timeout)
        if seen == name:
            return data


def test_moving_a_check_retables_its_open_tickets_live(client, live_server):
    store = make_store()
    a1, a2 = make_table(store, code="A1"), make_table(store, code="A2")
    item = make_item(store, name="水煮鱼", price=6800)
    make_staff(store, "cook", username="chef", password="cook-pass-1")
    make_staff(store, "cashier", username="cash", password="cash-pass-1")
    cook = staff_token(client, store, "chef", "cook-pass-1")
    cashier = staff_token(client, store, "cash", "cash-pass-1")
    kitchen, tickets = _listen(live_server, "/kds", cook, ["ticket.created", "ticket.updated"])
    floor, nudges = _listen(live_server, "/staff", cashier, ["floor.updated"])
    try:
        r = requests.post(f"{live_server}/api/v1/pos/orders", headers=auth(cashier), timeout=10, json={
            "client_key": uuid.uuid4().hex, "table_id": a1.id, "items": [{"item_id": item.id, "qty": 1}]})
        assert r.status_code == 201, r.text
        assert _next(tickets, "ticket.created")["ticket"]["table_code"] == "A1"
        _next(nudges, "floor.updated")  # the grid hears the new round
        sid = r.json()["order"]["table_session_id"]
        moved = requests.post(f"{live_server}/api/v1/table-sessions/{sid}/move", json={"to_table_id": a2.id},
                              headers=auth(cashier), timeout=10)
        assert moved.status_code == 200, moved.text
        update = _next(tickets, "ticket.updated")
        assert update["ticket"]["table_code"] == "A2" and update["ticket"]["status"] == "new"
    finally:
        kitchen.disconnect()
        floor.disconnect()
