"""Waiter calls and bill requests: one open call per table and kind, however often pressed."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from domain.errors import InvalidState, NotFound, ValidationFailed
from models import Order, Table, WaiterCall, db, utcnow
from services import tables
from services.uow import Outgoing, Tx, reading, transaction


def call_view(call: WaiterCall, table_code: str) -> dict[str, Any]:
    number = None
    if call.order_id is not None:
        order = db.session.get(Order, call.order_id)
        number = order.number if order is not None else None
    return {"id": call.id, "table_id": call.table_id, "table_code": table_code, "kind": call.kind,
            "reason": call.reason or "", "order_number": number, "status": call.status,
            "created_at": call.created_at.isoformat()}


def _announce(tx: Tx, call: WaiterCall, table_code: str, name: str) -> None:
    message = {"call": call_view(call, table_code)}
    tx.emit(Outgoing("staff", name, message, call.store_id))
    tx.emit(Outgoing("table", name, message, call.store_id, table_id=call.table_id))


def call_staff(table_token: str, kind: str, reason: str = "", order_id: int | None = None
               ) -> tuple[WaiterCall, str, bool]:
    """Open a call, or return the one open for this table, kind and reason: ``(call, table code, created)``.

    ``reason`` (waiter calls only): water, tableware, or hurry for the round ``order_id`` of the
    table's open check; a call without one is the plain call it always was (same key, so an open
    plain call is still returned). The unique ``open_key`` makes "once" a database fact even when
    two presses race. Raises NotFound (table, or a round not on its open check), ValidationFailed.
    """
    if reason and kind != "waiter":
        raise ValidationFailed("only a waiter call has a reason", {"reason": ["only with kind waiter"]})
    if (reason == "hurry") != (order_id is not None):
        raise ValidationFailed("a hurry call names its round", {"order_id": ["with reason hurry, and only then"]})
    with reading() as db:
        found = tables.resolve(table_token, db)
        if order_id is not None and (found.check is None or db.execute(
                select(Order.id).where(Order.id == order_id, Order.table_session_id == found.check.id)
        ).first() is None):
            raise NotFound("no such round at this table")
    open_key = f"{found.table.id}:{kind}" + (f":{reason}" if reason else "") + (f":{order_id}" if order_id else "")
    try:
        with transaction() as tx:
            existing = tx.session.execute(
                select(WaiterCall).where(WaiterCall.open_key == open_key)
            ).scalar_one_or_none()
            if existing is not None:
                return existing, found.table.code, False
            call = WaiterCall(store_id=found.store.id, table_id=found.table.id, kind=kind, reason=reason,
                              order_id=order_id, status="open", open_key=open_key, created_at=utcnow())
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
