"""Paying a check by its lines (split by items): what those lines cost, and marking them paid once.

Kept apart from ``services.payments`` so that every channel (cash, other, payment codes) can pay
by lines through the same two calls, made inside the paying transaction with the check locked.
"""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.checkout import order_share
from domain.errors import InvalidState, NotFound, ValidationFailed
from domain.money import format_fen
from domain.payment_state import IN_FLIGHT
from domain.pricing import service_charge
from models import Discount, Order, OrderItem, Payment, TableSession


def _lines(db: Session, check: TableSession, ids: list[int]) -> list[tuple[OrderItem, Order]]:
    rows = db.execute(
        select(OrderItem, Order).join(Order, Order.id == OrderItem.order_id)
        .where(OrderItem.id.in_(set(ids)), Order.table_session_id == check.id, Order.store_id == check.store_id)
    ).all()
    found = [(line, order) for line, order in rows]
    if len(found) != len(set(ids)):
        raise NotFound("some of these lines are not on this check", {"order_item_ids": ["not on this check"]})
    return found


def lines_amount(db: Session, check: TableSession, ids: list[int], amount: int | None, free: int) -> int:
    """What the lines cost, with their orders' service charge, but no more than is ``free`` to
    pay now (a discount or earlier shares may have paid part of them). Call with the check locked.

    Raises NotFound (a line of another check), InvalidState (cancelled or already paid),
    ValidationFailed (an ``amount`` that is not what the lines cost).
    """
    total = 0
    for line, order in _lines(db, check, ids):
        if line.status == "cancelled" or order.status == "cancelled":
            raise InvalidState("{name} was cancelled", {"order_item_ids": [f"{line.id} cancelled"]}, name=line.name)
        if line.payment_id is not None:
            raise InvalidState("{name} is already paid", {"order_item_ids": [f"{line.id} already paid"]},
                               name=line.name)
        total += line.line_total + service_charge(line.line_total, order.service_charge_bp)
    if amount is not None and amount != total:
        raise ValidationFailed("amount is not what these lines cost",
                               {"amount": [f"these lines cost {format_fen(total)}"]})
    return min(total, free)


def claim_lines(db: Session, payment: Payment, ids: list[int]) -> None:
    """Mark the lines paid by ``payment`` (after ``lines_amount`` in the same transaction)."""
    check = db.get(TableSession, payment.table_session_id)
    assert check is not None
    for line, _ in _lines(db, check, ids):
        line.payment_id = payment.id


def order_amount(db: Session, check: TableSession, order: Order, free: int) -> int:
    """What a pay-first order asks now (``domain.checkout.order_share``): its total less the
    discounts on its lines and its part of what else the check is owed less (a discount on the
    whole check, a coupon). Call with the check locked and nothing in flight for this order."""
    unpaid = list(db.execute(
        select(Order.id, Order.total).where(Order.table_session_id == check.id, Order.status != "cancelled",
                                            Order.payment_status.not_in(("paid", "paying")))
    ).all())
    if order.id not in {row.id for row in unpaid}:
        unpaid.append(db.execute(select(Order.id, Order.total).where(Order.id == order.id)).one())
    line_off = {row[0]: int(row[1] or 0) for row in db.execute(
        select(OrderItem.order_id, func.sum(Discount.amount)).join(OrderItem, OrderItem.id == Discount.order_item_id)
        .where(Discount.table_session_id == check.id).group_by(OrderItem.order_id)
    )}
    nets = {row.id: max(int(row.total) - line_off.get(row.id, 0), 0) for row in unpaid}
    # An order's own payment still being made (created, not yet marked paying) is in ``free``'s
    # in-flight money *and* the order among the unpaid: count it once, or a table-mate paying
    # another order at that moment would be asked for only part of it. Never more than is free.
    held = db.execute(select(func.coalesce(func.sum(Payment.amount), 0)).where(
        Payment.table_session_id == check.id, Payment.order_id.in_(list(nets)), Payment.status.in_(IN_FLIGHT))
    ).scalar_one()
    return min(order_share(nets[order.id], sum(nets.values()), free + int(held)), free)


def orders_owing_nothing(db: Session, check: TableSession, free: int) -> list[Order]:
    """Pay first: the unpaid orders a discount left with nothing to pay (``order_amount`` is 0),
    which go to the kitchen as paid orders do. Call with the check locked."""
    unpaid = db.execute(select(Order).where(
        Order.table_session_id == check.id, Order.status != "cancelled", Order.payment_status == "unpaid")
    ).scalars().all()
    return [order for order in unpaid if order_amount(db, check, order, free) == 0]
