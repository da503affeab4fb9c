"""The table's shared cart: everyone at the table adds to one cart on the open check.

Every change locks the table row first (see ``tables.lock_table``), so two phones editing at
once are applied one after the other and neither is lost; a change of quantity names the line's
``version``, and a phone that edited a stale line gets Conflict with the cart as it is now.
After each change the whole cart goes to the table as ``cart.updated`` with the check's
``cart_revision``, raised by one in the same transaction: answers and events can reach a phone out
of order (two requests at once, a slow answer), and the phone keeps the highest revision it saw.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from domain.errors import Conflict, DomainError, NotAvailable, NotFound, ValidationFailed
from domain.pricing import MAX_LINES, MAX_QTY, LineRequest, price_line
from models import CartLine, TableSession
from services import counters, seating, tables
from services.menu import menu_for_pricing, store_clock
from services.rows import core
from services.uow import Outgoing, Tx, transaction

_CHECKS = core(TableSession)
# raised and handed back in one statement (RETURNING, or LAST_INSERT_ID on MariaDB)
_NEXT_REVISION = counters.left_after_statements(
    update(_CHECKS).where(_CHECKS.c.id == bindparam("b_check")), None,
    _CHECKS.c.cart_revision, _CHECKS.c.cart_revision + 1,
    select(_CHECKS.c.cart_revision).where(_CHECKS.c.id == bindparam("b_check")))


@dataclass
class CartView:
    table_session_id: int | None
    lines: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0
    me: int | None = None  # the caller's number at the table (diners are numbered, never named)
    revision: int = 0  # the check's cart_revision: a newer cart has a higher one

    def message(self) -> dict[str, Any]:
        return {"cart": {"table_session_id": self.table_session_id, "lines": self.lines, "total": self.total,
                         "revision": self.revision}}


def _line_key(diner_id: int | None, item_id: int, option_ids: list[int], note: str) -> str:
    return f"{diner_id or 0}|{item_id}|{','.join(map(str, sorted(option_ids)))}|{note}"[:255]


def _lines(db: Session, check: TableSession) -> list[CartLine]:
    return list(db.execute(
        select(CartLine).where(CartLine.table_session_id == check.id).order_by(CartLine.id)
    ).scalars())


def _view(db: Session, check: TableSession | None, diner_id: int | None) -> CartView:
    if check is None:
        return CartView(table_session_id=None)
    lines = _lines(db, check)
    menu = menu_for_pricing(db, check.store_id, [ln.item_id for ln in lines])
    numbers: dict[int | None, int] = {}
    for ln in lines:
        numbers.setdefault(ln.diner_id, len(numbers) + 1)
    view = CartView(table_session_id=check.id, me=numbers.get(diner_id) if diner_id else None,
                    revision=check.cart_revision)
    for ln in lines:
        row: dict[str, Any] = {"id": ln.id, "item_id": ln.item_id, "qty": ln.qty, "option_ids": ln.option_ids,
                               "note": ln.note, "version": ln.version, "diner": numbers[ln.diner_id]}
        item = menu.get(ln.item_id)
        try:
            if item is None:
                raise NotFound("no longer on the menu")
            priced = price_line(item, LineRequest(ln.item_id, ln.qty, tuple(ln.option_ids), ln.note))
            row |= {"name": priced.name, "options": priced.options_snapshot(), "unit_price": priced.unit_price,
                    "line_total": priced.line_total, "available": True}
            view.total += priced.line_total
        except DomainError as exc:
            row |= {"name": item.name if item else "", "options": [], "unit_price": 0, "line_total": 0,
                    "available": False, "problem": exc.code}
        view.lines.append(row)
    return view


def lines_changed(tx: Tx, check_ids: list[int], change: Callable[[], None]) -> None:
    """``change`` rewrites these checks' cart lines from outside the cart (a diner forgotten:
    their lines belong to no one now, and the table's diner numbers shift). The open checks'
    tables are locked first, in id order, as for every cart change (lock order: table, check);
    then the change, counted and told to each table."""
    if not check_ids:
        change()
        return
    checks = list(tx.session.execute(
        select(TableSession).where(TableSession.id.in_(check_ids), TableSession.status == "open")
        .order_by(TableSession.table_id)).scalars())
    for check in checks:
        if check.table_id is not None:
            tables.lock_table(tx.session, check.table_id)
    change()
    for check in checks:
        _announce(tx, check)


def _announce(tx: Tx, check: TableSession) -> None:
    """The cart changed: count it in the database (so it holds across processes), then tell the table."""
    set_committed_value(check, "cart_revision", counters.left_after(tx.session, _NEXT_REVISION, {"b_check": check.id}))
    tx.emit(Outgoing("table", "cart.updated", _view(tx.session, check, None).message(), check.store_id,
                     table_id=check.table_id))


def get_cart(table_token: str, diner_id: int | None) -> CartView:
    """The table's cart; a diner opening it while a check is open joins that check (``seating``)."""
    with transaction() as tx:
        found = tables.resolve(table_token, tx.session)
        if found.check is not None:
            seating.join(tx.session, found.check, diner_id)
        return _view(tx.session, found.check, diner_id)


def add_line(table_token: str, diner_id: int, item_id: int, qty: int, option_ids: list[int], note: str) -> CartView:
    """Add to the cart; the same choice by the same diner adds to their existing line.

    Raises NotFound (table), ValidationFailed (item, options, quantity), SoldOut.
    """
    with transaction() as tx:
        found = tables.resolve(table_token, tx.session)
        tables.lock_table(tx.session, found.table.id)
        check = tables.open_or_create_check(tx.session, found.table)
        seating.join(tx.session, check, diner_id)
        item = menu_for_pricing(tx.session, found.store.id, [item_id]).get(item_id)
        if item is None:
            raise ValidationFailed("unknown item", {"item_id": ["not on this store's menu"]})
        if not item.available_at(store_clock(found.store)):
            raise NotAvailable("{name} is not served at this hour", {"item_id": ["not available now"]}, name=item.name)
        key = _line_key(diner_id, item_id, option_ids, note)
        line = tx.session.execute(
            select(CartLine).where(CartLine.table_session_id == check.id, CartLine.line_key == key)
        ).scalar_one_or_none()
        new_qty = qty + (line.qty if line else 0)
        price_line(item, LineRequest(item_id, new_qty, tuple(option_ids), note))  # validates
        if line is None:
            if len(_lines(tx.session, check)) >= MAX_LINES:
                raise ValidationFailed("the cart is full", {"items": [f"at most {MAX_LINES} lines"]})
            tx.session.add(CartLine(store_id=found.store.id, table_session_id=check.id, diner_id=diner_id,
                                    item_id=item_id, option_ids=sorted(option_ids), note=note, line_key=key,
                                    qty=new_qty, version=1))
        else:
            line.qty, line.version = new_qty, line.version + 1
        tx.session.flush()
        _announce(tx, check)
        return _view(tx.session, check, diner_id)


def set_quantity(table_token: str, diner_id: int, line_id: int, qty: int, version: int) -> CartView:
    """Set a line's quantity (0 removes it) if nobody changed it since ``version``.

    Anyone at the table may change any line: it is one shared cart. Raises NotFound (line not
    in this table's cart), Conflict (stale version), ValidationFailed (quantity).
    """
    if not 0 <= qty <= MAX_QTY:
        raise ValidationFailed("quantity out of range", {"qty": [f"0 to {MAX_QTY}"]})
    with transaction() as tx:
        found = tables.resolve(table_token, tx.session)
        tables.lock_table(tx.session, found.table.id)
        check = found.check
        line = None if check is None else tx.session.execute(
            select(CartLine).where(CartLine.id == line_id, CartLine.table_session_id == check.id)
        ).scalar_one_or_none()
        if check is None or line is None:
            raise NotFound("no such line in this table's cart")
        seating.join(tx.session, check, diner_id)
        if line.version != version:
            raise Conflict("someone at the table changed this line first; reload the cart")
        if qty == 0:
            tx.session.delete(line)
        else:
            line.qty, line.version = qty, line.version + 1
        tx.session.flush()
        _announce(tx, check)
        return _view(tx.session, check, diner_id)


def cart_line_requests(db: Session, check: TableSession) -> list[LineRequest]:
    """The cart as order lines, for submitting it as a round (the table must be locked)."""
    lines = _lines(db, check)
    if not lines:
        raise ValidationFailed("the cart is empty", {"cart": ["empty"]})
    return [LineRequest(ln.item_id, ln.qty, tuple(ln.option_ids), ln.note) for ln in lines]


def clear_cart(tx: Tx, check: TableSession) -> None:
    tx.session.execute(delete(CartLine).where(CartLine.table_session_id == check.id))
    _announce(tx, check)
