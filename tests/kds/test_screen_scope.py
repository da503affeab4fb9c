"""A screen paired for some stations keeps to them over REST too, and a resume from a seq no
database holds is answered (with a snapshot) instead of failing."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest
import requests
import socketio

from tests.helpers import auth, diner_token, make_item, make_store, make_table, staff_token
from tests.kds.test_kitchen_flow import _order


def _paired(client, store, stations):
    owner = staff_token(client, store)
    created = client.post("/api/v1/admin/kds/devices", json={"name": "凉菜档口", "stations": stations},
                          headers=auth(owner)).get_json()
    return client.post("/api/v1/kds/pair", json={"code": created["pairing_code"]}).get_json()["token"]


def _setup(client, live_server):
    store = make_store()
    table = make_table(store)
    hot, cold = make_item(store, station="hot"), make_item(store, name="拍黄瓜", station="cold", price=1200)
    _order(client, table, diner_token(client, live_server), (hot, 1), (cold, 1))
    owner = staff_token(client, store)
    tickets = {t["station"]: t for t in client.get("/api/v1/kds/tickets", headers=auth(owner)).get_json()["tickets"]}
    return store, tickets


def test_a_cold_screen_lists_only_cold_tickets_over_rest(client, live_server):
    store, tickets = _setup(client, live_server)
    screen = _paired(client, store, ["cold"])
    listed = client.get("/api/v1/kds/tickets", headers=auth(screen)).get_json()["tickets"]
    assert [t["station"] for t in listed] == ["cold"]
    assert client.get("/api/v1/kds/tickets?stations=hot", headers=auth(screen)).status_code == 403
    assert [r["qty"] for r in client.get("/api/v1/kds/all-day", headers=auth(screen)).get_json()["items"]] == [1]


def test_a_cold_screen_cannot_bump_recall_or_start_a_hot_ticket(client, live_server):
    store, tickets = _setup(client, live_server)
    screen = _paired(client, store, ["cold"])
    hot, cold = tickets["hot"], tickets["cold"]
    assert client.post(f"/api/v1/kds/tickets/{hot['id']}/bump", headers=auth(screen)).status_code == 404
    r = client.post(f"/api/v1/kds/ticket-items/{hot['items'][0]['id']}/status", json={"status": "cooking"},
                    headers=auth(screen))
    assert r.status_code == 404
    owner = staff_token(client, store)
    assert client.post(f"/api/v1/kds/tickets/{hot['id']}/bump", headers=auth(owner)).status_code == 200
    assert client.post(f"/api/v1/kds/tickets/{hot['id']}/recall", headers=auth(screen)).status_code == 404
    assert client.post("/api/v1/kds/undo", headers=auth(screen)).status_code == 404  # the hot bump is not its own
    assert client.post(f"/api/v1/kds/tickets/{cold['id']}/bump", headers=auth(screen)).status_code == 200


def test_an_expo_screen_still_sees_every_station(client, live_server):
    store, tickets = _setup(client, live_server)
    screen = _paired(client, store, [])
    listed = client.get("/api/v1/kds/tickets", headers=auth(screen)).get_json()["tickets"]
    assert sorted(t["station"] for t in listed) == ["cold", "hot"]


@pytest.mark.live
@pytest.mark.parametrize("after", [10**40, 2**63, 2**53])
def test_resume_after_a_seq_beyond_any_column_gets_a_snapshot(client, live_server, after):
    store, tickets = _setup(client, live_server)
    token = requests.post(f"{live_server}/api/v1/staff/login", timeout=10,
                          json={"store": store.slug, "username": "owner", "password": "owner-pass"}).json()["token"]
    got: dict = {}
    done = threading.Event()
    screen = socketio.Client(reconnection=False)
    screen.on("snapshot", lambda data: got.update(snapshot=data), namespace="/kds")
    screen.connect(live_server, namespaces=["/kds"], auth={"token": token}, transports=["websocket"], wait_timeout=10)
    try:
        def answered(ack):
            got.update(ack=ack)
            done.set()

        screen.emit("resume", {"after": after}, namespace="/kds", callback=answered)
        assert done.wait(10), "no answer to resume"
        assert got["ack"] == {"ok": True, "mode": "snapshot"}
        assert {t["id"] for t in got["snapshot"]["tickets"]} == {t["id"] for t in tickets.values()}
    finally:
        screen.disconnect()


@pytest.mark.live
def test_a_deep_or_broken_packet_is_ignored_without_a_traceback(client, env, live_server):
    store = make_store()
    token = requests.post(f"{live_server}/api/v1/staff/login", timeout=10,
                          json={"store": store.slug, "username": "owner", "password": "owner-pass"}).json()["token"]
    log = Path(env["INSTANCE_PATH"]).parent / "gunicorn.log"
    start = log.stat().st_size
    screen = socketio.Client(reconnection=False)
    screen.connect(live_server, namespaces=["/kds"], auth={"token": token}, transports=["websocket"], wait_timeout=10)
    try:
        screen.eio.send('2/kds,["resume",' + "[" * 5000 + "]" * 5000 + "]")  # as a raw Socket.IO packet
        screen.eio.send('2/kds,["resume",{"after":"\\ud800\\u0000"}]')
        screen.eio.send('2/kds,["resume",{"after":NaN}]')
        answered = threading.Event()
        screen.emit("resume", {"after": 0}, namespace="/kds", callback=lambda *ack: answered.set())
        assert answered.wait(10) and screen.connected  # the socket carries on
    finally:
        screen.disconnect()
    text = log.read_text(errors="replace")[start:]
    assert "Traceback" not in text and "RecursionError" not in text
