"""Engine.IO connections that never join a namespace are closed after a short grace, and one
client cannot hold more than its share of sockets."""
from __future__ import annotations

import threading
import time

import engineio
import pytest
import requests
import socketio

from tests.helpers import make_store
from tests.servers import free_port, start_gunicorn, stop


@pytest.fixture()
def strict_server(env, tmp_path):
    port = free_port()
    limits = {"SOCKET_JOIN_GRACE": "2", "SOCKETS_PER_ADDRESS": "6", "SOCKETS_PER_TOKEN": "2"}
    proc = start_gunicorn(env | limits, tmp_path / "strict.log", port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc)


def _screen(base: str, token: str) -> socketio.Client:
    screen = socketio.Client(reconnection=False)
    screen.connect(base, namespaces=["/kds"], auth={"token": token}, transports=["websocket"], wait_timeout=10)
    return screen


def _bare(base: str) -> tuple[engineio.Client, threading.Event]:
    """An Engine.IO connection that joins no namespace, as a misbehaving script would hold."""
    closed = threading.Event()
    conn = engineio.Client()
    conn.on("disconnect", lambda *a: closed.set())
    conn.connect(base, transports=["websocket"], engineio_path="socket.io")
    return conn, closed


def _wait_for(connect, refused, seconds: float = 5.0):  # type: ignore[no-untyped-def]
    """``connect()``, again while the server has not yet seen the last disconnect (it is refused)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return connect()
        except refused:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@pytest.mark.live
def test_idle_engineio_connections_are_closed_and_sockets_are_capped(client, strict_server):
    store = make_store()
    token = requests.post(f"{strict_server}/api/v1/staff/login", timeout=10,
                          json={"store": store.slug, "username": "owner", "password": "owner-pass"}).json()["token"]
    first, second = _screen(strict_server, token), _screen(strict_server, token)
    with pytest.raises(socketio.exceptions.ConnectionError):
        _screen(strict_server, token)  # a third socket for one token
    idle, closed = _bare(strict_server)
    try:
        assert closed.wait(15), "an Engine.IO connection without a namespace stayed open"
        # The screens are older than the idle connection, so a sweep past its grace passed them over.
        assert first.connected and second.connected
        extra = [_bare(strict_server)[0] for _ in range(4)]  # 2 screens + 4 = the address's 6
        with pytest.raises(engineio.exceptions.ConnectionError):
            _bare(strict_server)
        for conn in extra:
            conn.disconnect()
        # Sockets that leave give their places back: the token's and the address's.
        first.disconnect()
        first = _wait_for(lambda: _screen(strict_server, token), socketio.exceptions.ConnectionError)
        again = [_wait_for(lambda: _bare(strict_server)[0], engineio.exceptions.ConnectionError) for _ in range(3)]
        for conn in again:
            conn.disconnect()
    finally:
        first.disconnect()
        second.disconnect()
        idle.disconnect()
