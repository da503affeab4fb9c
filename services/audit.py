"""Writing and reading the audit log. ``record`` joins the caller's transaction, so an action
and its audit line commit together or not at all."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from models import AuditLog
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
