"""Writing and reading the audit log. ``record`` joins the caller's transaction, so an action
and its audit line commit together or not at all."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from models import Area, AuditLog, Coupon, Item, KitchenDevice, Option, OrderItem, Printer, Staff, Table
from services.uow import Tx, reading


def record(tx: Tx, store_id: int, staff_id: int | None, action: str, target_type: str, target_id: int | None,
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> None:
    tx.session.add(AuditLog(store_id=store_id, staff_id=staff_id, action=action, target_type=target_type,
                            target_id=target_id, before=before, after=after))


def entries(store_id: int, action: str | None = None, staff_id: int | None = None, since: datetime | None = None,
            until: datetime | None = None, limit: int = 100, before_id: int | None = None) -> list[AuditLog]:
    """Newest first, filtered; page with ``before_id`` (the last id of the previous page)."""
    query = select(AuditLog).where(AuditLog.store_id == store_id)
    if action:
        query = query.where(AuditLog.action == action)
    if staff_id is not None:
        query = query.where(AuditLog.staff_id == staff_id)
    if since is not None:
        query = query.where(AuditLog.created_at >= since)
    if until is not None:
        query = query.where(AuditLog.created_at < until)
    if before_id is not None:
        query = query.where(AuditLog.id < before_id)
    with reading() as db:
        rows = list(db.execute(query.order_by(AuditLog.id.desc()).limit(limit)).scalars())
    return rows


# What each kind of target is called, so the log reads "宫保鸡丁" and "A1" rather than "item 1".
NAMED: dict[str, tuple[Any, Any]] = {
    "item": (Item, Item.name), "option": (Option, Option.name), "order_item": (OrderItem, OrderItem.name),
    "table": (Table, Table.code), "area": (Area, Area.name), "staff": (Staff, Staff.name),
    "printer": (Printer, Printer.name), "kitchen_device": (KitchenDevice, KitchenDevice.name),
    "coupon": (Coupon, Coupon.name),
}


def target_names(store_id: int, rows: list[AuditLog]) -> dict[tuple[str, int], str]:
    """The current name of each row's target (within the store), keyed by (target_type, target_id)."""
    wanted: dict[str, set[int]] = {}
    for row in rows:
        if row.target_type in NAMED and row.target_id is not None:
            wanted.setdefault(row.target_type, set()).add(row.target_id)
    names: dict[tuple[str, int], str] = {}
    with reading() as db:
        for kind, ids in wanted.items():
            model, column = NAMED[kind]
            found = db.execute(select(model.id, column).where(model.id.in_(ids), model.store_id == store_id)).all()
            names.update({(kind, row_id): str(name) for row_id, name in found})
    return names
