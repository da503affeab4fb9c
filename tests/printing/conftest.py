"""Printing fixtures: emulated printers, print workers in threads, orders placed through the service."""
from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import select

from domain.pricing import LineRequest
from models import Item, Printer, PrintJob, Staff, Store, Table, db
from printers.emulator import EscposEmulator
from services import printers_admin
from services.orders import Orderer, place_order
from services.print_worker import PrintWorker
from services.uow import Outgoing, subscribe
from tests.helpers import auth, make_item, make_store, make_table, staff_token, token_of


def until(check: Callable[[], Any], timeout: float = 15.0, what: str = "condition") -> Any:
    """Poll ``check`` (a database or printer state no event announces to the test) until truthy."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        db.session.remove()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.fixture()
def emulators() -> Iterator[Callable[..., EscposEmulator]]:
    made: list[EscposEmulator] = []

    def make(**kw: Any) -> EscposEmulator:
        emulator = EscposEmulator(**kw)
        emulator.start()
        made.append(emulator)
        return emulator

    yield make
    for emulator in made:
        emulator.stop()


@pytest.fixture()
def workers(app) -> Iterator[Callable[[str], PrintWorker]]:  # type: ignore[no-untyped-def]
    """Start print workers (each in its own thread, with its own database session and connection)."""
    running: list[tuple[PrintWorker, threading.Thread]] = []

    def start(owner: str) -> PrintWorker:
        worker = PrintWorker(app, owner=owner)
        thread = threading.Thread(target=worker.run_forever, daemon=True)
        thread.start()
        running.append((worker, thread))
        return worker

    yield start
    for worker, _thread in running:
        worker.stop()
    for _worker, thread in running:
        thread.join(15)


@pytest.fixture()
def heard() -> Iterator[list[Outgoing]]:
    """Every event handed to the sockets after commit, in this process."""
    events: list[Outgoing] = []
    subscribe(events.extend)
    yield events
    from services import uow

    uow._subscribers.remove(events.extend)


class Shop:
    """A store with table A3, 宫保鸡丁 (hot, with a spice option) and 拍黄瓜 (cold), and its owner's token."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.store: Store = make_store()
        self.table: Table = make_table(self.store, "A3")
        self.hot: Item = make_item(self.store, name="宫保鸡丁", station="hot", groups=[("辣度", 1, 1, [("微辣", 0)])])
        self.cold: Item = make_item(self.store, name="拍黄瓜", station="cold", price=1200)
        self.token = staff_token(client, self.store)
        self.owner_id = db.session.execute(
            select(Staff.id).where(Staff.store_id == self.store.id, Staff.username == "owner")).scalar_one()
        db.session.remove()

    def add_printer(self, expect: int = 201, **body: Any) -> dict[str, Any]:
        body = {"name": f"打印机{uuid.uuid4().hex[:4]}", "kind": "escpos", "host": "127.0.0.1"} | body
        r = self.client.post("/api/v1/admin/printers", json=body, headers=auth(self.token))
        assert r.status_code == expect, r.get_json()
        return r.get_json().get("printer") or r.get_json()

    def escpos(self, emulator: EscposEmulator, stations: list[str], **kw: Any) -> dict[str, Any]:
        return self.add_printer(port=emulator.port, stations=stations, **kw)

    def order(self, *lines: tuple[Item, int], note: str = "", remark: str = "") -> int:
        requests = [LineRequest(item.id, qty, tuple(o.id for g in item.option_groups for o in g.options), note)
                    for item, qty in lines]
        order, _ = place_order(Orderer(staff_id=self.owner_id, staff_store_id=self.store.id), token_of(self.table),
                               uuid.uuid4().hex, requests, remark)
        db.session.remove()
        return order.number

    def jobs(self, printer_id: int) -> list[dict[str, Any]]:
        r = self.client.get(f"/api/v1/admin/printers/{printer_id}/jobs", headers=auth(self.token))
        assert r.status_code == 200, r.get_json()
        return r.get_json()["jobs"]

    def printer_row(self, printer_id: int) -> Printer:
        printer = db.session.get(Printer, printer_id)
        assert printer is not None
        return printer

    def queued(self) -> int:
        return len(db.session.execute(select(PrintJob.id).where(
            PrintJob.store_id == self.store.id, PrintJob.status == "queued")).all())


@pytest.fixture()
def shop(client) -> Iterator[Shop]:  # type: ignore[no-untyped-def]
    made = Shop(client)
    yield made
    # Workers serve every store: remove this test's printers so nothing it left queued is tried later.
    for printer, _queue in printers_admin.list_printers(made.store.id):
        printers_admin.delete_printer(made.store.id, printer.id)
    db.session.remove()
