"""The check at the cashier: what staff see of it, equal splits, discounts, moving and merging.

Discounts are fixed in fen when given and kept as rows (``Discount``); the check's ``due`` is
total − discounts − paid, so every payment path sees them without knowing about them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from domain import order_state
from domain.checkout import DiscountAsk, check_within_limit, discount_amount, role_limit_bp, split_equally
from domain.errors import Forbidden, InvalidState, NotFound, Unauthorized, ValidationFailed
from domain.money import format_fen
from models import Discount, Order, OrderItem, Payment, Store, Table, TableSession, Ticket, utcnow
from services import audit, ledger, printing, split_pay, staff, tables
from services.cart import clear_cart
from services.kitchen import OPEN_STATUSES, record_order_update, record_ticket_event, send_to_kitchen
from services.scoping import owned
from services.uow import Outgoing, Tx, reading, transaction


@dataclass(frozen=True)
class Approver:
    username: str
    password: str


class StaffCheck:
    """A check as staff see it: the check's own attributes plus its payments."""

    def __init__(self, check: TableSession, payments: list[Payment]) -> None:
        self._check = check
        self.payments = payments

    def __getattr__(self, name: str) -> Any:
        return getattr(self._check, name)


def staff_check(store_id: int, table_session_id: int) -> StaffCheck:
    """The check with every order, discount and payment, for the store's staff. Raises NotFound."""
    with reading() as db:
        check = owned(db, TableSession, store_id, table_session_id, "check")
        pays = list(db.execute(
            select(Payment).where(Payment.table_session_id == check.id).order_by(Payment.id)
        ).scalars())
        for order in check.orders:  # loaded now: the answer is built after the read ends
            list(order.items)
        list(check.discounts)
    return StaffCheck(check, pays)


def split(store_id: int, table_session_id: int, ways: int) -> tuple[int, list[int]]:
    """``ways`` equal shares of what is due now, in fen, adding up exactly. Raises NotFound."""
    with reading() as db:
        due = owned(db, TableSession, store_id, table_session_id, "check").due
    return due, split_equally(due, ways)


def _locked_check(db: Session, store_id: int, table_session_id: int) -> TableSession:
    check = db.execute(
        select(TableSession).where(TableSession.id == table_session_id, TableSession.store_id == store_id)
    ).scalar_one_or_none()
    if check is None:
        raise NotFound("no such check")
    if check.table_id is not None:
        tables.lock_table(db, check.table_id)
    db.execute(select(TableSession.id).where(TableSession.id == check.id).with_for_update())
    return check


def _verified_approver(store_id: int, approver: Approver) -> staff.StaffPrincipal:
    """A manager's or owner's sign-in on the cashier's phone, for one discount. The same lockout
    as any sign-in applies; no token is handed out."""
    with reading() as db:
        slug = db.execute(select(Store.slug).where(Store.id == store_id)).scalar_one()
    try:
        _, member = staff.login(slug, approver.username, approver.password)
    except Unauthorized:  # not 401: the cashier's own sign-in is fine; a locked-out approver stays 429
        raise Forbidden("the approver's username or password is wrong", {"approver": ["not accepted"]}) from None
    return staff.StaffPrincipal(id=member.id, store_id=member.store_id, role=member.role, name=member.name)


def give_discount(store_id: int, giver: staff.StaffPrincipal, table_session_id: int, client_key: str, ask: DiscountAsk,
                  reason: str, order_item_id: int | None = None, approver: Approver | None = None) -> TableSession:
    """Take money off a check (or one line of it) with a reason, within the role's limit.

    The limit (store settings: cashier, manager; owners none) holds for all the discounts on the
    check together. Beyond the giver's own limit a manager's sign-in (``approver``) may cover it.
    Idempotent on ``client_key``; audited. Raises NotFound, InvalidState (closed check, cancelled
    line), ValidationFailed (negative, beyond 100 %, more than is due), Forbidden (beyond the limit,
    approver not accepted).
    """
    with transaction() as tx:
        found = tx.session.execute(
            select(Discount).where(Discount.store_id == store_id, Discount.client_key == client_key)
        ).scalar_one_or_none()
        if found is not None:
            return owned(tx.session, TableSession, store_id, found.table_session_id, "check")
    checked = _verified_approver(store_id, approver) if approver is not None else None
    if checked is not None and checked.role not in ("owner", "manager"):
        raise Forbidden("only a manager or the owner can approve a discount", {"approver": ["not a manager"]})
    try:
        return _give(store_id, giver, table_session_id, client_key, ask, reason, order_item_id, checked)
    except IntegrityError:  # the same key, retried on another check at the same moment, won (ours rolled back)
        with reading() as db:
            found = db.execute(
                select(Discount).where(Discount.store_id == store_id, Discount.client_key == client_key)
            ).scalar_one_or_none()
            if found is None:
                raise
            return owned(db, TableSession, store_id, found.table_session_id, "check")


def _give(store_id: int, giver: staff.StaffPrincipal, table_session_id: int, client_key: str, ask: DiscountAsk,
          reason: str, order_item_id: int | None, checked: staff.StaffPrincipal | None) -> TableSession:
    with transaction() as tx:
        check = _locked_check(tx.session, store_id, table_session_id)
        found = tx.session.execute(
            select(Discount).where(Discount.store_id == store_id, Discount.client_key == client_key)
        ).scalar_one_or_none()
        if found is not None:
            return check
        if check.status != "open":
            raise InvalidState("this check is closed")
        store = tx.session.get(Store, store_id)
        assert store is not None
        base, already = _discount_base(tx.session, check, order_item_id)
        amount = discount_amount(ask, base - already)
        # Like a cancel (docs/payments.md): never under what is paid plus a WeChat payment in flight.
        free = ledger.ledger(tx.session, check).free
        if amount > free:
            raise ValidationFailed("more than is due and not being paid on the check",
                                   {"value": [f"at most {format_fen(free)}"]})
        who = checked or giver
        limit = role_limit_bp(who.role, store.cashier_discount_bp, store.manager_discount_bp)
        if checked is None:
            check_within_limit(already + amount, base, limit)
        else:
            try:
                check_within_limit(already + amount, base, limit)
            except Forbidden:
                raise Forbidden("beyond the approver's limit too", {"approver": ["limit exceeded"]}) from None
        before = check.discount
        discount = Discount(store_id=store_id, table_session_id=check.id, order_item_id=order_item_id,
                            client_key=client_key, kind=ask.kind, value=ask.value, amount=amount, reason=reason[:200],
                            staff_id=giver.id, approved_by=checked.id if checked else None, created_at=utcnow())
        tx.session.add(discount)
        check.discounts.append(discount)
        tx.session.flush()
        audit.record(tx, store_id, giver.id, "discount.give", "table_session", check.id, {"discount": before},
                     {"discount": check.discount, "kind": ask.kind, "value": ask.value, "amount": amount,
                      "reason": discount.reason, "order_item_id": order_item_id,
                      "approved_by": discount.approved_by})
        if store.pay_mode == "pay_first":
            _send_orders_owing_nothing(tx, check)
        announce_check(tx, check)
    return check


def _send_orders_owing_nothing(tx: Tx, check: TableSession) -> None:
    """Pay first: an order the discount left with nothing to pay is paid, and so cooked."""
    money = ledger.ledger(tx.session, check)
    if money.in_flight:  # a payment in flight may still fail: only what is really owed decides
        return
    for order in split_pay.orders_owing_nothing(tx.session, check, money.free):
        order.payment_status = "paid"
        if order.status == "submitted":
            order.status = order_state.order_transition("submitted", "accepted")
            send_to_kitchen(tx, order)
        record_order_update(tx, order)


def _discount_base(db: Session, check: TableSession, order_item_id: int | None) -> tuple[int, int]:
    """What a discount is measured against (the check's total, or one line's) and how much is
    already off it."""
    if order_item_id is None:
        return check.total, check.discount
    line = db.execute(
        select(OrderItem).join(Order, Order.id == OrderItem.order_id)
        .where(OrderItem.id == order_item_id, Order.table_session_id == check.id)
    ).scalar_one_or_none()
    if line is None:
        raise NotFound("no such line on this check")
    if line.status == "cancelled":
        raise InvalidState("this line is cancelled")
    already = sum(d.amount for d in check.discounts if d.order_item_id == line.id)
    return line.line_total, already


def announce_check(tx: Tx, check: TableSession) -> None:
    """The table's diners and the floor staff see the check's new numbers after commit."""
    numbers = {"id": check.id, "total": check.total, "discount": check.discount, "paid": check.paid, "due": check.due}
    if check.table_id is not None:
        tx.emit(Outgoing("table", "check.updated", {"session": numbers}, check.store_id, table_id=check.table_id))
    tx.emit(Outgoing("staff", "floor.updated", {"session": numbers}, check.store_id))


def move_check(store_id: int, staff_id: int, table_session_id: int, to_table_id: int) -> TableSession:
    """Move a check to another table: to a free one it moves; to one with an open check the two
    merge (orders, payments and discounts join the target's check, this one closes). Kitchen
    screens get every open ticket again with the new table code. Raises NotFound (unknown,
    disabled or another store's table or check), InvalidState (closed, takeaway, same table).
    """
    with transaction() as tx:
        check = owned(tx.session, TableSession, store_id, table_session_id, "check")
        target = owned(tx.session, Table, store_id, to_table_id, "table")
        if not target.active:
            raise NotFound("no such table")
        if check.table_id is None:
            raise InvalidState("a takeaway check has no table to move")
        if check.table_id == target.id:
            raise InvalidState("the check is already at this table")
        for table_id in sorted((check.table_id, target.id)):  # fixed order: no deadlock between two moves
            tables.lock_table(tx.session, table_id)
        tx.session.refresh(check)
        if check.status != "open":
            raise InvalidState("this check is closed")
        if ledger.ledger(tx.session, check).in_flight:  # the diner's WeChat sheet names this check
            raise InvalidState("a WeChat payment on this check is in progress: wait for it, or stop it first")
        from_code = check.table.code if check.table else ""
        moved_orders = [o.id for o in check.orders]
        into = tables.open_check(tx.session, target)
        if into is None:
            result = _move(tx, check, target)
            action = "check.move"
        else:
            result = _merge(tx, check, into, target)
            action = "check.merge"
        audit.record(tx, store_id, staff_id, action, "table_session", result.id,
                     {"table": from_code, "check": check.id}, {"table": target.code, "check": result.id})
        printing.queue_moved(tx, store_id, from_code, target.code, moved_orders)  # a slip for every printed ticket
        announce_check(tx, result)
    return result


def _move(tx: Tx, check: TableSession, target: Table) -> TableSession:
    old_table_id = check.table_id
    check.table, check.table_id, check.open_key = target, target.id, target.id
    _retable(tx, list(check.orders), target)
    tx.emit(Outgoing("table", "check.moved", {"session": {"id": check.id, "table": target.code}}, check.store_id,
                     table_id=old_table_id))
    return check


def _merge(tx: Tx, check: TableSession, into: TableSession, target: Table) -> TableSession:
    tx.session.execute(select(TableSession.id).where(TableSession.id.in_((check.id, into.id))).with_for_update())
    moved = list(check.orders)
    for order in moved:
        order.table_session = into
    tx.session.execute(update(Payment).where(Payment.table_session_id == check.id)
                       .values(table_session_id=into.id).execution_options(synchronize_session=False))
    for discount in list(check.discounts):
        discount.table_session_id = into.id
        into.discounts.append(discount)
    into.paid += check.paid
    if check.headcount is not None:  # one party now: the covers count each guest once
        into.headcount, check.headcount = (into.headcount or 0) + check.headcount, None
    clear_cart(tx, check)  # the diners' unsent cart at the old table goes; the rounds stay
    check.paid, check.status, check.open_key, check.closed_at = 0, "closed", None, utcnow()
    _retable(tx, moved, target)
    tx.emit(Outgoing("table", "check.moved", {"session": {"id": into.id, "table": target.code}}, check.store_id,
                     table_id=check.table_id))
    return into


def _retable(tx: Tx, orders: list[Order], target: Table) -> None:
    """The orders now belong to ``target``; its code reaches every screen with an open ticket."""
    for order in orders:
        order.table, order.table_id = target, target.id
        record_order_update(tx, order)
    tx.session.flush()
    ids = [o.id for o in orders]
    if not ids:
        return
    open_tickets = tx.session.execute(
        select(Ticket).where(Ticket.order_id.in_(ids), Ticket.status.in_(OPEN_STATUSES)).order_by(Ticket.id)
    ).scalars()
    for ticket in open_tickets:
        record_ticket_event(tx, ticket, "ticket.updated")

