"""Kitchen screens are paired with a one-time code, work with their own token, and a revoked
screen is disconnected at once."""
from __future__ import annotations

import threading

import pytest
import requests
import socketio

from tests.helpers import auth, make_store, staff_token


def _new_device(client, store, stations=None):
    owner = staff_token(client, store)
    r = client.post("/api/v1/admin/kds/devices", json={"name": "热菜档口", "stations": stations or ["hot"]},
                    headers=auth(owner))
    assert r.status_code == 201, r.get_json()
    return owner, r.get_json()


def test_a_pairing_code_works_once(client):
    store = make_store()
    _, created = _new_device(client, store)
    code = created["pairing_code"]
    assert len(code) == 8 and created["device"]["status"] == "pending"
    r = client.post("/api/v1/kds/pair", json={"code": code})
    assert r.status_code == 200
    token = r.get_json()["token"]
    assert r.get_json()["device"]["stations"] == ["hot"]
    assert client.post("/api/v1/kds/pair", json={"code": code}).status_code == 401
    snapshot = client.get("/api/v1/kds/tickets?status=open", headers=auth(token))
    assert snapshot.status_code == 200
    assert client.get("/api/v1/admin/tables", headers=auth(token)).status_code == 401  # a screen is no manager


def test_unknown_station_and_other_stores_device(client):
    store, other = make_store(), make_store()
    owner = staff_token(client, store)
    bad = client.post("/api/v1/admin/kds/devices", json={"name": "x", "stations": ["grill"]}, headers=auth(owner))
    assert bad.status_code == 422
    _, created = _new_device(client, other)
    r = client.post(f"/api/v1/admin/kds/devices/{created['device']['id']}/revoke", headers=auth(owner))
    assert r.status_code == 404


@pytest.mark.live
def test_a_revoked_screen_is_disconnected_at_once_and_cannot_come_back(client, live_server):
    store = make_store()
    owner, created = _new_device(client, store)
    token = requests.post(f"{live_server}/api/v1/kds/pair", json={"code": created["pairing_code"]},
                          timeout=10).json()["token"]
    gone = threading.Event()
    screen = socketio.Client(reconnection=False)
    screen.on("disconnect", lambda *a: gone.set(), namespace="/kds")
    screen.connect(live_server, namespaces=["/kds"], auth={"token": token}, transports=["websocket"],
                   wait_timeout=10)
    r = requests.post(f"{live_server}/api/v1/admin/kds/devices/{created['device']['id']}/revoke",
                      headers=auth(owner), timeout=10)
    assert r.status_code == 200 and r.json()["device"]["status"] == "revoked"
    assert gone.wait(5), "the revoked screen stayed connected"
    again = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        again.connect(live_server, namespaces=["/kds"], auth={"token": token}, transports=["websocket"],
                      wait_timeout=5)
    assert requests.get(f"{live_server}/api/v1/kds/tickets", headers=auth(token), timeout=10).status_code == 401


@pytest.mark.live
@pytest.mark.parametrize("namespace,role", [("/kds", "cook"), ("/staff", "cashier")])
def test_a_deactivated_persons_open_sockets_are_cut_off(client, live_server, namespace, role):
    from tests.helpers import make_staff

    store = make_store()
    owner = staff_token(client, store)
    member = make_staff(store, role, password="socket-pass-1")
    token = staff_token(client, store, member.username, "socket-pass-1")
    gone = threading.Event()
    sock = socketio.Client(reconnection=False)
    sock.on("disconnect", lambda *a: gone.set(), namespace=namespace)
    sock.connect(live_server, namespaces=[namespace], auth={"token": token}, transports=["websocket"],
                 wait_timeout=10)
    assert not gone.wait(4)  # a valid session stays connected across sweeps
    r = requests.patch(f"{live_server}/api/v1/admin/staff/{member.id}", json={"active": False}, headers=auth(owner),
                       timeout=10)
    assert r.status_code == 200
    assert gone.wait(8), "a deactivated person's socket stayed connected"


@pytest.mark.live
def test_signing_out_cuts_that_sessions_sockets_at_once_and_no_other(client, live_server):
    from tests.helpers import make_staff

    store = make_store()
    member = make_staff(store, "cashier", password="socket-pass-1")
    tokens = [staff_token(client, store, member.username, "socket-pass-1") for _ in range(2)]
    gone = [threading.Event(), threading.Event()]
    socks = []
    for token, event in zip(tokens, gone, strict=True):
        sock = socketio.Client(reconnection=False)
        sock.on("disconnect", lambda *a, e=event: e.set(), namespace="/staff")
        sock.connect(live_server, namespaces=["/staff"], auth={"token": token}, transports=["websocket"],
                     wait_timeout=10)
        socks.append(sock)
    try:
        assert requests.delete(f"{live_server}/api/v1/staff/session", headers=auth(tokens[0]),
                               timeout=10).status_code == 204
        assert gone[0].wait(2), "a signed-out session's socket stayed connected"  # the sweep alone: 3 s
        assert not gone[1].wait(1), "signing out one session cut another"
    finally:
        for sock in socks:
            if sock.connected:
                sock.disconnect()
