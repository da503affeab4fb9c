"""Money going back: cashiers' refunds, and the automatic refund of a credit that overpaid.

A refund is reserved on its payment first (a conditional UPDATE), so refunds never add up to
more than was paid, even when racing. A WeChat payment whose credit went beyond what its check
owed (docs/payments.md) is recorded as paid — WeChat really took the money — kept as a
``payment_anomalies`` row with the fen too many, and that part is given back through WeChat Pay
at once; the reconcile cron retries a refund WeChat did not take.
"""
from __future__ import annotations

import logging
import secrets
from typing import Any

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from domain.errors import DomainError, InvalidState, NotFound, UpstreamError, ValidationFailed
from models import Order, Payment, PaymentAnomaly, Refund, Table, TableSession, utcnow
from services import audit, ledger
from services.context import setting
from services.kitchen import record_order_update
from services.pay_client import code_provider, pay_client
from services.uow import Outgoing, Tx, reading, transaction
from wechat.pay import PayError

log = logging.getLogger(__name__)
OVERPAID_REASON = "多付自动退款"  # what the diner reads in WeChat beside the refund


def refund_payment(store_id: int, staff_id: int, payment_id: int, amount: int, reason: str,
                   client_key: str) -> Refund:
    """Give money back on a paid payment, fully or in part, never more than was paid.

    WeChat payments are refunded through WeChat Pay (the refund notify settles them), payment
    codes through their provider (settled once it takes the refund); cash and other are settled
    at once. Idempotent on ``client_key``. Raises NotFound, InvalidState (not
    paid), ValidationFailed (more than is left to refund), UpstreamError (WeChat Pay failing).
    """
    return _refund(store_id, staff_id, payment_id, amount, reason, client_key, overpayment=False)


def _refund(store_id: int, staff_id: int | None, payment_id: int, amount: int, reason: str, client_key: str,
            overpayment: bool) -> Refund:
    with transaction() as tx:
        found = _by_key(tx, store_id, client_key)
        if found is not None:
            return found
        payment = tx.session.execute(
            select(Payment).where(Payment.id == payment_id, Payment.store_id == store_id)
        ).scalar_one_or_none()
        if payment is None:
            raise NotFound("no such payment")
        ledger.lock_check(tx.session, payment.table_session_id)  # lock order: check, then payment
        payment = tx.session.execute(
            select(Payment).where(Payment.id == payment_id).with_for_update().execution_options(populate_existing=True)
        ).scalar_one()
        found = _by_key(tx, store_id, client_key)  # again, under the locks: a racing retry is done
        if found is not None:
            return found
        if payment.status != "paid":
            raise InvalidState("only a paid payment can be refunded")
        # Reserve the amount: the row lock and the condition make "never more than paid" hold
        # even for two cashiers refunding the same payment at the same moment.
        reserved = tx.session.execute(
            update(Payment).where(Payment.id == payment.id, Payment.refunded + amount <= Payment.amount)
            .values(refunded=Payment.refunded + amount).execution_options(synchronize_session=False)
        ).rowcount  # type: ignore[attr-defined]
        if reserved != 1:
            left = payment.amount - payment.refunded
            raise ValidationFailed("more than is left to refund", {"amount": [f"at most {left}"]})
        refund = Refund(store_id=store_id, payment_id=payment.id, staff_id=staff_id, client_key=client_key,
                        out_refund_no=f"RF{payment.out_trade_no}-{secrets.token_hex(3).upper()}"[:64],
                        amount=amount, reason=reason[:80], status="processing", overpayment=overpayment)
        tx.session.add(refund)
        tx.session.flush()
        audit.record(tx, store_id, staff_id, "payment.refund", "payment", payment.id,
                     {"refunded": payment.refunded}, {"refunded": payment.refunded + amount, "amount": amount,
                                                      "reason": refund.reason, "out_refund_no": refund.out_refund_no})
        if payment.channel not in ("wechat_jsapi", "wechat_code", "alipay_code"):
            _settle_refund(tx, refund, None)
            return refund
        rid, out_trade_no, out_refund_no, total = refund.id, payment.out_trade_no, refund.out_refund_no, payment.amount
        channel = payment.channel
    if channel != "wechat_jsapi":
        return _refund_code(rid, channel, out_trade_no, out_refund_no, amount, total, reason)
    try:
        answer = pay_client().refund(out_trade_no, out_refund_no, amount, total, reason,
                                     f"{setting('PUBLIC_BASE_URL')}/api/v1/wechat/refund/notify")
    except PayError as exc:
        with transaction() as tx:
            _fail_refund(tx, tx.session.execute(select(Refund).where(Refund.id == rid)).scalar_one())
        log.warning("refund %s failed: %s", out_refund_no, exc)
        raise UpstreamError("WeChat Pay did not take the refund; nothing was refunded") from None
    with transaction() as tx:
        refund = tx.session.execute(select(Refund).where(Refund.id == rid)).scalar_one()
        refund.refund_id = str(answer.get("refund_id", ""))[:64] or None
        if answer.get("status") == "SUCCESS" and refund.status == "processing":
            payment = tx.session.get(Payment, refund.payment_id)
            assert payment is not None
            ledger.lock_check(tx.session, payment.table_session_id)
            _settle_refund(tx, refund, refund.refund_id)
    return refund


def _refund_code(rid: int, channel: str, out_trade_no: str, out_refund_no: str, amount: int, total: int,
                 reason: str) -> Refund:
    """A payment code's refund goes back through its provider; settled once the provider takes it
    (a WeChat refund notify arriving afterwards finds it settled)."""

    taken = code_provider(channel).refund(out_trade_no, out_refund_no, amount, total, reason)
    with transaction() as tx:
        refund = tx.session.execute(select(Refund).where(Refund.id == rid)).scalar_one()
        if not taken:
            _fail_refund(tx, refund)
        else:
            payment = tx.session.get(Payment, refund.payment_id)
            assert payment is not None
            ledger.lock_check(tx.session, payment.table_session_id)
            refund = tx.session.execute(select(Refund).where(Refund.id == rid).with_for_update()
                                        .execution_options(populate_existing=True)).scalar_one()
            if refund.status == "processing":
                _settle_refund(tx, refund, None)
    if not taken:
        log.warning("refund %s not taken by %s", out_refund_no, channel)
        raise UpstreamError("the payment provider did not take the refund; nothing was refunded")
    return refund


def _by_key(tx: Tx, store_id: int, client_key: str) -> Refund | None:
    return tx.session.execute(
        select(Refund).where(Refund.store_id == store_id, Refund.client_key == client_key)
    ).scalar_one_or_none()


def handle_refund_notify(headers: Any, body: str) -> None:
    """Verify, decrypt and settle a refund notify. Raises NotifyRejected."""
    resource = pay_client().parse_notify(headers, body)
    out_refund_no = str(resource.get("out_refund_no", ""))[:64]
    with transaction() as tx:
        refund = tx.session.execute(select(Refund).where(Refund.out_refund_no == out_refund_no)).scalar_one_or_none()
        if refund is None and _given_back_after_reverse(tx, out_refund_no, resource):
            return
        payment = None if refund is None else tx.session.get(Payment, refund.payment_id)
        raw = resource.get("amount")
        amount: dict[str, Any] = raw if isinstance(raw, dict) else {}
        matches = (refund is not None and payment is not None and resource.get("out_trade_no") == payment.out_trade_no
                   and amount.get("refund") == refund.amount
                   and resource.get("mchid") == current_app.config["WECHATPAY_MCHID"])
        if not matches or refund is None or payment is None:
            record_anomaly(tx, None if payment is None else payment.store_id, out_refund_no,
                           "refund notify does not match",
                           {"trade_state": resource.get("refund_status"), "amount": {"total": amount.get("refund")},
                            "mchid": resource.get("mchid"), "transaction_id": resource.get("refund_id")})
            return
        ledger.lock_check(tx.session, payment.table_session_id)  # lock order: check, then refund
        refund = tx.session.execute(
            select(Refund).where(Refund.id == refund.id).with_for_update().execution_options(populate_existing=True)
        ).scalar_one()
        if refund.status != "processing":
            return  # already settled: WeChat repeats itself
        if resource.get("refund_status") == "SUCCESS":
            _settle_refund(tx, refund, str(resource.get("refund_id", ""))[:64])
        elif resource.get("refund_status") in ("CLOSED", "ABNORMAL"):
            _fail_refund(tx, refund)


def _given_back_after_reverse(tx: Tx, out_refund_no: str, resource: dict[str, Any]) -> bool:
    """The notify of money a payment code took after we gave it up, given back by
    ``services.codepay_follow`` (``RV<out_trade_no>``, no Refund row: the payment was never
    credited); its anomaly was recorded when it was sent."""
    out_trade_no = str(resource.get("out_trade_no", ""))[:32]
    if out_refund_no != f"RV{out_trade_no}"[:64]:
        return False
    return tx.session.execute(select(Payment.id).where(
        Payment.out_trade_no == out_trade_no, Payment.status == "failed", Payment.reversal == "refunded")
    ).first() is not None


def _settle_refund(tx: Tx, refund: Refund, refund_id: str | None) -> None:
    """Call with the check locked."""
    refund.status, refund.done_at = "success", utcnow()
    refund.refund_id = refund_id or refund.refund_id
    payment = tx.session.get(Payment, refund.payment_id)
    assert payment is not None
    check = ledger.lock_check(tx.session, payment.table_session_id)
    assert check is not None
    check.paid -= refund.amount
    money = ledger.ledger(tx.session, check)
    tx.emit(Outgoing("table", "check.updated", {"session": {"id": check.id, "total": money.total, "paid": check.paid,
                                                            "due": money.due}}, check.store_id,
                     table_id=check.table_id))
    if refund.overpayment:
        return  # money the check never owed went back: what it owed stays paid
    settled = sum(r.amount for r in tx.session.execute(
        select(Refund).where(Refund.payment_id == payment.id, Refund.status == "success",
                             Refund.overpayment.is_(False))).scalars())
    kept = payment.amount - _overpaid(tx, payment.id)
    status = "refunded" if settled >= kept else "partially_refunded"
    query = select(Order).where(Order.table_session_id == check.id, Order.payment_status.in_(
        ("paid", "partially_refunded")))
    if payment.order_id is not None:
        query = query.where(Order.id == payment.order_id)
    for order in tx.session.execute(query).scalars():
        order.payment_status = status
        record_order_update(tx, order)


def _fail_refund(tx: Tx, refund: Refund) -> None:
    """The refund did not happen: free the reserved amount."""
    refund.status, refund.done_at = "failed", utcnow()
    tx.session.execute(
        update(Payment).where(Payment.id == refund.payment_id).values(refunded=Payment.refunded - refund.amount)
        .execution_options(synchronize_session=False)
    )


# -- credits beyond what a check owed ----------------------------------------------------------
def record_anomaly(tx: Tx, store_id: int | None, out_trade_no: str, reason: str, txn: dict[str, Any],
                   payment_id: int | None = None, amount: int | None = None) -> None:
    raw = txn.get("amount")
    money: dict[str, Any] = raw if isinstance(raw, dict) else {}
    details = {"trade_state": txn.get("trade_state"), "total": money.get("total"), "mchid": txn.get("mchid"),
               "appid": txn.get("appid"), "transaction_id": txn.get("transaction_id")}
    tx.session.add(PaymentAnomaly(store_id=store_id, out_trade_no=out_trade_no, reason=reason, details=details,
                                  payment_id=payment_id, amount=amount))
    log.warning("payment anomaly for %s: %s", out_trade_no, reason)


def _overpaid(tx: Tx, payment_id: int) -> int:
    total = tx.session.execute(select(func.coalesce(func.sum(PaymentAnomaly.amount), 0)).where(
        PaymentAnomaly.payment_id == payment_id)).scalar_one()
    return int(total or 0)


def refund_overpayment(payment_id: int) -> Refund | None:
    """Give back, through the payment's own channel, what its credit took beyond what the check
    owed and is not already on its way back. Safe to call again (the key is per attempt); a
    refund WeChat does not take is left for the reconcile cron. None when nothing is left."""
    with transaction() as tx:
        payment = tx.session.get(Payment, payment_id)
        if payment is None:
            return None
        owed_back = _overpaid(tx, payment_id)
        refunds = list(tx.session.execute(select(Refund).where(
            Refund.payment_id == payment_id, Refund.overpayment.is_(True))).scalars())
        left = owed_back - sum(r.amount for r in refunds if r.status != "failed")
        left = min(left, payment.amount - payment.refunded)  # a cashier may have refunded it already
        store_id, attempt = payment.store_id, sum(1 for r in refunds if r.status == "failed")
    if left <= 0:
        return None
    try:
        return _refund(store_id, None, payment_id, left, OVERPAID_REASON, f"overpaid-{payment_id}-{attempt}",
                       overpayment=True)
    except DomainError as exc:  # WeChat failing, or a cashier refunded it meanwhile: the cron looks again
        log.warning("automatic refund of overpaid payment %s not taken: %s", payment_id, exc.message)
        return None


def retry_overpayment_refunds() -> int:
    """For the reconcile cron: refunds of overpaid credits that WeChat did not take. Returns how
    many were sent again."""
    with reading() as db:
        pending = db.execute(
            select(PaymentAnomaly.payment_id).where(PaymentAnomaly.payment_id.is_not(None),
                                                    PaymentAnomaly.amount > 0)
            .where(~select(Refund.id).where(Refund.payment_id == PaymentAnomaly.payment_id,
                                            Refund.overpayment.is_(True), Refund.status != "failed")
                   .correlate(PaymentAnomaly).exists())
        ).scalars().all()
    return sum(refund_overpayment(pid) is not None for pid in pending if pid is not None)


def list_anomalies(store_id: int, limit: int = 100) -> list[dict[str, Any]]:
    """The store's payment anomalies, newest first: money that moved other than as we asked, with
    where its automatic refund stands (``refund_status`` None when there is none)."""
    with reading() as db:
        return _anomaly_rows(db, store_id, limit)


def _anomaly_rows(db: Session, store_id: int, limit: int) -> list[dict[str, Any]]:
    rows = db.execute(
        select(PaymentAnomaly, Payment, Table.code).outerjoin(Payment, Payment.id == PaymentAnomaly.payment_id)
        .outerjoin(TableSession, TableSession.id == Payment.table_session_id)
        .outerjoin(Table, Table.id == TableSession.table_id)
        .where(PaymentAnomaly.store_id == store_id).order_by(PaymentAnomaly.id.desc()).limit(limit)
    ).all()
    out = []
    for anomaly, payment, table_code in rows:
        status = None
        if payment is not None:
            latest = db.execute(select(Refund.status).where(
                Refund.payment_id == payment.id, Refund.overpayment.is_(True)).order_by(Refund.id.desc())).first()
            status = None if latest is None else latest[0]
        out.append({"id": anomaly.id, "out_trade_no": anomaly.out_trade_no, "reason": anomaly.reason,
                    "amount": anomaly.amount, "payment_id": anomaly.payment_id, "table_code": table_code,
                    "table_session_id": None if payment is None else payment.table_session_id,
                    "refund_status": status, "created_at": anomaly.created_at})
    return out
