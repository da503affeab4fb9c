"""The print outbox: jobs written in the same transaction as the kitchen change that causes them.

``queue_ticket`` runs inside ``record_ticket_event`` for a new ticket, ``queue_void`` inside
``withdraw_item``, ``queue_moved`` for the cashier's table move: so a ticket that reached the
screens is owed to paper too, and a rolled-back order owes nothing. A job keeps what to print as
plain data (rendered for the printer when sent), so a reprint prints the same thing again.
Workers (``services.print_worker``) send the jobs; every commit that queued one wakes the
worker of its process at once.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from models import Order, OrderItem, Printer, PrintJob, Station, Store, Ticket, utcnow
from services import status
from services.uow import Outgoing, Tx, reading
from services.views import ticket_view

WAKE = Outgoing("print", "print.queued", {}, 0)  # for this process's worker only; no socket hears it


def live_printers(tx: Tx, store_id: int) -> list[Printer]:
    known: list[Printer] | None = tx.known.get(("printers", store_id))
    if known is not None:
        return known
    return list(tx.session.execute(
        select(Printer).where(Printer.store_id == store_id, Printer.deleted_at.is_(None)).order_by(Printer.id)
    ).scalars())


def none_in_store(tx: Tx, store_id: int) -> None:
    """This transaction already read that the store has no printers: nothing to queue, no query."""
    tx.known[("printers", store_id)] = []


def _store_part(tx: Tx, store_id: int) -> dict[str, Any]:
    store = tx.session.get(Store, store_id)
    assert store is not None
    return {"store": store.name, "tz": store.timezone}


def _station_name(tx: Tx, store_id: int, code: str) -> str:
    name = tx.session.execute(
        select(Station.name).where(Station.store_id == store_id, Station.code == code)
    ).scalar_one_or_none()
    return name or code


def add_job(tx: Tx, printer: Printer, kind: str, payload: dict[str, Any], ticket_id: int | None = None,
            client_key: str | None = None, reprint_of: int | None = None) -> PrintJob:
    job = PrintJob(store_id=printer.store_id, printer_id=printer.id, kind=kind, ticket_id=ticket_id, payload=payload,
                   status="queued", attempts=0, next_attempt_at=utcnow(), client_key=client_key,
                   reprint_of=reprint_of, created_at=utcnow())
    job.printer = printer
    tx.session.add(job)
    if WAKE not in tx.events:
        tx.emit(WAKE)
    return job


def queue_ticket(tx: Tx, ticket: Ticket) -> list[PrintJob]:
    """A new ticket: one job for each printer of its station."""
    printers = [p for p in live_printers(tx, ticket.store_id) if ticket.station in (p.stations or [])]
    if not printers:
        return []
    data = ticket_view(ticket) | {"station_name": _station_name(tx, ticket.store_id, ticket.station)}
    payload = _store_part(tx, ticket.store_id) | {"ticket": data}
    return [add_job(tx, p, "ticket", payload, ticket_id=ticket.id) for p in printers]


def _printers_with_ticket(tx: Tx, store_id: int, ticket_ids: list[int]) -> list[Printer]:
    ids = set(tx.session.execute(
        select(PrintJob.printer_id).where(PrintJob.store_id == store_id, PrintJob.ticket_id.in_(ticket_ids),
                                          PrintJob.kind == "ticket")
    ).scalars())
    return [p for p in live_printers(tx, store_id) if p.id in ids]


def queue_void(tx: Tx, ticket: Ticket, lines: list[OrderItem], reason: str) -> list[PrintJob]:
    """Dishes taken off a ticket already sent to paper: a void slip on each printer that has it.

    Printers are served in order, so the slip always comes out after the ticket it corrects.
    """
    printers = _printers_with_ticket(tx, ticket.store_id, [ticket.id])
    if not printers:
        return []
    whole = all(ti.status == "cancelled" for ti in ticket.items)
    data = ticket_view(ticket) | {"station_name": _station_name(tx, ticket.store_id, ticket.station)}
    payload = _store_part(tx, ticket.store_id) | {
        "ticket": data, "whole_ticket": whole, "reason": reason, "at": utcnow().isoformat(),
        "items": [{"name": ln.name, "qty": ln.qty, "options": [o["name"] for o in ln.options], "note": ln.note}
                  for ln in lines]}
    return [add_job(tx, p, "void", payload, ticket_id=ticket.id) for p in printers]


def queue_moved(tx: Tx, store_id: int, from_table: str, to_table: str, order_ids: list[int]) -> list[PrintJob]:
    """A check moved to another table: every printer that printed its tickets gets a moved slip.

    For the cashier's move/merge use case: call it inside that transaction with the orders moved.
    """
    ticket_ids = list(tx.session.execute(
        select(Ticket.id).where(Ticket.store_id == store_id, Ticket.order_id.in_(order_ids))
    ).scalars())
    printers = _printers_with_ticket(tx, store_id, ticket_ids) if ticket_ids else []
    if not printers:
        return []
    order_numbers = sorted(tx.session.execute(
        select(Order.number).where(Order.store_id == store_id, Order.id.in_(order_ids))
    ).scalars())
    payload = _store_part(tx, store_id) | {"from_table": from_table, "to_table": to_table,
                                           "order_numbers": order_numbers, "at": utcnow().isoformat()}
    return [add_job(tx, p, "moved", payload) for p in printers]


def queue_length(tx: Tx, printer_ids: list[int]) -> dict[int, int]:
    if not printer_ids:
        return {}
    rows = tx.session.execute(
        select(PrintJob.printer_id, func.count()).where(PrintJob.printer_id.in_(printer_ids),
                                                        PrintJob.status == "queued")
        .group_by(PrintJob.printer_id)
    ).all()
    return {pid: int(n) for pid, n in rows}


def printer_view(printer: Printer, queue: int) -> dict[str, Any]:
    """A printer as staff see it; its key is never shown (only whether one is set)."""
    return {"id": printer.id, "name": printer.name, "kind": printer.kind, "host": printer.host, "port": printer.port,
            "sn": printer.sn, "key_set": bool(printer.key), "paper_width": printer.paper_width,
            "stations": list(printer.stations or []), "receipts": printer.receipts, "state": printer.state,
            "down_since": printer.down_since, "state_reason": printer.state_reason, "queue": queue}


def announce_state(tx: Tx, printer: Printer) -> None:
    """Kitchen screens, the floor and the console hear a printer go down, be refused, or come back."""
    view = printer_view(printer, queue_length(tx, [printer.id]).get(printer.id, 0))
    view["down_since"] = view["down_since"].isoformat() if view["down_since"] else None
    tx.emit(Outgoing("printer", "printer.state", {"printer": view}, printer.store_id))


def job_counts() -> dict[str, int]:
    """Print jobs by status over every store: for ``diancan_print_jobs{status}`` on /metrics."""
    with reading() as db:
        rows = db.execute(select(PrintJob.status, func.count()).group_by(PrintJob.status)).all()
    return {"queued": 0, "printed": 0, "failed": 0} | {status: int(n) for status, n in rows}


def printers_down() -> dict[str, int]:
    """Printers down or refused, per store: for ``diancan_printers_down{store}`` and staff warnings."""
    with reading() as db:
        rows = db.execute(
            select(Printer.store_id, func.count()).where(Printer.state != "ok", Printer.deleted_at.is_(None))
            .group_by(Printer.store_id)
        ).all()
    return {str(store_id): int(n) for store_id, n in rows}


status.provide_print_jobs(job_counts)
status.provide_printers_down(printers_down)
