"""A server killed with SIGKILL mid-rush loses nothing it acknowledged."""
from __future__ import annotations

import os
import signal
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import select

from models import Order, Ticket, db
from tests.helpers import auth, diner_token, make_item, make_staff, make_store, make_table, token_of
from tests.servers import free_port, start_gunicorn, stop


@pytest.mark.live
def test_every_acknowledged_order_survives_a_sigkill_and_reaches_the_kitchen(client, env, live_server, tmp_path):
    store = make_store()
    table, dish = make_table(store), make_item(store)
    make_staff(store, "cook", username="chef", password="cook-pass-1")
    diners = [diner_token(client, live_server) for _ in range(6)]
    table_token = token_of(table)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start_gunicorn(env, tmp_path / "crash.log", port)
    acknowledged: dict[str, int] = {}
    bodies: dict[str, tuple[int, dict]] = {}
    lock = threading.Lock()
    killed = threading.Event()

    def rush(worker: int) -> None:
        while not killed.is_set():
            key = uuid.uuid4().hex
            body = {"table_token": table_token, "client_key": key, "items": [{"item_id": dish.id, "qty": 1}]}
            with lock:
                bodies[key] = (worker, body)
            try:
                r = requests.post(f"{base}/api/v1/orders", json=body, headers=auth(diners[worker]), timeout=10)
            except requests.RequestException:
                continue
            if r.status_code == 201:
                with lock:
                    acknowledged[key] = r.json()["order"]["id"]
                    if len(acknowledged) >= 60:
                        os.killpg(proc.pid, signal.SIGKILL)
                        killed.set()

    try:
        with ThreadPoolExecutor(6) as pool:
            list(pool.map(rush, range(6)))
        proc.wait(10)
    finally:
        stop(proc)
    assert len(acknowledged) >= 60
    proc = start_gunicorn(env, tmp_path / "crash.log", port)
    try:
        db.session.remove()
        stored = set(db.session.execute(select(Order.id).where(Order.store_id == store.id)).scalars())
        assert set(acknowledged.values()) <= stored
        with_tickets = set(db.session.execute(select(Ticket.order_id).where(Ticket.store_id == store.id)).scalars())
        assert with_tickets == stored  # an order is never stored without its ticket
        db.session.commit()
        cook = requests.post(f"{base}/api/v1/staff/login", timeout=10,
                             json={"store": store.slug, "username": "chef", "password": "cook-pass-1"}).json()["token"]
        snapshot = requests.get(f"{base}/api/v1/kds/tickets?status=open", headers=auth(cook), timeout=10).json()
        assert {t["order_id"] for t in snapshot["tickets"]} == stored
        # Phones whose answer never came retry with the same key after the restart: no doubles.
        for worker, body in bodies.values():
            r = requests.post(f"{base}/api/v1/orders", json=body, headers=auth(diners[worker]), timeout=10)
            assert r.status_code in (200, 201), r.text
        db.session.remove()
        after = db.session.execute(select(Order.client_key).where(Order.store_id == store.id)).scalars().all()
        assert len(after) == len(set(after)) == len(bodies)
    finally:
        stop(proc)
