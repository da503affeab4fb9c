"""Console routes for printers and print jobs (contract: "Printers").

Owners and managers manage printers (``printers.manage``); cashiers may also see printer states,
reprint a job and print a receipt (``print.reprint``).
"""
from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from api.auth import kitchen_required, kitchen_store_id, permission_required, require_staff
from models import Printer, PrintJob
from schema.printing import (
    PrinterCreate,
    PrinterEnvelope,
    PrinterPatch,
    PrintersEnvelope,
    PrintJobEnvelope,
    PrintJobsEnvelope,
    PrintRequest,
    ReceiptRequest,
)
from services import printers_admin
from services.printing import printer_view

blp = Blueprint("admin_printers", __name__, url_prefix="/api/v1", description="Printers and print jobs")
SECURED = {"security": [{"bearer": []}]}


def _store_id() -> int:
    return require_staff().store_id


def _staff_id() -> int:
    return require_staff().id


def _view(found: tuple[Printer, int]) -> dict[str, Any]:
    return printer_view(*found)


def _job(job: PrintJob) -> dict[str, Any]:
    return {"id": job.id, "printer_id": job.printer_id, "kind": job.kind, "status": job.status,
            "attempts": job.attempts, "created_at": job.created_at, "printed_at": job.printed_at,
            "last_error": job.last_error, "reprint_of": job.reprint_of, "ticket_id": job.ticket_id}


@blp.get("/admin/printers")
@permission_required("print.reprint")
@blp.response(200, PrintersEnvelope)
@blp.doc(**SECURED)
def list_printers() -> dict[str, Any]:
    """The store's printers with their state (ok / down since / rejected) and queue length."""
    return {"printers": [_view(p) for p in printers_admin.list_printers(_store_id())]}


@blp.get("/kds/printers")
@kitchen_required
@blp.response(200, PrintersEnvelope)
@blp.doc(**SECURED)
def kitchen_printers() -> dict[str, Any]:
    """Printer states for the kitchen screens (no connection details)."""
    store_id = kitchen_store_id()
    assert store_id is not None
    return {"printers": [{"id": p.id, "name": p.name, "stations": p.stations, "state": p.state,
                          "down_since": p.down_since, "queue": queue}
                         for p, queue in printers_admin.list_printers(store_id)]}


@blp.post("/admin/printers")
@permission_required("printers.manage")
@blp.arguments(PrinterCreate())
@blp.response(201, PrinterEnvelope)
@blp.doc(**SECURED)
def create_printer(body: dict[str, Any]) -> Any:
    """A network ESC/POS printer (``host``, ``port``) or a Feie cloud printer (``sn``, ``key``)."""
    return {"printer": _view(printers_admin.create_printer(_store_id(), body, _staff_id()))}, 201


@blp.patch("/admin/printers/<int:printer_id>")
@permission_required("printers.manage")
@blp.arguments(PrinterPatch())
@blp.response(200, PrinterEnvelope)
@blp.doc(**SECURED)
def patch_printer(body: dict[str, Any], printer_id: int) -> dict[str, Any]:
    """New connection settings clear a down or rejected state and retry its queue at once."""
    return {"printer": _view(printers_admin.update_printer(_store_id(), printer_id, body, _staff_id()))}


@blp.delete("/admin/printers/<int:printer_id>")
@permission_required("printers.manage")
@blp.response(204)
@blp.doc(**SECURED)
def delete_printer(printer_id: int) -> None:
    printers_admin.delete_printer(_store_id(), printer_id, _staff_id())


@blp.get("/admin/printers/<int:printer_id>/jobs")
@permission_required("print.reprint")
@blp.response(200, PrintJobsEnvelope)
@blp.doc(**SECURED)
def list_jobs(printer_id: int) -> dict[str, Any]:
    """The printer's latest 50 jobs, newest first."""
    return {"jobs": [_job(j) for j in printers_admin.list_jobs(_store_id(), printer_id)]}


@blp.post("/admin/printers/<int:printer_id>/test")
@permission_required("printers.manage")
@blp.arguments(PrintRequest())
@blp.response(201, PrintJobEnvelope)
@blp.doc(**SECURED)
def test_print(body: dict[str, Any], printer_id: int) -> Any:
    """Queue a test page (with Chinese text) on the printer."""
    return {"job": _job(printers_admin.test_print(_store_id(), printer_id, body["client_key"]))}, 201


@blp.post("/admin/print-jobs/<int:job_id>/reprint")
@permission_required("print.reprint")
@blp.arguments(PrintRequest())
@blp.response(201, PrintJobEnvelope)
@blp.doc(**SECURED)
def reprint(body: dict[str, Any], job_id: int) -> Any:
    """Print the job again at the end of its printer's queue (once per ``client_key``)."""
    job = printers_admin.reprint(_store_id(), job_id, body["client_key"], _staff_id())
    return {"job": _job(job)}, 201


@blp.post("/admin/receipts")
@permission_required("print.reprint")
@blp.arguments(ReceiptRequest())
@blp.response(201, PrintJobsEnvelope)
@blp.doc(**SECURED)
def print_receipt(body: dict[str, Any]) -> Any:
    """The check's receipt on the store's receipt printers (409 when none prints receipts)."""
    jobs = printers_admin.print_receipt(_store_id(), body["table_session_id"], body["client_key"])
    return {"jobs": [_job(j) for j in jobs]}, 201
