"""Payment codes (付款码): the cashier scans the diner's WeChat or Alipay code and charges it.

``take_code_payment`` creates the payment under the check lock for at most what is free (it is in
flight, ``paying``, from that moment: docs/payments.md), then calls the provider with no
transaction open, with the payment's own ``out_trade_no`` (one per attempt; repeated, never
replaced, when the call may have reached the provider). What the provider answers decides only
what happens next: a code refused is ``failed`` at once; anything else is followed by *queries*
(``services.codepay_follow``), and only a verified query answer whose amount, merchant and app
match credits the payment, exactly once. ``GET /api/v1/payments/{id}`` follows a ``paying`` one.

The scope in flight is the code itself (``code:<hash>``), not the check: the same code cannot be
charged twice at once, and a diner's JSAPI payment on the same check never replaces a code
payment (nor the other way round).
"""
from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlalchemy import select

from domain.codepay import channel_of
from domain.errors import InvalidState, NotFound, ValidationFailed
from domain.money import format_fen
from domain.payment_state import new_out_trade_no
from models import Payment, Store, utcnow
from services import codepay_follow, ledger, split_pay
from services.context import setting
from services.pay_client import code_provider
from services.uow import Tx, reading, transaction

CODE_CHANNELS = ("wechat_code", "alipay_code")


def code_scope(auth_code: str) -> str:
    """The flight key of a code being charged: one payment in flight per code."""
    return "code:" + hashlib.sha256(auth_code.encode()).hexdigest()[:32]


def take_code_payment(store_id: int, staff_id: int, check_id: int, client_key: str, auth_code: str,
                      amount: int | None = None, order_item_ids: list[int] | None = None) -> Payment:
    """Charge a scanned payment code for a check (all that is free by default, ``amount``, or
    the lines ``order_item_ids``). Idempotent on ``client_key``: the same key is the same payment,
    as it stands now. Returns it ``paid``, ``paying`` (the payer confirms on the phone; follow it)
    or ``failed``. Raises ValidationFailed (not a payment code), Unavailable (that provider is
    not set up), NotFound, InvalidState (nothing due, more than is due or free, the code already
    being charged)."""
    channel = channel_of(auth_code)
    if channel is None:
        raise ValidationFailed("this is not a WeChat or Alipay payment code",
                               {"auth_code": ["WeChat: 18 digits starting 10-15; Alipay: 16-24 digits starting 25-30"]})
    provider = code_provider(channel)  # before anything is created: an unknown provider changes nothing
    payment, fresh, description = _claim(store_id, staff_id, check_id, client_key, auth_code, channel, amount,
                                         order_item_ids)
    if not fresh:
        return payment
    answer = provider.pay(payment.out_trade_no, auth_code, payment.amount, description)
    if answer.state == "unknown" and channel == "wechat_code":
        # It may have reached WeChat: the same trade again (WeChat's advice), never a new one.
        # Alipay's rule for an unknown pay is to query, then cancel: the pollers do that.
        answer = provider.pay(payment.out_trade_no, auth_code, payment.amount, description)
    codepay_follow.after_pay(payment.id, answer)
    return _reread(payment.id)


def _claim(store_id: int, staff_id: int, check_id: int, client_key: str, auth_code: str, channel: str,
           amount: int | None, order_item_ids: list[int] | None) -> tuple[Payment, bool, str]:
    with transaction() as tx:
        found = _by_key(tx, store_id, client_key)
        if found is not None:
            return found, False, ""
        check = ledger.lock_check(tx.session, check_id, store_id)
        if check is None:
            raise NotFound("no such check")
        found = _by_key(tx, store_id, client_key)  # again, under the lock: a racing retry is done
        if found is not None:
            return found, False, ""
        scope = code_scope(auth_code)
        if tx.session.execute(select(Payment.id).where(Payment.flight_key == scope)).first() is not None:
            raise InvalidState("this payment code is already being charged")
        money = ledger.ledger(tx.session, check)
        if check.status != "open" or money.due <= 0:
            raise InvalidState("nothing is due on this check")
        if order_item_ids:
            amount = split_pay.lines_amount(tx.session, check, order_item_ids, amount, money.free)
        if amount is not None and amount > money.due:
            raise InvalidState("more than is due: at most {due}", {"amount": [f"at most {format_fen(money.due)}"]},
                               due=format_fen(money.due))
        amount = money.free if amount is None else amount
        if money.free <= 0 or amount > money.free:
            raise InvalidState("a payment of {amount} is in progress: wait for it, or pay what is left",
                               {"amount": [f"at most {format_fen(money.free)}"]}, amount=format_fen(money.in_flight))
        store = tx.session.get(Store, store_id)
        assert store is not None
        payment = Payment(store_id=store_id, table_session_id=check.id, staff_id=staff_id, client_key=client_key,
                          out_trade_no=new_out_trade_no(store_id, utcnow()), amount=amount, channel=channel,
                          status="paying", flight_key=scope, polls=0,
                          # the pollers leave it alone while this request charges it
                          next_poll_at=utcnow() + timedelta(seconds=float(setting("CODEPAY_POLL_SECONDS"))))
        tx.session.add(payment)
        tx.session.flush()
        if order_item_ids:
            split_pay.claim_lines(tx.session, payment, order_item_ids)
        tx.note("payment", channel=channel, status="paying")
        return payment, True, f"{store.name[:100]}-点餐"


def _by_key(tx: Tx, store_id: int, client_key: str) -> Payment | None:
    return tx.session.execute(
        select(Payment).where(Payment.store_id == store_id, Payment.client_key == client_key)
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()


def _reread(payment_id: int) -> Payment:
    with reading() as db:
        return db.execute(select(Payment).where(Payment.id == payment_id)
                               .execution_options(populate_existing=True)).scalar_one()


def follow_payment(store_id: int, payment_id: int) -> Payment:
    """A payment as it stands; a payment code still ``paying`` (or being reversed) is asked
    about first when its next poll is due (at most one query per poll interval, whoever asks)."""
    with reading() as db:
        payment = db.execute(select(Payment).where(Payment.id == payment_id, Payment.store_id == store_id)
                                  ).scalar_one_or_none()
    if payment is None:
        raise NotFound("no such payment")
    if payment.channel in CODE_CHANNELS and (payment.status == "paying" or payment.reversal == "pending"):
        codepay_follow.advance(payment.id)
        return _reread(payment.id)
    return payment


def cancel_code_payment(store_id: int, staff_id: int, payment_id: int) -> Payment:
    """The cashier stops a payment code still ``paying`` (the payer gave up): it fails here first,
    then the trade is reversed (retried by the pollers while refused). Raises InvalidState when it
    was paid meanwhile (refund it instead)."""
    if _reread(payment_id).store_id != store_id:
        raise NotFound("no such payment")
    if codepay_follow.cancel(payment_id, staff_id):
        codepay_follow.reverse_now(payment_id)
    payment = _reread(payment_id)
    if payment.status == "paid":
        raise InvalidState("this payment is paid: refund it instead")
    return payment


def due_for_poll(limit: int = 50) -> list[int]:
    """Payment codes whose next poll is due: paying, or a reversal still to make."""
    now = utcnow()
    with reading() as db:
        ids = db.execute(
            select(Payment.id).where(Payment.channel.in_(CODE_CHANNELS),
                                     (Payment.status == "paying") | (Payment.reversal == "pending"),
                                     (Payment.next_poll_at.is_(None)) | (Payment.next_poll_at <= now))
            .order_by(Payment.id).limit(limit)
        ).scalars().all()
    return list(ids)


def poll_once(limit: int = 50) -> int:
    """One pass of the poller: advance every payment code whose poll is due. Returns how many."""
    ids = due_for_poll(limit)
    for pid in ids:
        codepay_follow.advance(pid)
    return len(ids)

