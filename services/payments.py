"""Paying: WeChat Pay JSAPI for diners, cash or other for the cashier; nothing left hanging.

Crediting exactly once lives in ``services/pay_credit.py`` (its public names are re-exported
here). WeChat is never called while a database transaction is open.

A check never takes more than it owes (docs/payments.md): one WeChat payment in flight per check
(pay later) or order (pay first) — a newer attempt closes the older one at WeChat first; no
payment is created for more than is neither paid nor in flight; and a credit that overpays
anyway (the diner paid a sheet we had given up on) is kept as an anomaly and refunded.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from domain.checkout import cash_change
from domain.errors import Conflict, InvalidState, NotFound, UpstreamError, ValidationFailed
from domain.money import format_fen
from domain.payment_state import IN_FLIGHT, flight_key, new_out_trade_no
from models import Diner, Order, Payment, Store, TableSession, utcnow
from services import audit, coupons, ledger, split_pay
from services.context import cipher, setting
from services.orders import diner_in_check
from services.pay_client import pay_client
from services.pay_credit import apply_credit, credit_transaction, handle_pay_notify, mark_orders
from services.refunds import handle_refund_notify, record_anomaly, refund_payment
from services.uow import Tx, reading, transaction
from wechat.pay import NotifyRejected, PayError

log = logging.getLogger(__name__)
PAYING_TIMEOUT = timedelta(minutes=15)  # an unpaid prepay is closed after this
SUPERSEDE_TRIES = 4  # diners tapping "pay" at once: the last tap wins, within a few rounds


@dataclass
class Started:
    payment: Payment
    request_payment: dict[str, str]


def start_wechat_payment(diner_id: int, client_key: str, order_id: int | None = None,
                         table_session_id: int | None = None, coupon_id: int | None = None) -> Started:
    """Pay an order (pay first) or what is due on a check (pay later) with WeChat Pay JSAPI.

    Idempotent on ``client_key``: a retry returns the same payment and a fresh signature for
    the same prepay. A new attempt on the same check or order (another diner, or a new key)
    first closes the one in flight at WeChat, so only the newest sheet can take money; if that
    one was paid meanwhile it is credited and this attempt pays only what is left. Raises
    NotFound (not this diner's), InvalidState (nothing to pay, wrong mode, replaced or already
    paid), Conflict (others keep starting payments on this check), UpstreamError (WeChat Pay);
    with ``coupon_id``, also what ``coupons.apply_coupon`` raises.
    """
    for _ in range(SUPERSEDE_TRIES):
        payment, rivals, openid = _claim(diner_id, client_key, order_id, table_session_id, coupon_id)
        if payment is not None:
            break
        for pid, out_trade_no in rivals:
            close_in_flight(pid, out_trade_no, give_up=False)
    else:
        raise Conflict("someone else at this table keeps starting a payment; try again in a moment")
    pid, out_trade_no, amount, prepay_id = payment.id, payment.out_trade_no, payment.amount, payment.prepay_id
    if prepay_id is None:
        try:
            prepay_id = pay_client().jsapi_prepay(out_trade_no, amount, "点餐", openid,
                                                  f"{setting('PUBLIC_BASE_URL')}/api/v1/wechat/pay/notify")
        except PayError as exc:
            log.warning("prepay for %s failed: %s", out_trade_no, exc)
            _release_unprepaid(pid, payment.table_session_id)
            raise UpstreamError("WeChat Pay is not answering; please try again") from None
        with transaction() as tx:
            ledger.lock_check(tx.session, payment.table_session_id)
            payment = _reread(tx, pid)
            if payment.status == "created":  # a notify may already have made it paid
                payment.status = "paying"
                mark_orders(tx, payment, "paying")
                tx.note("payment", channel="wechat_jsapi", status="paying")
            payment.prepay_id = prepay_id
            replaced = payment.status == "closed"
        if replaced:  # a newer attempt closed ours while WeChat was preparing it: close it there too
            _close_quietly(out_trade_no)
            raise InvalidState("another payment at this table took over; nothing was charged")
    return Started(payment=payment, request_payment=pay_client().request_payment(prepay_id))


def _release_unprepaid(payment_id: int, check_id: int) -> None:
    """A payment whose prepay failed holds nothing: nobody has a sheet to pay it with, so it
    must not keep the check's due from the cashier (a retry answers 409 and starts anew)."""
    with transaction() as tx:
        ledger.lock_check(tx.session, check_id)
        moved = tx.session.execute(
            update(Payment).where(Payment.id == payment_id, Payment.status == "created", Payment.prepay_id.is_(None))
            .values(status="closed", flight_key=None).execution_options(synchronize_session=False)
        ).rowcount  # type: ignore[attr-defined]
        if moved:
            coupons.coupon_released(tx.session, payment_id)


def _claim(diner_id: int, client_key: str, order_id: int | None, table_session_id: int | None,
           coupon_id: int | None = None) -> tuple[Payment | None, list[tuple[int, str]], str]:
    """Our payment for this key (found or made now), or the payments in flight in its scope
    that must be closed first."""
    with transaction() as tx:
        payment = _by_key(tx, diner_id, client_key)
        if payment is None:
            check_id, scope = _target(tx, diner_id, order_id, table_session_id)
            check = ledger.lock_check(tx.session, check_id)
            assert check is not None
            payment = _by_key(tx, diner_id, client_key)  # again, under the lock: a racing retry is done
            if payment is None:
                rivals = tx.session.execute(select(Payment.id, Payment.out_trade_no).where(
                    Payment.flight_key == scope, Payment.status.in_(IN_FLIGHT))).all()
                if rivals:
                    return None, [(r.id, r.out_trade_no) for r in rivals], ""
                payment = _new_payment(tx, check, diner_id, client_key, order_id, scope)
                if coupon_id is not None:  # priced here, once: a retry with the same key keeps this price
                    coupons.apply_coupon(tx, payment, coupon_id, diner_id)
        if payment.status == "paid":
            raise InvalidState("this payment is already paid")
        if payment.status == "closed":
            raise InvalidState("this payment was closed or replaced by a newer one; start again")
        openid = cipher().decrypt(tx.session.get(Diner, diner_id).openid_enc, "openid")  # type: ignore[union-attr]
    return payment, [], openid


def _by_key(tx: Tx, diner_id: int, client_key: str) -> Payment | None:
    return tx.session.execute(
        select(Payment).where(Payment.client_key == client_key, Payment.diner_id == diner_id)
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()


def _reread(tx: Tx, payment_id: int) -> Payment:
    return tx.session.execute(
        select(Payment).where(Payment.id == payment_id).with_for_update().execution_options(populate_existing=True)
    ).scalar_one()


def _target(tx: Tx, diner_id: int, order_id: int | None, table_session_id: int | None) -> tuple[int, str]:
    """The check to lock and the scope of the payment, once the diner may pay it."""
    if order_id is not None:
        order = tx.session.get(Order, order_id)
        if order is None or not diner_in_check(diner_id, order.table_session_id, tx.session):
            raise NotFound("no such order")
        return order.table_session_id, flight_key(order.table_session_id, order_id)
    check = tx.session.get(TableSession, table_session_id)
    if check is None or not diner_in_check(diner_id, check.id, tx.session):
        raise NotFound("no such check")
    return check.id, flight_key(check.id)


def _new_payment(tx: Tx, check: TableSession, diner_id: int, client_key: str, order_id: int | None,
                 scope: str) -> Payment:
    """Call with the check locked and nothing in flight in ``scope``."""
    store = tx.session.get(Store, check.store_id)
    assert store is not None
    money = ledger.ledger(tx.session, check)
    if order_id is not None:
        order = tx.session.execute(
            select(Order).where(Order.id == order_id).with_for_update().execution_options(populate_existing=True)
        ).scalar_one()
        if store.pay_mode != "pay_first":
            raise InvalidState("this store is paid at the end: pay the table's check")
        if order.payment_status == "paid" or order.status == "cancelled":
            raise InvalidState("nothing to pay on this order")
        amount = split_pay.order_amount(tx.session, check, order, money.free)  # discounts count
        if amount <= 0:
            raise InvalidState("nothing is due on this order; ask a member of staff")
    else:
        if check.status != "open" or money.free <= 0:
            raise InvalidState("nothing is due on this check")
        if store.pay_mode != "pay_later":
            raise InvalidState("this store is paid before cooking: pay each order")
        amount = money.free
    payment = Payment(store_id=check.store_id, table_session_id=check.id, order_id=order_id, diner_id=diner_id,
                      client_key=client_key, out_trade_no=new_out_trade_no(check.store_id, utcnow()), amount=amount,
                      channel="wechat_jsapi", status="created", flight_key=scope)
    tx.session.add(payment)
    tx.session.flush()
    return payment


def close_in_flight(payment_id: int, out_trade_no: str, give_up: bool, staff_id: int | None = None) -> str:
    """Close a WeChat payment in flight, here and then at WeChat: ``"closed"``, or ``"paid"``
    when WeChat says the diner had just paid it (then it is credited now, from WeChat's answer).

    Here first: a request still waiting for this payment's prepay then finds it closed and
    closes that prepay itself, so WeChat's "no such order" answer is safe. When WeChat does not
    answer, ``give_up`` leaves it closed (the cron after the timeout, a cashier): money that still
    arrives for it is credited and refunded as an overpayment if the check no longer owes it.
    Otherwise raises UpstreamError.
    """
    with transaction() as tx:
        payment = _close_here(tx, payment_id)
        if payment is not None and staff_id is not None:
            audit.record(tx, payment.store_id, staff_id, "payment.cancel", "payment", payment.id,
                         {"status": "paying"}, {"status": "closed", "amount": payment.amount})
    try:
        pay_client().close(out_trade_no)
    except PayError as exc:
        if exc.code == "ORDERPAID":
            try:
                credit_transaction(pay_client().query(out_trade_no))
            except PayError:
                if not give_up:
                    raise UpstreamError("WeChat Pay is not answering; please try again") from None
            return "paid"
        if exc.code != "ORDER_NOT_EXIST" and not give_up:
            log.warning("closing %s at WeChat failed: %s", out_trade_no, exc)
            raise UpstreamError("WeChat Pay is not answering; please try again") from None
    return "closed"


def _close_here(tx: Tx, payment_id: int) -> Payment | None:
    """Close a payment in flight in our books (check locked first): its orders unpaid again, its
    coupon back to the diner. None when it was no longer in flight."""
    check_id = tx.session.execute(select(Payment.table_session_id).where(Payment.id == payment_id)).scalar_one()
    ledger.lock_check(tx.session, check_id)
    moved = tx.session.execute(
        update(Payment).where(Payment.id == payment_id, Payment.status.in_(IN_FLIGHT))
        .values(status="closed", flight_key=None).execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    if not moved:
        return None
    payment = _reread(tx, payment_id)
    mark_orders(tx, payment, "unpaid")
    tx.note("payment", channel=payment.channel, status="closed")
    coupons.coupon_released(tx.session, payment_id)  # the diner keeps the coupon for another try
    return payment


def _refunded_elsewhere(payment_id: int, out_trade_no: str, txn: dict[str, Any]) -> int:
    """WeChat says the trade was paid and then refunded (``REFUND``) before its notify reached us:
    a refund made outside Diancan, on WeChat's merchant platform. The money went back, so the
    payment is never credited; it is closed here so the check can be paid again, and kept as an
    anomaly for the manager (a partial refund there leaves part of the money with the store)."""
    with transaction() as tx:
        payment = _close_here(tx, payment_id)
        if payment is None:
            return 0
        # WeChat may still retry the original SUCCESS notify: the failure keeps it from crediting.
        payment.failure = "REFUND"
        record_anomaly(tx, payment.store_id, out_trade_no,
                       "paid, then refunded outside Diancan before its notify arrived: not credited", txn,
                       payment_id=payment.id)
    return 1


def _close_quietly(out_trade_no: str) -> None:
    try:
        pay_client().close(out_trade_no)
    except PayError as exc:  # nobody holds its sheet; a late notify would be refunded anyway
        log.warning("closing replaced %s at WeChat failed: %s", out_trade_no, exc)


def cancel_wechat_payment(store_id: int, staff_id: int, payment_id: int) -> Payment:
    """A cashier stops a diner's WeChat payment still in flight (the diner walked to the till),
    so cash can be taken. Idempotent. Raises NotFound, InvalidState (it is paid, or the diner
    had just paid it: then it is credited)."""
    with reading() as db:
        payment = db.execute(
            select(Payment).where(Payment.id == payment_id, Payment.store_id == store_id)).scalar_one_or_none()
    if payment is None:
        raise NotFound("no such payment")
    if payment.channel in ("wechat_code", "alipay_code"):  # reversed, not closed (services/codepay.py)
        from services.codepay import cancel_code_payment

        return cancel_code_payment(store_id, staff_id, payment_id)
    if payment.status in IN_FLIGHT:
        if close_in_flight(payment.id, payment.out_trade_no, give_up=True, staff_id=staff_id) == "paid":
            raise InvalidState("the diner has just paid this payment")
    elif payment.status == "paid":
        raise InvalidState("this payment is paid: refund it instead")
    with reading() as db:
        found = db.execute(select(Payment).where(Payment.id == payment_id)
                                .execution_options(populate_existing=True)).scalar_one()
    return found


def record_offline_payment(store_id: int, staff_id: int, table_session_id: int, client_key: str, channel: str,
                           amount: int | None = None, tendered: int | None = None,
                           order_item_ids: list[int] | None = None) -> Payment:
    """A cashier takes cash (or another way) for a check: credited at once. Idempotent on
    ``client_key``. ``tendered``: the cash handed over (the change is kept with the payment);
    ``order_item_ids``: pay exactly those lines (a split by items). Raises NotFound,
    InvalidState (closed, nothing due, a WeChat payment in flight holds what is due, a line
    already paid), ValidationFailed (more than is free to pay, less cash than the amount)."""
    with transaction() as tx:
        found = _offline_by_key(tx, store_id, client_key)
        if found is not None:
            return found
        check = ledger.lock_check(tx.session, table_session_id, store_id)
        if check is None:
            raise NotFound("no such check")
        found = _offline_by_key(tx, store_id, client_key)  # again, under the lock: a racing retry is done
        if found is not None:
            return found
        money = ledger.ledger(tx.session, check)
        if check.status != "open" or money.due <= 0:
            raise InvalidState("nothing is due on this check")
        if money.free <= 0:
            raise InvalidState("a WeChat payment of {amount} is in progress on this check: wait for it, or cancel "
                               "it first", amount=format_fen(money.in_flight))
        if order_item_ids:
            amount = split_pay.lines_amount(tx.session, check, order_item_ids, amount, money.free)
        amount = money.free if amount is None else amount
        if not 0 < amount <= money.free:
            raise ValidationFailed("amount must be between 1 and what is due and not being paid",
                                   {"amount": [f"1 to {format_fen(money.free)}"]})
        change = cash_change(amount, tendered) if channel == "cash" else None
        payment = Payment(store_id=store_id, table_session_id=check.id, staff_id=staff_id, client_key=client_key,
                          out_trade_no=new_out_trade_no(store_id, utcnow()), amount=amount, channel=channel,
                          status="paid", paid_at=utcnow(), tendered=None if change is None else tendered,
                          change=change)
        tx.session.add(payment)
        tx.session.flush()
        if order_item_ids:
            split_pay.claim_lines(tx.session, payment, order_item_ids)
        tx.note("payment", channel=channel, status="paid")
        apply_credit(tx, payment)
        audit.record(tx, store_id, staff_id, f"payment.{channel}", "payment", payment.id, None,
                     {"amount": amount, "table_session_id": check.id})
    return payment


def _offline_by_key(tx: Tx, store_id: int, client_key: str) -> Payment | None:
    return tx.session.execute(
        select(Payment).where(Payment.store_id == store_id, Payment.client_key == client_key)
    ).scalar_one_or_none()


# -- nothing left hanging -------------------------------------------------------------------
def reconcile(older_than: timedelta = timedelta(minutes=2),
              closing_after: timedelta = PAYING_TIMEOUT) -> dict[str, int]:
    """Ask WeChat about payments still paying after a while: credit the paid ones (through the
    same checks as a notify), close those past the timeout, send again refunds of overpaid
    credits WeChat did not take. Returns counts."""
    from services.refunds import retry_overpayment_refunds

    now = utcnow()
    with reading() as db:
        rows = db.execute(
            select(Payment.id, Payment.out_trade_no, Payment.created_at)
            .where(Payment.channel == "wechat_jsapi", Payment.status.in_(IN_FLIGHT),
                   Payment.created_at < now - older_than)
        ).all()
    counts = {"credited": 0, "closed": 0, "waiting": 0, "refunded_elsewhere": 0}
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
        elif txn.get("trade_state") == "REFUND":
            counts["refunded_elsewhere"] += _refunded_elsewhere(pid, out_trade_no, txn)
        elif created_at < now - closing_after:
            counts["closed" if close_in_flight(pid, out_trade_no, give_up=True) == "closed" else "credited"] += 1
        else:
            counts["waiting"] += 1
    counts["refunds_retried"] = retry_overpayment_refunds()
    return counts


__all__ = ["NotifyRejected", "Started", "cancel_wechat_payment", "close_in_flight", "credit_transaction",
           "handle_pay_notify", "handle_refund_notify", "pay_client", "reconcile", "record_offline_payment",
           "refund_payment", "start_wechat_payment"]
