"""A check's money, read under its row lock: what it totals, what was paid, what is in flight.

Every change to a check's money — a payment created or credited, a refund settled, a line
cancelled, the table cleared — locks the check row first (``lock_check``) and reads the ledger
after it, so two racing requests cannot both pass the rules in docs/payments.md. Lock order
everywhere: table row, check row, then orders and payments. (On SQLite every transaction is
BEGIN IMMEDIATE and so already serialised; the lock costs nothing there.)
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.payment_state import IN_FLIGHT, free_to_pay
from models import Discount, Order, Payment, TableSession


@dataclass(frozen=True)
class Ledger:
    total: int  # orders not cancelled, less staff discounts and what coupons took off, fen
    paid: int  # credited less refunded
    in_flight: int  # WeChat payments the diner may still pay

    @property
    def free(self) -> int:
        """What a new payment may take."""
        return free_to_pay(self.total, self.paid, self.in_flight)

    @property
    def due(self) -> int:
        return max(self.total - self.paid, 0)

    @property
    def overpaid(self) -> int:
        return max(self.paid - self.total, 0)


def lock_check(db: Session, check_id: int, store_id: int | None = None) -> TableSession | None:
    """The check, row-locked until commit and re-read (not a stale copy from earlier in the
    transaction); None if unknown or (with ``store_id``) another store's."""
    query = select(TableSession).where(TableSession.id == check_id)
    if store_id is not None:
        query = query.where(TableSession.store_id == store_id)
    return db.execute(query.with_for_update().execution_options(populate_existing=True)).scalar_one_or_none()


def ledger(db: Session, check: TableSession) -> Ledger:
    """Read with SQL, not the ``orders`` relationship, so nothing loaded before the lock counts."""
    total = db.execute(select(func.coalesce(func.sum(Order.total), 0)).where(
        Order.table_session_id == check.id, Order.status != "cancelled")).scalar_one()
    # Discounts are fixed in fen when given (services.checks): what the check owes is less by them.
    discounts = db.execute(select(func.coalesce(func.sum(Discount.amount), 0)).where(
        Discount.table_session_id == check.id)).scalar_one()
    total = int(total) - min(int(discounts), int(total))
    in_flight = db.execute(select(func.coalesce(func.sum(Payment.amount), 0)).where(
        Payment.table_session_id == check.id, Payment.status.in_(IN_FLIGHT))).scalar_one()
    return Ledger(total=int(total) - (check.coupon_discount or 0), paid=check.paid, in_flight=int(in_flight))
