"""Crediting a WeChat payment exactly once, and adding a paid payment to its check.

A payment is marked paid only by a verified notify or a verified query answer whose out_trade_no,
merchant, app, amount and state all match ours, and only by the one transaction that moves it
to ``paid`` (a conditional UPDATE), however many notifies race. A credit beyond what the check
still owed (docs/payments.md) is recorded all the same, kept as an anomaly and refunded.
"""
from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import select, update

from domain import order_state
from domain.payment_state import CREDITABLE, Expected, mismatch, overpaid_by
from models import Order, Payment, utcnow
from services import audit, coupons, ledger
from services.kitchen import record_order_update, send_to_kitchen
from services.pay_client import pay_client
from services.refunds import record_anomaly, refund_overpayment
from services.uow import Outgoing, Tx, fact, transaction
from wechat.pay import NotifyRejected


def handle_pay_notify(headers: Any, body: str) -> str:
    """Verify, decrypt and credit a payment notify; returns what became of it: ``credited``,
    ``duplicate`` (credited before) or ``mismatch`` (kept as an anomaly). Raises NotifyRejected
    (forged, tampered, stale, unreadable): WeChat should retry, nothing is credited."""
    try:
        txn = pay_client().parse_notify(headers, body)
    except NotifyRejected as exc:
        fact("notify", outcome="rejected_stale" if "stale" in str(exc) else "rejected_signature")
        raise
    outcome = _credit(txn)
    fact("notify", outcome=outcome)
    return outcome


def credit_transaction(txn: dict[str, Any]) -> bool:
    """Credit our payment from a verified transaction, once. True if this call credited it.

    A credit beyond what the check still owed is recorded all the same (WeChat took it), kept as
    an anomaly, and the excess refunded at once."""
    return _credit(txn) == "credited"


def _credit(txn: dict[str, Any]) -> str:
    out_trade_no = str(txn.get("out_trade_no", ""))[:64]
    cfg = current_app.config
    with transaction() as tx:
        payment = tx.session.execute(
            select(Payment).where(Payment.out_trade_no == out_trade_no)
        ).scalar_one_or_none()
        if payment is None:
            record_anomaly(tx, None, out_trade_no, "unknown out_trade_no", txn)
            return "mismatch"
        problem = mismatch(txn, Expected(payment.out_trade_no, payment.amount, cfg["WECHATPAY_MCHID"],
                                         cfg["WECHAT_APPID"]))
        if problem is not None:
            if txn.get("trade_state") in ("SUCCESS", "REFUND"):  # money moved, but not as we asked
                record_anomaly(tx, payment.store_id, out_trade_no, problem, txn)
            return "mismatch"
        ledger.lock_check(tx.session, payment.table_session_id)  # lock order: check, then payment
        # The one transaction that moves the row to paid credits it; every racer after it sees 0 rows.
        moved = tx.session.execute(
            update(Payment).where(Payment.id == payment.id, Payment.status.in_(CREDITABLE),
                                  Payment.failure.is_(None))  # a refunded-elsewhere trade never credits
            .values(status="paid", paid_at=utcnow(), transaction_id=str(txn.get("transaction_id", ""))[:64],
                    flight_key=None)
            .execution_options(synchronize_session=False)
        ).rowcount  # type: ignore[attr-defined]
        if moved != 1:
            return "duplicate"
        tx.session.refresh(payment)
        tx.note("payment", channel=payment.channel, status="paid")
        excess = apply_credit(tx, payment)
        if excess:
            record_anomaly(tx, payment.store_id, out_trade_no, f"overpaid: {excess} fen beyond what the check owed",
                           txn, payment_id=payment.id, amount=excess)
            audit.record(tx, payment.store_id, None, "payment.overpaid", "payment", payment.id, None,
                         {"amount": payment.amount, "overpaid": excess, "table_session_id": payment.table_session_id})
        pid = payment.id
    if excess:
        refund_overpayment(pid)
    return "credited"


def apply_credit(tx: Tx, payment: Payment) -> int:
    """Add a paid payment to its check (locked by the caller); returns the fen it overpaid."""
    check = ledger.lock_check(tx.session, payment.table_session_id)
    assert check is not None
    coupons.coupon_credited(tx.session, payment, check)  # first: what the coupon took off is no longer owed
    before = ledger.ledger(tx.session, check)
    excess = overpaid_by(before.total, before.paid, payment.amount)
    check.paid += payment.amount
    due = max(before.total - check.paid, 0)
    if payment.order_id is not None or due == 0:
        query = select(Order).where(Order.table_session_id == check.id, Order.status != "cancelled",
                                    Order.payment_status != "paid")
        if payment.order_id is not None:
            query = query.where(Order.id == payment.order_id)
        for order in tx.session.execute(query).scalars():
            order.payment_status = "paid"
            if order.status == "submitted":  # paid before cooking: now the kitchen sees it
                order.status = order_state.order_transition("submitted", "accepted")
                send_to_kitchen(tx, order)
            record_order_update(tx, order)
    tx.emit(Outgoing("table", "check.updated", {"session": {"id": check.id, "total": before.total, "paid": check.paid,
                                                            "due": due}}, check.store_id,
                     table_id=check.table_id))
    return excess


def mark_orders(tx: Tx, payment: Payment, status: str) -> None:
    query = select(Order).where(Order.table_session_id == payment.table_session_id, Order.status != "cancelled",
                                Order.payment_status != "paid")
    if payment.order_id is not None:
        query = query.where(Order.id == payment.order_id)
    for order in tx.session.execute(query).scalars():
        order.payment_status = status
        record_order_update(tx, order)


__all__ = ["apply_credit", "credit_transaction", "handle_pay_notify", "mark_orders"]
