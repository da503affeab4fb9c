"""The cashier's phone: staff rounds for a table or a walk-in (takeaway), items by their code.

Staff rounds go through the same pricing, stock and kitchen path as diners' (``orders.record_round``).
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from domain.checkout import code_candidates
from domain.errors import Conflict, NotFound
from domain.pricing import LineRequest
from models import Item, Order, Table, TableSession, utcnow
from services import tables
from services.orders import Orderer, existing_order, record_round, same_author
from services.scoping import owned
from services.stores import order_rules
from services.uow import reading, transaction


def place_staff_order(store_id: int, staff_id: int, client_key: str, lines: list[LineRequest], remark: str = "",
                      table_id: int | None = None) -> tuple[Order, bool]:
    """Ring up a round for a table (``table_id``) or, without one, a walk-in takeaway with its own
    check and the day's next pickup number. Idempotent on ``client_key``: a retry returns
    ``(first order, False)``. Raises NotFound (table unknown, disabled or another store's),
    ValidationFailed, SoldOut, Conflict (key used for something else).
    """
    who = Orderer(staff_id=staff_id, staff_store_id=store_id)
    try:
        return _place(store_id, who, client_key, lines, remark, table_id)
    except IntegrityError:  # a racing retry with this key committed first (transaction() rolled ours back)
        with reading() as db:
            order = existing_order(db, store_id, client_key)
            if order is None:
                raise
            return same_author(order, who, table_id), False


def _place(store_id: int, who: Orderer, client_key: str, lines: list[LineRequest], remark: str,
           table_id: int | None) -> tuple[Order, bool]:
    with transaction() as tx:
        found = existing_order(tx.session, store_id, client_key)
        if found is not None:
            return same_author(found, who, table_id), False
        found_rules = order_rules(tx.session, store_id)
        assert found_rules is not None
        store = found_rules[0]
        table: Table | None = None
        if table_id is not None:
            table = owned(tx.session, Table, store_id, table_id, "table")
            if not table.active:
                raise NotFound("no such table")
            tables.lock_table(tx.session, table.id)  # lock order: table, items, counters
            found = existing_order(tx.session, store_id, client_key)
            if found is not None:
                return same_author(found, who, table_id), False
            check = tables.open_or_create_check(tx.session, table)
        else:
            # A walk-in pays for their own bag: one check per takeaway order, on no table.
            check = TableSession(store_id=store_id, table_id=None, kind="takeaway", status="open", open_key=None,
                                 paid=0, opened_at=utcnow())
            tx.session.add(check)
            tx.session.flush()
        order = record_round(tx, store, table, check.id, who, client_key, lines, remark, takeaway=table is None)
    return order, True


def item_by_code(store_id: int, code: str) -> Item:
    """The store's active item whose printed code is ``code`` (a UPC-A scan also finds its EAN-13).
    Raises NotFound."""
    with reading() as db:
        item = db.execute(
            select(Item).where(Item.store_id == store_id, Item.code.in_(code_candidates(code)), Item.active.is_(True))
            .limit(1)
        ).scalar_one_or_none()
    if item is None:
        raise NotFound("no item has this code")
    return item


def open_takeaways(store_id: int) -> list[TableSession]:
    """Walk-in checks still open (not paid, or paid and not yet handed over), oldest first."""
    with reading() as db:
        rows = list(db.execute(
            select(TableSession).where(TableSession.store_id == store_id, TableSession.kind == "takeaway",
                                       TableSession.status == "open").order_by(TableSession.id)
        ).scalars())
        for check in rows:  # loaded now: the answer is built after the read ends
            for order in check.orders:
                list(order.items)
            list(check.discounts)
    return rows


__all__ = ["Conflict", "item_by_code", "open_takeaways", "place_staff_order"]
