"""Chaos at the pass: hundreds of orders and bumps while screens drop and come back at random.

Afterwards every screen holds exactly the open tickets of its stations, none twice.
"""
from __future__ import annotations

import random
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.helpers import auth, diner_token, make_item, make_staff, make_store, make_table, token_of
from tests.kds.screen import Screen

ORDERS = 300


@pytest.mark.live
def test_screens_that_drop_at_random_end_with_exactly_the_open_tickets(client, live_server):
    rng = random.Random(42)
    store = make_store()
    tables = [token_of(make_table(store, code=f"C{i}")) for i in range(6)]
    items = [make_item(store, name=n, station=s) for n, s in (("宫保鸡丁", "hot"), ("拍黄瓜", "cold"),
                                                                ("柠檬茶", "bar"), ("水煮鱼", "hot"))]
    item_ids = [(i.id, i.station) for i in items]
    make_staff(store, "cook", username="chef", password="cook-pass-1")
    cook = requests.post(f"{live_server}/api/v1/staff/login", timeout=10,
                         json={"store": store.slug, "username": "chef", "password": "cook-pass-1"}).json()["token"]
    diners = [diner_token(client, live_server) for _ in range(6)]
    screens = [Screen(live_server, cook, stations) for stations in (None, ["hot"], ["bar", "cold"])]
    for s in screens:
        s.connect()
    done = threading.Event()

    def chaos() -> None:
        while not done.is_set():
            screen = rng.choice(screens)
            if screen.connected:
                screen.disconnect()
            else:
                screen.connect()
            done.wait(rng.uniform(0.01, 0.15))

    def place(i: int) -> None:
        picks = rng.sample(item_ids, rng.randint(1, 3))
        body = {"table_token": tables[i % 6], "client_key": uuid.uuid4().hex,
                "items": [{"item_id": item_id, "qty": 1, "option_ids": [], "note": ""} for item_id, _ in picks]}
        r = requests.post(f"{live_server}/api/v1/orders", json=body, headers=auth(diners[i % 6]), timeout=30)
        assert r.status_code == 201, r.text
        if i % 3 == 0:  # the kitchen works too: bump one open ticket
            open_now = requests.get(f"{live_server}/api/v1/kds/tickets?status=open", headers=auth(cook),
                                    timeout=30).json()["tickets"]
            if open_now:
                requests.post(f"{live_server}/api/v1/kds/tickets/{open_now[0]['id']}/bump", headers=auth(cook),
                              timeout=30)

    chaos_thread = threading.Thread(target=chaos)
    chaos_thread.start()
    try:
        with ThreadPoolExecutor(6) as pool:
            list(pool.map(place, range(ORDERS)))
    finally:
        done.set()
        chaos_thread.join()
    for s in screens:
        if not s.connected:
            s.connect()

    def truth(stations: list[str] | None) -> set[int]:
        q = "" if not stations else "&stations=" + ",".join(stations)
        r = requests.get(f"{live_server}/api/v1/kds/tickets?status=open{q}", headers=auth(cook), timeout=30)
        return {t["id"] for t in r.json()["tickets"]}

    deadline = time.time() + 15
    while True:
        expected = [truth(s.stations) for s in screens]
        held = [s.open_ticket_ids() for s in screens]
        if held == expected or time.time() > deadline:
            break
        time.sleep(0.05)  # polling a condition, bounded by the deadline
    for s in screens:
        s.client.disconnect()
    for h, e, s in zip(held, expected, screens, strict=True):
        assert h == e, (s.stations, sorted(h - e), sorted(e - h), s.baseline, s.complete)
    assert all(len(e) > 0 for e in expected)
    assert sum(s.applied for s in screens) > ORDERS  # the screens really did receive live events
