"""A diner's socket lives only as long as its keys: rotating the table's code, disabling the table
or deleting the diner cuts the open `/table` sockets at once, so the next party's cart and orders
(remarks included) never reach the phone of the party before."""
from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import requests
import socketio

from tests.helpers import auth, make_item, make_store, make_table, sandbox_code, staff_token, token_of

CUT_WITHIN = 2.0  # seconds; the periodic sweep alone (every 3 s) would not be "at once"


class Phone:
    """A diner's page: the `/table` socket, what it heard and whether the server dropped it."""

    def __init__(self, base: str, diner: str, table_token: str) -> None:
        self.gone = threading.Event()
        self.carts: queue.Queue[dict[str, Any]] = queue.Queue()
        self.heard: list[dict[str, Any]] = []
        self.client = socketio.Client(reconnection=False)
        self.client.on("disconnect", lambda *a: self.gone.set(), namespace="/table")
        self.client.on("cart.updated", self._cart, namespace="/table")
        self.client.connect(base, namespaces=["/table"], auth={"token": diner, "table_token": table_token},
                            transports=["websocket"], wait_timeout=10)

    def _cart(self, data: dict[str, Any]) -> None:
        self.heard.append(data)
        self.carts.put(data)

    def notes_heard(self) -> list[str]:
        return [line["note"] for cart in self.heard for line in cart["cart"]["lines"]]

    def close(self) -> None:
        if self.client.connected:
            self.client.disconnect()


@contextmanager
def phones() -> Iterator[list[Phone]]:
    opened: list[Phone] = []
    try:
        yield opened
    finally:
        for phone in opened:
            phone.close()


def _diner(base: str) -> str:
    r = requests.post(f"{base}/api/v1/diner/login", json={"code": sandbox_code(base)}, timeout=10)
    assert r.status_code == 200, r.text
    return r.json()["token"]


def _add_line(base: str, diner: str, table_token: str, item_id: int, note: str) -> dict[str, Any]:
    r = requests.post(f"{base}/api/v1/tables/{table_token}/cart/lines", headers=auth(diner), timeout=10,
                      json={"item_id": item_id, "qty": 1, "option_ids": [], "note": note})
    assert r.status_code == 200, r.text
    return dict(r.json()["cart"])


def _next_party_orders_unheard(base: str, old: Phone, table_id: int, item_id: int) -> None:
    """The new party, on the table's new code, fills its cart: the old phone hears none of it."""
    from models import Table, db

    table = db.session.get(Table, table_id)
    assert table is not None
    fresh = token_of(table)
    db.session.remove()
    newcomer = _diner(base)
    with phones() as opened:
        mine = Phone(base, newcomer, fresh)
        opened.append(mine)
        _add_line(base, newcomer, fresh, item_id, "birthday for 王")
        assert "birthday for 王" in [line["note"] for line in mine.carts.get(timeout=5)["cart"]["lines"]]
    assert "birthday for 王" not in old.notes_heard()


@pytest.mark.live
def test_rotating_a_tables_code_cuts_its_open_phones_at_once(client, live_server):
    store = make_store()
    table, item = make_table(store), make_item(store)
    owner, old_token = staff_token(client, store), token_of(table)
    diner = _diner(live_server)
    with phones() as opened:
        phone = Phone(live_server, diner, old_token)
        opened.append(phone)
        answer = _add_line(live_server, diner, old_token, item.id, "no chilli")
        heard = phone.carts.get(timeout=5)["cart"]
        assert heard["lines"][0]["note"] == "no chilli"
        assert heard["revision"] == answer["revision"] == 1  # the event is the answer's cart, same revision
        r = requests.post(f"{live_server}/api/v1/admin/tables/{table.id}/rotate-qr", headers=auth(owner), timeout=10)
        assert r.status_code == 200
        assert phone.gone.wait(CUT_WITHIN), "a phone on the rotated code stayed connected"
        _next_party_orders_unheard(live_server, phone, table.id, item.id)
        with pytest.raises(socketio.exceptions.ConnectionError):
            Phone(live_server, diner, old_token)  # and the old code cannot connect again


@pytest.mark.live
def test_disabling_a_table_cuts_its_open_phones_at_once(client, live_server):
    store = make_store()
    table = make_table(store)
    owner = staff_token(client, store)
    with phones() as opened:
        phone = Phone(live_server, _diner(live_server), token_of(table))
        opened.append(phone)
        r = requests.patch(f"{live_server}/api/v1/admin/tables/{table.id}", json={"active": False},
                           headers=auth(owner), timeout=10)
        assert r.status_code == 200
        assert phone.gone.wait(CUT_WITHIN), "a phone on a disabled table stayed connected"


@pytest.mark.live
def test_deleting_my_data_cuts_my_sockets_but_not_my_tablemates(client, live_server):
    store = make_store()
    table, item = make_table(store), make_item(store)
    table_token = token_of(table)
    leaving, staying = _diner(live_server), _diner(live_server)
    with phones() as opened:
        mine, theirs = Phone(live_server, leaving, table_token), Phone(live_server, staying, table_token)
        opened += [mine, theirs]
        assert requests.delete(f"{live_server}/api/v1/diner/me", headers=auth(leaving), timeout=10).status_code == 204
        assert mine.gone.wait(CUT_WITHIN), "a deleted diner's socket stayed connected"
        _add_line(live_server, staying, table_token, item.id, "extra rice")
        assert theirs.carts.get(timeout=5)["cart"]["lines"][0]["note"] == "extra rice"
        assert not theirs.gone.is_set()
        assert "extra rice" not in mine.notes_heard()


@pytest.mark.live
def test_a_phone_with_valid_keys_stays_connected_across_sweeps(client, live_server):
    store = make_store()
    table, other = make_table(store), make_table(store, code="B2")
    owner = staff_token(client, store)
    with phones() as opened:
        phone = Phone(live_server, _diner(live_server), token_of(table))
        opened.append(phone)
        r = requests.post(f"{live_server}/api/v1/admin/tables/{other.id}/rotate-qr", headers=auth(owner), timeout=10)
        assert r.status_code == 200
        assert not phone.gone.wait(4), "rotating another table's code cut this one"
