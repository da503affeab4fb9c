"""A process that dies after committing a ticket but before publishing it loses nothing.

Events leave the process that committed them; if it dies in between, nobody else sends them.
Every process tells its own screens each station's latest seq every few seconds (``kitchen.seq``),
so a screen on another process sees it is behind and resumes from the database.
"""
from __future__ import annotations

import time
import uuid

import pytest
import requests

from tests.helpers import auth, make_item, make_staff, make_store, make_table, order_body, sandbox_code
from tests.kds.screen import Screen
from tests.servers import free_port, gunicorn_server

REDIS = "redis://127.0.0.1:6379/0"


def _wait(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@pytest.mark.live
def test_a_ticket_whose_process_died_before_publishing_reaches_screens_on_another(client, live_server, env,
                                                                                   tmp_path):
    shared = {**env, "REDIS_URL": REDIS, "SOCKETIO_CHANNEL": f"diancan-test-{uuid.uuid4().hex[:8]}",
              "SEQ_ANNOUNCE_SECONDS": "1"}
    store = make_store()
    table, item = make_table(store), make_item(store, station="hot")
    make_staff(store, "cook", username="chef", password="cook-pass-1")
    with gunicorn_server({**shared, "FAULT_AFTER_COMMIT": "exit"}, tmp_path / "dies.log", port=free_port()) as a, \
            gunicorn_server(shared, tmp_path / "lives.log", port=free_port()) as b:
        cook = requests.post(f"{b}/api/v1/staff/login", timeout=10,
                             json={"store": store.slug, "username": "chef", "password": "cook-pass-1"}).json()["token"]
        diner = requests.post(f"{b}/api/v1/diner/login", json={"code": sandbox_code(live_server)},
                              timeout=10).json()["token"]
        screen = Screen(b, cook)
        screen.connect()
        try:
            assert screen.resumed.wait(10)  # the screen is up to date before the order
            body = order_body(table, item)
            with pytest.raises(requests.ConnectionError):  # committed, then the process died
                requests.post(f"{a}/api/v1/orders", json=body, headers=auth(diner), timeout=10)
            retry = requests.post(f"{b}/api/v1/orders", json=body, headers=auth(diner), timeout=10)
            assert retry.status_code == 200, retry.text  # the diner's retry finds the committed order
            order_id = retry.json()["order"]["id"]

            def on_screen() -> bool:
                with screen.lock:
                    return any(t["order_id"] == order_id for _seq, t in screen.tickets.values())

            assert _wait(on_screen, 10), "the ticket never reached the screen on the living process"
        finally:
            screen.disconnect()
    assert "fault injection: exiting after commit" in (tmp_path / "dies.log").read_text()
