"""Paying: WeChat Pay JSAPI for diners, cash or other for the cashier; crediting exactly once.

A payment is marked paid only by a verified notify or a verified query answer whose out_trade_no,
merchant, app, amount and state all match ours, and only by the one transaction that moves it
to ``paid`` (a conditional UPDATE), however many notifies race. WeChat is never called while a
database transaction is open.
"""
from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select, update

from domain import order_state
from domain.errors import InvalidState, NotFound, UpstreamError, ValidationFailed
from domain.payment_state import CREDITABLE, Expected, mismatch, new_out_trade_no
from models import Diner, Order, Payment, PaymentAnomaly, Refund, Store, TableSession, db, utcnow
from services import audit, coupons
from services.context import cipher, provided, setting
from services.kitchen import record_order_update, send_to_kitchen
from services.orders import diner_in_session
from services.uow import Outgoing, Tx, transaction
from wechat.pay import NotifyRejected, PayConfig, PayError, WechatPay

log = logging.getLogger(__name__)
PAYING_TIMEOUT = timedelta(minutes=15)  # an unpaid prepay is closed after this


def pay_client() -> WechatPay:
    return provided("diancan.pay", WechatPay, _make_pay_client)


def _make_pay_client() -> WechatPay:
    cfg = current_app.config
    with open(cfg["WECHATPAY_PRIVATE_KEY_FILE"], "rb") as fh:
        merchant_key = fh.read()
    with open(cfg["WECHATPAY_PUBLIC_KEY_FILE"], "rb") as fh:
        wechat_key = fh.read()
    return WechatPay(PayConfig(
        appid=cfg["WECHAT_APPID"], mchid=cfg["WECHATPAY_MCHID"], api_base=cfg["WECHATPAY_API_BASE"],
        merchant_key_pem=merchant_key, merchant_serial=cfg["WECHATPAY_CERT_SERIAL"],
        apiv3_key=cfg["WECHATPAY_APIV3_KEY"], wechat_public_keys={cfg["WECHATPAY_PUBLIC_KEY_ID"]: wechat_key}))


@dataclass
class Started:
    payment: Payment
    request_payment: dict[str, str]


def start_wechat_payment(diner_id: int, client_key: str, order_id: int | None = None,
                         table_session_id: int | None = None, coupon_id: int | None = None) -> Started:
    """Pay an order (pay first) or what is due on a check (pay later) with WeChat Pay JSAPI.

    Idempotent on ``client_key``: a retry returns the same payment and a fresh signature for
    the same prepay. Raises NotFound (not this diner's), InvalidState (nothing to pay, wrong
    mode), UpstreamError (WeChat Pay failing); with a coupon also what ``coupons.apply_coupon`` raises.
    """
    with transaction() as tx:
        payment = tx.session.execute(
            select(Payment).where(Payment.client_key == client_key, Payment.diner_id == diner_id)
        ).scalar_one_or_none()
        if payment is None:
            payment = _new_payment(tx, diner_id, client_key, order_id, table_session_id)
            if coupon_id is not None:  # priced here, once: a retry with the same key keeps this price
                coupons.apply_coupon(tx, payment, coupon_id, diner_id)
        if payment.status == "paid":
            raise InvalidState("this payment is already paid")
        openid = cipher().decrypt(tx.session.get(Diner, diner_id).openid_enc, "openid")  # type: ignore[union-attr]
        pid, out_trade_no, amount, prepay_id = payment.id, payment.out_trade_no, payment.amount, payment.prepay_id
    if prepay_id is None:
        try:
            prepay_id = pay_client().jsapi_prepay(out_trade_no, amount, "点餐", openid,
                                                  f"{setting('PUBLIC_BASE_URL')}/api/v1/wechat/pay/notify")
        except PayError as exc:
            log.warning("prepay for %s failed: %s", out_trade_no, exc)
            raise UpstreamError("WeChat Pay is not answering; please try again") from None
        with transaction() as tx:
            payment = tx.session.execute(select(Payment).where(Payment.id == pid)).scalar_one()
            if payment.status == "created":  # a notify may already have made it paid
                payment.status = "paying"
                _mark_orders(tx, payment, "paying")
            payment.prepay_id = prepay_id
    return Started(payment=payment, request_payment=pay_client().request_payment(prepay_id))


def _new_payment(tx: Tx, diner_id: int, client_key: str, order_id: int | None,
                 table_session_id: int | None) -> Payment:
    if order_id is not None:
        order = tx.session.execute(select(Order).where(Order.id == order_id).with_for_update()).scalar_one_or_none()
        if order is None or not diner_in_session(diner_id, order.table_session_id, tx.session):
            raise NotFound("no such order")
        store = tx.session.get(Store, order.store_id)
        if store is None or store.pay_mode != "pay_first":
            raise InvalidState("this store is paid at the end: pay the table's check")
        if order.payment_status == "paid" or order.status == "cancelled":
            raise InvalidState("nothing to pay on this order")
        store_id, check_id, amount = order.store_id, order.table_session_id, order.total
    else:
        check = tx.session.get(TableSession, table_session_id)
        if check is None or not diner_in_session(diner_id, check.id, tx.session):
            raise NotFound("no such check")
        if check.status != "open" or check.due <= 0:
            raise InvalidState("nothing is due on this check")
        store = tx.session.get(Store, check.store_id)
        if store is None or store.pay_mode != "pay_later":
            raise InvalidState("this store is paid before cooking: pay each order")
        store_id, check_id, amount = check.store_id, check.id, check.due
    payment = Payment(store_id=store_id, table_session_id=check_id, order_id=order_id, diner_id=diner_id,
                      client_key=client_key, out_trade_no=new_out_trade_no(store_id, utcnow()), amount=amount,
                      channel="wechat_jsapi", status="created")
    tx.session.add(payment)
    tx.session.flush()
    return payment


def record_offline_payment(store_id: int, staff_id: int, table_session_id: int, client_key: str, channel: str,
                           amount: int | None = None) -> Payment:
    """A cashier takes cash (or another way) for a check: credited at once. Idempotent on
    ``client_key``. Raises NotFound, InvalidState (closed or nothing due), ValidationFailed
    (more than is due)."""
    with transaction() as tx:
        found = tx.session.execute(
            select(Payment).where(Payment.store_id == store_id, Payment.client_key == client_key)
        ).scalar_one_or_none()
        if found is not None:
            return found
        check = tx.session.execute(
            select(TableSession).where(TableSession.id == table_session_id, TableSession.store_id == store_id)
            .with_for_update()
        ).scalar_one_or_none()
        if check is None:
            raise NotFound("no such check")
        found = tx.session.execute(  # again, now that the check is locked: a racing retry is done
            select(Payment).where(Payment.store_id == store_id, Payment.client_key == client_key)
        ).scalar_one_or_none()
        if found is not None:
            return found
        if check.status != "open" or check.due <= 0:
            raise InvalidState("nothing is due on this check")
        amount = check.due if amount is None else amount
        if not 0 < amount <= check.due:
            raise ValidationFailed("amount must be between 1 and what is due", {"amount": [f"1 to {check.due}"]})
        payment = Payment(store_id=store_id, table_session_id=check.id, staff_id=staff_id, client_key=client_key,
                          out_trade_no=new_out_trade_no(store_id, utcnow()), amount=amount, channel=channel,
                          status="paid", paid_at=utcnow())
        tx.session.add(payment)
        tx.session.flush()
        _apply_credit(tx, payment)
        audit.record(tx, store_id, staff_id, f"payment.{channel}", "payment", payment.id, None,
                     {"amount": amount, "table_session_id": check.id})
    return payment


# -- crediting ------------------------------------------------------------------------------
def handle_pay_notify(headers: Any, body: str) -> None:
    """Verify, decrypt and credit a payment notify. Raises NotifyRejected (forged, tampered,
    stale, unreadable): WeChat should retry, nothing is credited."""
    credit_transaction(pay_client().parse_notify(headers, body))


def credit_transaction(txn: dict[str, Any]) -> bool:
    """Credit our payment from a verified transaction, once. True if this call credited it."""
    out_trade_no = str(txn.get("out_trade_no", ""))[:64]
    cfg = current_app.config
    with transaction() as tx:
        payment = tx.session.execute(
            select(Payment).where(Payment.out_trade_no == out_trade_no)
        ).scalar_one_or_none()
        if payment is None:
            _anomaly(tx, None, out_trade_no, "unknown out_trade_no", txn)
            return False
        problem = mismatch(txn, Expected(payment.out_trade_no, payment.amount, cfg["WECHATPAY_MCHID"],
                                         cfg["WECHAT_APPID"]))
        if problem is not None:
            if txn.get("trade_state") in ("SUCCESS", "REFUND"):  # money moved, but not as we asked
                _anomaly(tx, payment.store_id, out_trade_no, problem, txn)
            return False
        # The one transaction that moves the row to paid credits it; every racer after it sees 0 rows.
        moved = tx.session.execute(
            update(Payment).where(Payment.id == payment.id, Payment.status.in_(CREDITABLE))
            .values(status="paid", paid_at=utcnow(), transaction_id=str(txn.get("transaction_id", ""))[:64])
            .execution_options(synchronize_session=False)
        ).rowcount  # type: ignore[attr-defined]
        if moved != 1:
            return False
        tx.session.refresh(payment)
        _apply_credit(tx, payment)
    return True


def _apply_credit(tx: Tx, payment: Payment) -> None:
    check = tx.session.execute(
        select(TableSession).where(TableSession.id == payment.table_session_id).with_for_update()
    ).scalar_one()
    coupons.coupon_credited(tx.session, payment, check)
    check.paid += payment.amount
    if payment.order_id is not None or check.due == 0:
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
    tx.emit(Outgoing("table", "check.updated", {"session": {"id": check.id, "total": check.total, "paid": check.paid,
                                                            "due": check.due}}, check.store_id,
                     table_id=check.table_id))


def _mark_orders(tx: Tx, payment: Payment, status: str) -> None:
    query = select(Order).where(Order.table_session_id == payment.table_session_id, Order.status != "cancelled",
                                Order.payment_status != "paid")
    if payment.order_id is not None:
        query = query.where(Order.id == payment.order_id)
    for order in tx.session.execute(query).scalars():
        order.payment_status = status
        record_order_update(tx, order)


def _anomaly(tx: Tx, store_id: int | None, out_trade_no: str, reason: str, txn: dict[str, Any]) -> None:
    raw = txn.get("amount")
    amount: dict[str, Any] = raw if isinstance(raw, dict) else {}
    details = {"trade_state": txn.get("trade_state"), "total": amount.get("total"), "mchid": txn.get("mchid"),
               "appid": txn.get("appid"), "transaction_id": txn.get("transaction_id")}
    tx.session.add(PaymentAnomaly(store_id=store_id, out_trade_no=out_trade_no, reason=reason, details=details))
    log.warning("payment anomaly for %s: %s", out_trade_no, reason)


# -- nothing left hanging -------------------------------------------------------------------
def reconcile(older_than: timedelta = timedelta(minutes=2),
              closing_after: timedelta = PAYING_TIMEOUT) -> dict[str, int]:
    """Ask WeChat about payments still paying after a while: credit the paid ones (through the
    same checks as a notify), close those past the timeout. Returns counts."""
    now = utcnow()
    rows = db.session.execute(
        select(Payment.id, Payment.out_trade_no, Payment.created_at)
        .where(Payment.channel == "wechat_jsapi", Payment.status.in_(("created", "paying")),
               Payment.created_at < now - older_than)
    ).all()
    db.session.commit()
    counts = {"credited": 0, "closed": 0, "waiting": 0}
    for pid, out_trade_no, created_at in rows:
        try:
            txn = pay_client().query(out_trade_no)
        except PayError as exc:
            if exc.code != "ORDER_NOT_EXIST":
                counts["waiting"] += 1
                continue
            txn = {"trade_state": "NOTPAY"}
        if txn.get("trade_state") == "SUCCESS":
            counts["credited"] += credit_transaction(txn)
        elif created_at < now - closing_after:
            try:
                pay_client().close(out_trade_no)
            except PayError as exc:
                if exc.code == "ORDERPAID":  # paid meanwhile: the next run credits it
                    continue
            with transaction() as tx:
                moved = tx.session.execute(
                    update(Payment).where(Payment.id == pid, Payment.status.in_(("created", "paying")))
                    .values(status="closed").execution_options(synchronize_session=False)
                ).rowcount  # type: ignore[attr-defined]
                if moved:
                    coupons.coupon_released(tx.session, pid)
                    _mark_orders(tx, tx.session.get(Payment, pid), "unpaid")  # type: ignore[arg-type]
            counts["closed"] += 1
        else:
            counts["waiting"] += 1
    return counts


# -- refunds --------------------------------------------------------------------------------
def refund_payment(store_id: int, staff_id: int, payment_id: int, amount: int, reason: str,
                   client_key: str) -> Refund:
    """Give money back on a paid payment, fully or in part, never more than was paid.

    WeChat payments are refunded through WeChat Pay (the refund notify settles them); cash and
    other are settled at once. Idempotent on ``client_key``. Raises NotFound, InvalidState (not
    paid), ValidationFailed (more than is left to refund), UpstreamError (WeChat Pay failing).
    """
    with transaction() as tx:
        found = tx.session.execute(
            select(Refund).where(Refund.store_id == store_id, Refund.client_key == client_key)
        ).scalar_one_or_none()
        if found is not None:
            return found
        payment = tx.session.execute(
            select(Payment).where(Payment.id == payment_id, Payment.store_id == store_id).with_for_update()
        ).scalar_one_or_none()
        if payment is None:
            raise NotFound("no such payment")
        found = tx.session.execute(  # again, now that the payment is locked: a racing retry is done
            select(Refund).where(Refund.store_id == store_id, Refund.client_key == client_key)
        ).scalar_one_or_none()
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
                        amount=amount, reason=reason[:80], status="processing")
        tx.session.add(refund)
        tx.session.flush()
        audit.record(tx, store_id, staff_id, "payment.refund", "payment", payment.id,
                     {"refunded": payment.refunded}, {"refunded": payment.refunded + amount, "amount": amount,
                                                      "reason": refund.reason, "out_refund_no": refund.out_refund_no})
        if payment.channel != "wechat_jsapi":
            _settle_refund(tx, refund, None)
            return refund
        rid, out_trade_no, out_refund_no, total = refund.id, payment.out_trade_no, refund.out_refund_no, payment.amount
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
            _settle_refund(tx, refund, refund.refund_id)
    return refund


def handle_refund_notify(headers: Any, body: str) -> None:
    """Verify, decrypt and settle a refund notify. Raises NotifyRejected."""
    resource = pay_client().parse_notify(headers, body)
    out_refund_no = str(resource.get("out_refund_no", ""))[:64]
    with transaction() as tx:
        refund = tx.session.execute(
            select(Refund).where(Refund.out_refund_no == out_refund_no).with_for_update()
        ).scalar_one_or_none()
        payment = None if refund is None else tx.session.get(Payment, refund.payment_id)
        raw = resource.get("amount")
        amount: dict[str, Any] = raw if isinstance(raw, dict) else {}
        matches = (refund is not None and payment is not None and resource.get("out_trade_no") == payment.out_trade_no
                   and amount.get("refund") == refund.amount
                   and resource.get("mchid") == current_app.config["WECHATPAY_MCHID"])
        if not matches or refund is None or payment is None:
            _anomaly(tx, None if payment is None else payment.store_id, out_refund_no, "refund notify does not match",
                     {"trade_state": resource.get("refund_status"), "amount": {"total": amount.get("refund")},
                      "mchid": resource.get("mchid"), "transaction_id": resource.get("refund_id")})
            return
        if refund.status != "processing":
            return  # already settled: WeChat repeats itself
        if resource.get("refund_status") == "SUCCESS":
            _settle_refund(tx, refund, str(resource.get("refund_id", ""))[:64])
        elif resource.get("refund_status") in ("CLOSED", "ABNORMAL"):
            _fail_refund(tx, refund)


def _settle_refund(tx: Tx, refund: Refund, refund_id: str | None) -> None:
    refund.status, refund.done_at = "success", utcnow()
    refund.refund_id = refund_id or refund.refund_id
    payment = tx.session.get(Payment, refund.payment_id)
    assert payment is not None
    check = tx.session.execute(
        select(TableSession).where(TableSession.id == payment.table_session_id).with_for_update()
    ).scalar_one()
    check.paid -= refund.amount
    settled = sum(r.amount for r in tx.session.execute(
        select(Refund).where(Refund.payment_id == payment.id, Refund.status == "success")).scalars())
    status = "refunded" if settled >= payment.amount else "partially_refunded"
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


__all__ = ["NotifyRejected", "Started", "credit_transaction", "handle_pay_notify", "handle_refund_notify",
           "reconcile", "record_offline_payment", "refund_payment", "start_wechat_payment"]
