"""Tables and their QR tokens."""
from __future__ import annotations

from dataclasses import dataclass

import segno
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

import models
from domain.errors import NotFound
from domain.payment_state import IN_FLIGHT
from domain.tokens import TokenInvalid
from models import Payment, Store, Table, TableSession, db, utcnow
from services.context import setting, signer
from services.rows import core
from services.uow import reading


@dataclass
class ResolvedTable:
    store: Store
    table: Table
    check: TableSession | None


def qr_token(table: Table) -> str:
    return signer().qr_token(table.store_id, table.id, table.qr_version)


def qr_url(table: Table) -> str:
    return f"{setting('PUBLIC_BASE_URL')}/t/{qr_token(table)}"


def resolve(token: str, db: Session | None = None, with_check: bool = True) -> ResolvedTable:
    """The store, table and (unless ``with_check`` is false) open check a QR token points at.

    Raises NotFound if the token is unknown, forged or rotated, or the table disabled.
    """
    db = db or models.db.session()
    try:
        claim = signer().parse_qr(token)
    except TokenInvalid as exc:
        raise NotFound("unknown table code") from exc
    table = db.get(Table, claim.table_id)
    if (table is None or not table.active or table.qr_version != claim.version
            or not signer().verify_qr(claim, table.store_id)):
        raise NotFound("unknown table code")
    store = db.get(Store, table.store_id)
    assert store is not None
    return ResolvedTable(store=store, table=table, check=open_check(db, table) if with_check else None)


_T = core(Table).c
_LOCK_TABLE = (select(_T.id, _T.store_id, _T.area_id, _T.code, _T.seats, _T.active, _T.qr_version)
               .where(_T.id == bindparam("table_id")).with_for_update())


def resolve_locked(token: str, db: Session) -> Table:
    """``resolve`` for an order: the table row is read and locked in one statement (the per-table
    mutex of ``lock_table``). Raises NotFound as ``resolve`` does.

    The table comes back outside the session (read with Core, read-only): the order refers to it."""
    try:
        claim = signer().parse_qr(token)
    except TokenInvalid as exc:
        raise NotFound("unknown table code") from exc
    row = db.connection().execute(_LOCK_TABLE, {"table_id": claim.table_id}).one_or_none()
    table = None if row is None else Table(**row._mapping)
    if (table is None or not table.active or table.qr_version != claim.version
            or not signer().verify_qr(claim, table.store_id)):
        raise NotFound("unknown table code")
    return table


def lapsed(keys: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Which of these (table id, QR version) pairs no longer open their table: the code was rotated,
    the table disabled or deleted. The socket sweeper cuts phones holding them."""
    if not keys:
        return set()
    with reading() as db:
        live = set(db.execute(
            select(Table.id, Table.qr_version).where(Table.id.in_({t for t, _v in keys}), Table.active.is_(True))
        ).tuples())
    return keys - live


def open_check(db: Session, table: Table) -> TableSession | None:
    return db.execute(
        select(TableSession).where(TableSession.store_id == table.store_id, TableSession.table_id == table.id,
                                   TableSession.status == "open")
    ).scalar_one_or_none()


def lock_table(db: Session, table_id: int) -> None:
    """Row-lock the table until commit: the per-table mutex for its cart and check.

    Lock order everywhere: table row, then store counters. (MariaDB; on SQLite every
    transaction is BEGIN IMMEDIATE and so already serialised.)
    """
    db.execute(select(Table.id).where(Table.id == table_id).with_for_update())


def open_or_create_check(db: Session, table: Table) -> TableSession:
    """The table's open check, opened now if there is none. Call with the table locked."""
    check = open_check(db, table)
    if check is None:
        check = TableSession(store_id=table.store_id, table_id=table.id, status="open", open_key=table.id,
                             paid=0, opened_at=utcnow())
        db.add(check)
        db.flush()
    return check


def list_tables(store_id: int) -> list[Table]:
    return list(db.session.execute(
        select(Table).where(Table.store_id == store_id).order_by(Table.code)
    ).scalars())


def floor(store_id: int) -> list[tuple[Table, TableSession | None]]:
    """Every active table of the store with its open check (or None), for the floor staff."""
    tables = list_tables(store_id)
    checks = {c.table_id: c for c in db.session.execute(
        select(TableSession).where(TableSession.store_id == store_id, TableSession.status == "open")
    ).scalars()}
    return [(t, checks.get(t.id)) for t in tables if t.active]


def payments_in_flight(store_id: int) -> dict[int, list[Payment]]:
    """The store's WeChat payments a diner may still pay, by check, for the floor staff."""
    found: dict[int, list[Payment]] = {}
    for payment in db.session.execute(
        select(Payment).join(TableSession, TableSession.id == Payment.table_session_id)
        .where(Payment.store_id == store_id, Payment.status.in_(IN_FLIGHT), TableSession.status == "open")
        .order_by(Payment.id)
    ).scalars():
        found.setdefault(payment.table_session_id, []).append(payment)
    return found


def qr_code(url: str) -> segno.QRCode:
    """The QR code of a table link (error correction M: survives a stained or creased print)."""
    return segno.make(url, error="m")
