"""Managing a store's printers, and the staff's print requests: test page, reprint, receipt.

Every function takes the caller's store id and touches only that store's rows.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from domain.errors import InvalidState, NotFound, UpstreamError, ValidationFailed
from domain.print_docs import PAPER_WIDTHS
from models import Printer, PrintJob, Station, Store, TableSession, utcnow
from printers import KINDS, PrinterRejected, PrinterUnavailable, SettingsInvalid, driver
from printers.feie import FeieCloud
from services import audit, printing
from services.context import setting
from services.scoping import owned, taken
from services.uow import Tx, transaction

COMMON = ("name", "paper_width", "stations", "receipts")


def _config() -> dict[str, Any]:
    return {n: setting(n) for n in ("PRINT_TIMEOUT_SECONDS", "FEIE_API_BASE", "FEIE_USER", "FEIE_UKEY")}


def _settings(kind: str, values: dict[str, Any]) -> dict[str, Any]:
    try:
        return KINDS[kind].check_settings(values)
    except SettingsInvalid as exc:
        raise ValidationFailed(str(exc), exc.fields) from None


def _check_common(tx: Tx, store_id: int, values: dict[str, Any], printer_id: int | None = None) -> None:
    if "paper_width" in values and values["paper_width"] not in PAPER_WIDTHS:
        raise ValidationFailed("paper is 58 or 80 mm wide", {"paper_width": ["58 or 80"]})
    if "name" in values and taken(tx.session, Printer, store_id, Printer.name, values["name"], printer_id):
        raise ValidationFailed("another printer has this name", {"name": ["taken"]})
    if values.get("stations"):
        known = set(tx.session.execute(select(Station.code).where(Station.store_id == store_id)).scalars())
        unknown = sorted(set(values["stations"]) - known)
        if unknown:
            raise ValidationFailed("no such station: {codes}", {"stations": unknown}, codes=", ".join(unknown))


def _register(kind: str, settings: dict[str, Any], name: str) -> None:
    """A cloud printer must be on our provider account before it can print; ask the provider now,
    so a wrong key is a clear error at once rather than a printer that never prints."""
    if kind != "feie":
        return
    cloud = driver(kind, _config())
    assert isinstance(cloud, FeieCloud)
    try:
        cloud.register(settings["sn"], settings["key"], name)
    except PrinterRejected as exc:
        raise ValidationFailed(str(exc), {"key": ["refused by Feie"]}) from None
    except PrinterUnavailable as exc:
        raise UpstreamError(str(exc)) from None


def create_printer(store_id: int, values: dict[str, Any], staff_id: int | None = None) -> tuple[Printer, int]:
    """Add a printer (``kind`` escpos: host, port; feie: sn, key). Returns it and its queue (0).

    Raises ValidationFailed (bad host, port, serial or key, unknown station, name taken, key
    refused by the provider), UpstreamError (provider unreachable).
    """
    kind = values["kind"]
    settings = _settings(kind, values)
    with transaction() as tx:  # checked before asking the provider, holding no database meanwhile
        _check_common(tx, store_id, values)
    _register(kind, settings, values["name"])
    with transaction() as tx:
        _check_common(tx, store_id, values)
        printer = Printer(store_id=store_id, kind=kind, name=values["name"], paper_width=values.get("paper_width", 80),
                          stations=sorted(set(values.get("stations") or [])), receipts=values.get("receipts", False),
                          state="ok", state_reason="", created_at=utcnow(), **settings)
        tx.session.add(printer)
        tx.session.flush()
        audit.record(tx, store_id, staff_id, "printer.create", "printer", printer.id, None,
                     {"name": printer.name, "kind": kind, "stations": printer.stations})
    return printer, 0


def list_printers(store_id: int) -> list[tuple[Printer, int]]:
    with transaction() as tx:
        printers = printing.live_printers(tx, store_id)
        queues = printing.queue_length(tx, [p.id for p in printers])
    return [(p, queues.get(p.id, 0)) for p in printers]


def _live(tx: Tx, store_id: int, printer_id: int) -> Printer:
    printer = owned(tx.session, Printer, store_id, printer_id, "printer")
    if printer.deleted_at is not None:
        raise NotFound("no such printer")
    return printer


def update_printer(store_id: int, printer_id: int, changes: dict[str, Any],
                   staff_id: int | None = None) -> tuple[Printer, int]:
    """Change a printer's name, paper, stations, receipts or connection. New connection settings
    clear a "rejected" or "down" state: its queued jobs are tried again at once."""
    with transaction() as tx:
        printer = _live(tx, store_id, printer_id)
        kind = printer.kind
        current = {"host": printer.host, "port": printer.port, "sn": printer.sn, "key": printer.key}
    connection = {f: changes[f] for f in KINDS[kind].fields if f in changes}
    settings = _settings(kind, current | connection) if connection else None
    if settings is not None:
        _register(kind, settings, changes.get("name") or printer.name)
    with transaction() as tx:
        printer = _live(tx, store_id, printer_id)
        _check_common(tx, store_id, changes, printer_id)
        before = {f: getattr(printer, f) for f in COMMON}
        for f in COMMON:
            if f in changes:
                setattr(printer, f, sorted(set(changes[f])) if f == "stations" else changes[f])
        if settings is not None:
            for f, v in settings.items():
                setattr(printer, f, v)
            printer.state, printer.down_since, printer.state_reason = "ok", None, ""
            tx.session.execute(update(PrintJob).where(PrintJob.printer_id == printer.id, PrintJob.status == "queued")
                               .values(next_attempt_at=utcnow()).execution_options(synchronize_session=False))
            tx.emit(printing.WAKE)
            printing.announce_state(tx, printer)
        audit.record(tx, store_id, staff_id, "printer.update", "printer", printer.id, before,
                     {f: getattr(printer, f) for f in COMMON} | {"connection_changed": settings is not None})
        queue = printing.queue_length(tx, [printer.id]).get(printer.id, 0)
    return printer, queue


def delete_printer(store_id: int, printer_id: int, staff_id: int | None = None) -> None:
    """Remove a printer; what it still owed is marked failed (reprint it elsewhere if needed)."""
    with transaction() as tx:
        printer = _live(tx, store_id, printer_id)
        printer.deleted_at = utcnow()
        tx.session.execute(update(PrintJob).where(PrintJob.printer_id == printer.id, PrintJob.status == "queued")
                           .values(status="failed", last_error="printer removed")
                           .execution_options(synchronize_session=False))
        audit.record(tx, store_id, staff_id, "printer.delete", "printer", printer.id, {"name": printer.name}, None)


def list_jobs(store_id: int, printer_id: int, limit: int = 50) -> list[PrintJob]:
    """The printer's newest jobs first."""
    with transaction() as tx:
        owned(tx.session, Printer, store_id, printer_id, "printer")
        return list(tx.session.execute(
            select(PrintJob).where(PrintJob.store_id == store_id, PrintJob.printer_id == printer_id)
            .order_by(PrintJob.id.desc()).limit(limit)
        ).scalars())


def _existing(tx: Tx, store_id: int, client_key: str | None) -> PrintJob | None:
    if not client_key:
        return None
    return tx.session.execute(
        select(PrintJob).where(PrintJob.store_id == store_id, PrintJob.client_key == client_key)
    ).scalar_one_or_none()


def _once(store_id: int, client_key: str | None, make: Any) -> PrintJob:
    """Run ``make(tx)`` unless a job with this client key exists (then return that one)."""
    try:
        with transaction() as tx:
            found = _existing(tx, store_id, client_key)
            if found is not None:
                return found
            job: PrintJob = make(tx)
            tx.session.flush()
            return job
    except IntegrityError:  # the same request, retried at the same moment, won the race (ours rolled back)
        with transaction() as tx:
            found = _existing(tx, store_id, client_key)
            if found is None:
                raise
            return found


def reprint(store_id: int, job_id: int, client_key: str | None = None, staff_id: int | None = None) -> PrintJob:
    """Print a job again, on the same printer, at the end of its queue. Idempotent on ``client_key``.

    Raises NotFound (unknown job, another store's), InvalidState (its printer was removed).
    """
    def make(tx: Tx) -> PrintJob:
        job = owned(tx.session, PrintJob, store_id, job_id, "print job")
        printer = _live_or_gone(tx, store_id, job.printer_id)
        audit.record(tx, store_id, staff_id, "print.reprint", "print_job", job.id)
        return printing.add_job(tx, printer, job.kind, dict(job.payload) | {"reprint": True}, ticket_id=job.ticket_id,
                                client_key=client_key, reprint_of=job.id)
    return _once(store_id, client_key, make)


def _live_or_gone(tx: Tx, store_id: int, printer_id: int) -> Printer:
    try:
        return _live(tx, store_id, printer_id)
    except NotFound:
        raise InvalidState("this job's printer was removed") from None


def test_print(store_id: int, printer_id: int, client_key: str | None = None) -> PrintJob:
    """Queue a test page (store, printer, paper width, Chinese sample) on the printer."""
    def make(tx: Tx) -> PrintJob:
        printer = _live(tx, store_id, printer_id)
        store = tx.session.get(Store, store_id)
        assert store is not None
        payload = {"store": store.name, "tz": store.timezone, "printer": printer.name,
                   "paper_width": printer.paper_width, "at": utcnow().isoformat()}
        return printing.add_job(tx, printer, "test", payload, client_key=client_key)
    return _once(store_id, client_key, make)


def print_receipt(store_id: int, table_session_id: int, client_key: str | None = None) -> list[PrintJob]:
    """The check's receipt on every receipt printer of the store.

    Raises NotFound (unknown check, another store's), InvalidState (no receipt printer).
    """
    with transaction() as tx:
        if client_key:
            done = list(tx.session.execute(select(PrintJob).where(
                PrintJob.store_id == store_id, PrintJob.client_key.like(f"{client_key}:%"))).scalars())
            if done:
                return done
        check = owned(tx.session, TableSession, store_id, table_session_id, "check")
        printers = [p for p in printing.live_printers(tx, store_id) if p.receipts]
        if not printers:
            raise InvalidState("no printer of this store prints receipts")
        store = tx.session.get(Store, store_id)
        assert store is not None
        orders = [o for o in check.orders if o.status != "cancelled"]
        items = [{"name": ln.name, "qty": ln.qty, "options": [o["name"] for o in ln.options],
                  "line_total": ln.line_total} for o in orders for ln in o.items if ln.status != "cancelled"]
        payload = {"store": store.name, "tz": store.timezone, "table_code": check.table.code if check.table else "",
                   "pickup_number": check.pickup_number,
                   "at": utcnow().isoformat(), "items": items,
                   "service_charge": sum(o.service_charge for o in orders), "total": check.total,
                   "paid": check.paid, "due": check.due, "footer": ["谢谢惠顾，欢迎再来"]}
        jobs = [printing.add_job(tx, p, "receipt", payload,
                                 client_key=f"{client_key}:{p.id}" if client_key else None) for p in printers]
        tx.session.flush()
    return jobs
