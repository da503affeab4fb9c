"""Waiter calls and bill requests: one open call per table and kind, however often pressed."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from domain.errors import InvalidState, NotFound
from models import Table, WaiterCall, db, utcnow
from services import tables
from services.uow import Outgoing, Tx, reading, transaction


def call_view(call: WaiterCall, table_code: str) -> dict[str, Any]:
    return {"id": call.id, "table_id": call.table_id, "table_code": table_code, "kind": call.kind,
            "status": call.status, "created_at": call.created_at.isoformat()}


def _announce(tx: Tx, call: WaiterCall, table_code: str, name: str) -> None:
    message = {"call": call_view(call, table_code)}
    tx.emit(Outgoing("staff", name, message, call.store_id))
    tx.emit(Outgoing("table", name, message, call.store_id, table_id=call.table_id))


def call_staff(table_token: str, kind: str) -> tuple[WaiterCall, str, bool]:
    """Open a call, or return the one open for this table and kind: ``(call, table code, created)``.

    The unique ``open_key`` makes "once" a database fact even when two presses race.
    """
    with reading() as db:
        found = tables.resolve(table_token, db)
    open_key = f"{found.table.id}:{kind}"
    try:
        with transaction() as tx:
            existing = tx.session.execute(
                select(WaiterCall).where(WaiterCall.open_key == open_key)
            ).scalar_one_or_none()
            if existing is not None:
                return existing, found.table.code, False
            call = WaiterCall(store_id=found.store.id, table_id=found.table.id, kind=kind, status="open",
                              open_key=open_key, created_at=utcnow())
            tx.session.add(call)
            tx.session.flush()
            _announce(tx, call, found.table.code, "call.created")
        return call, found.table.code, True
    except IntegrityError:  # the other press won (transaction() rolled ours back)
        with reading() as db:
            call = db.execute(select(WaiterCall).where(WaiterCall.open_key == open_key)).scalar_one()
        return call, found.table.code, False


def open_calls(store_id: int) -> list[tuple[WaiterCall, str]]:
    rows = db.session.execute(
        select(WaiterCall, Table.code).join(Table, Table.id == WaiterCall.table_id)
        .where(WaiterCall.store_id == store_id, WaiterCall.status == "open").order_by(WaiterCall.id)
    ).all()
    return [(call, code) for call, code in rows]


def finish_call(store_id: int, call_id: int, staff_id: int) -> tuple[WaiterCall, str]:
    """Mark a call handled. Raises NotFound (other store or unknown), InvalidState (already done)."""
    with transaction() as tx:
        row = tx.session.execute(
            select(WaiterCall, Table.code).join(Table, Table.id == WaiterCall.table_id)
            .where(WaiterCall.id == call_id, WaiterCall.store_id == store_id).with_for_update()
        ).first()
        if row is None:
            raise NotFound("no such call")
        call, code = row
        if call.status != "open":
            raise InvalidState("this call was already handled")
        call.status, call.open_key, call.done_at, call.done_by = "done", None, utcnow(), staff_id
        _announce(tx, call, code, "call.updated")
    return call, code
