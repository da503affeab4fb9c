"""Following a payment code after it was charged: queries, crediting once, giving up, reversing.

- **Polls are leased.** ``advance`` first moves the payment's ``next_poll_at`` forward with a
  conditional UPDATE (``… WHERE next_poll_at <= now``): of every process's poller and every
  ``GET /api/v1/payments/{id}``, one asks the provider per interval; ``polls`` counts the asks.
- **Only a verified query credits.** A query answer credits when ``domain.codepay.creditable``
  holds (paid, our out_trade_no, amount, merchant and app): under the check lock, by the one
  conditional UPDATE ``paying → paid``; a racer finds 0 rows. A paid answer that does not match
  is an anomaly: the payment fails and the trade is reversed (which gives the money back).
- **Giving up.** Not paid within ``CODEPAY_GIVE_UP_SECONDS``: the payment fails here first (the
  check is free to be paid another way, never credited from this trade), ``reversal`` is
  ``pending``, and the trade is reversed at the provider, again on each poll while the provider
  refuses because the payer is still entering the password. After the reverse, a query decides
  whether it is over ("query again before believing it"): if the provider says the money was taken
  all the same, that is an anomaly and the money goes back through the provider's refund.
"""
from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from domain.codepay import CodeAnswer, CodeProvider, creditable
from models import OrderItem, Payment, utcnow
from services import audit, ledger
from services.context import setting
from services.pay_client import code_provider
from services.pay_credit import apply_credit
from services.refunds import record_anomaly, refund_overpayment
from services.uow import reading, transaction

log = logging.getLogger(__name__)
AFTER_REVERSE_REASON = "撤销后仍扣款，自动退回"  # what the payer reads beside the refund
REVERSE_FOR = timedelta(days=1)  # a reverse refused (retry) this long is left to a person (WeChat allows 7 days)


def _poll_every() -> timedelta:
    return timedelta(seconds=float(setting("CODEPAY_POLL_SECONDS")))


def _give_up_after() -> timedelta:
    return timedelta(seconds=float(setting("CODEPAY_GIVE_UP_SECONDS")))


def after_pay(payment_id: int, answer: CodeAnswer) -> None:
    """What the provider answered the charge itself: refused → failed, and the trade reversed
    and asked about (a refusal can answer a repeated charge whose first send took the money);
    paid → query at once (only a query credits); paying or unknown → query again after the poll
    interval."""
    if answer.state == "failed":
        if _fail(payment_id, answer.code or "REFUSED", reverse=True):
            reverse_now(payment_id)
        return
    first = utcnow() if answer.state == "paid" else utcnow() + _poll_every()
    with transaction() as tx:
        tx.session.execute(update(Payment).where(Payment.id == payment_id, Payment.status == "paying")
                           .values(next_poll_at=first).execution_options(synchronize_session=False))
    if answer.state == "paid":
        advance(payment_id)


def _lease(payment_id: int) -> bool:
    """Take this interval's poll of the payment (True), or see that someone else has it."""
    now = utcnow()
    with transaction() as tx:
        won = tx.session.execute(
            update(Payment).where(Payment.id == payment_id,
                                  (Payment.status == "paying") | (Payment.reversal == "pending"),
                                  (Payment.next_poll_at.is_(None)) | (Payment.next_poll_at <= now))
            .values(next_poll_at=now + _poll_every(), polls=Payment.polls + 1)
            .execution_options(synchronize_session=False)
        ).rowcount  # type: ignore[attr-defined]
    return bool(won)


def advance(payment_id: int) -> None:
    """One poll of a payment code, if it is due and nobody else is making it."""
    if not _lease(payment_id):
        return
    with reading() as db:
        payment = db.execute(select(Payment).where(Payment.id == payment_id)
                                  .execution_options(populate_existing=True)).scalar_one()
        status, reversal, channel = payment.status, payment.reversal, payment.channel
        out_trade_no, amount, created_at = payment.out_trade_no, payment.amount, payment.created_at
    provider = code_provider(channel)
    if status == "paying":
        answer = provider.query(out_trade_no)
        if answer.state == "paid":
            if creditable(answer, out_trade_no, amount, provider.merchant, provider.app):
                credit(payment_id, answer)
            else:
                _mismatch(payment_id, answer, provider)
        elif answer.state == "failed":
            if answer.code == "REFUND":  # paid, then refunded outside Diancan: the manager sees it
                _refunded_elsewhere(payment_id, answer)
            # PAYERROR: WeChat's own advice is to reverse it, so that nothing can still pay it.
            unsure = answer.code == "PAYERROR"
            if _fail(payment_id, answer.code or "FAILED", reverse=unsure) and unsure:
                _reverse(payment_id, provider)
        elif utcnow() - created_at >= _give_up_after() and _fail(payment_id, "TIMEOUT", reverse=True):
            _reverse(payment_id, provider)
    elif reversal == "pending":
        if utcnow() - created_at > REVERSE_FOR:  # still refused a day later: a person must look
            _set_reversal(payment_id, "refused")
            log.warning("reverse of %s still refused after a day: given up", out_trade_no)
        else:
            _reverse(payment_id, provider)


def credit(payment_id: int, answer: CodeAnswer) -> bool:
    """Credit from a verified, matching query answer, once. True if this call credited it. A
    payment that failed meanwhile (given up, reversed) is never credited: the money is given back."""
    excess = 0
    with transaction() as tx:
        check_id = tx.session.execute(select(Payment.table_session_id).where(Payment.id == payment_id)).scalar_one()
        ledger.lock_check(tx.session, check_id)  # lock order: check, then payment
        moved = tx.session.execute(
            update(Payment).where(Payment.id == payment_id, Payment.status == "paying")
            .values(status="paid", paid_at=utcnow(), transaction_id=(answer.transaction_id or "")[:64] or None,
                    flight_key=None, next_poll_at=None)
            .execution_options(synchronize_session=False)
        ).rowcount  # type: ignore[attr-defined]
        payment = tx.session.execute(select(Payment).where(Payment.id == payment_id)
                                     .execution_options(populate_existing=True)).scalar_one()
        if moved != 1:
            late = payment.status == "failed"
        else:
            late = False
            tx.note("payment", channel=payment.channel, status="paid")
            excess = apply_credit(tx, payment)
            audit.record(tx, payment.store_id, payment.staff_id, f"payment.{payment.channel}", "payment", payment.id,
                         None, {"amount": payment.amount, "table_session_id": payment.table_session_id})
            if excess:
                record_anomaly(tx, payment.store_id, payment.out_trade_no,
                               f"overpaid: {excess} fen beyond what the check owed", _txn(answer),
                               payment_id=payment.id, amount=excess)
                audit.record(tx, payment.store_id, None, "payment.overpaid", "payment", payment.id, None,
                             {"amount": payment.amount, "overpaid": excess,
                              "table_session_id": payment.table_session_id})
    if moved == 1:
        if excess:
            refund_overpayment(payment_id)
        return True
    if late:
        _taken_after_failure(payment_id, answer)
    return False


def _fail(payment_id: int, code: str, reverse: bool = False) -> bool:
    """The payment will take no money: out of flight, its lines free again. With ``reverse`` the
    trade is to be reversed at the provider (``reversal`` pending). True if this call failed it."""
    with transaction() as tx:
        check_id = tx.session.execute(select(Payment.table_session_id).where(Payment.id == payment_id)).scalar_one()
        ledger.lock_check(tx.session, check_id)
        values: dict[str, Any] = {"status": "failed", "flight_key": None, "failure": code[:64]}
        if reverse:
            values |= {"reversal": "pending", "next_poll_at": None}
        moved = tx.session.execute(
            update(Payment).where(Payment.id == payment_id, Payment.status == "paying").values(**values)
            .execution_options(synchronize_session=False)
        ).rowcount  # type: ignore[attr-defined]
        if moved:
            tx.session.execute(update(OrderItem).where(OrderItem.payment_id == payment_id).values(payment_id=None)
                               .execution_options(synchronize_session=False))
            payment = tx.session.get(Payment, payment_id)
            assert payment is not None
            tx.note("payment", channel=payment.channel, status="failed")
    return bool(moved)


def cancel(payment_id: int, staff_id: int) -> bool:
    """A cashier stops a paying payment code: failed (``CANCELLED``), to be reversed. True if this
    call failed it."""
    if not _fail(payment_id, "CANCELLED", reverse=True):
        return False
    with transaction() as tx:
        payment = tx.session.get(Payment, payment_id)
        assert payment is not None
        audit.record(tx, payment.store_id, staff_id, "payment.cancel", "payment", payment.id, {"status": "paying"},
                     {"status": "failed", "amount": payment.amount})
    return True


def reverse_now(payment_id: int) -> None:
    with reading() as db:
        channel = db.execute(select(Payment.channel).where(Payment.id == payment_id)).scalar_one()
    _reverse(payment_id, code_provider(channel))


def _mismatch(payment_id: int, answer: CodeAnswer, provider: CodeProvider) -> None:
    """A paid answer that names another amount, merchant or app: never credited; kept as an
    anomaly, and the trade reversed (the provider gives the money back)."""
    with transaction() as tx:
        payment = tx.session.get(Payment, payment_id)
        assert payment is not None
        record_anomaly(tx, payment.store_id, payment.out_trade_no,
                       f"query answer does not match (amount {answer.amount}, merchant {answer.merchant}, "
                       f"app {answer.app})"[:200], _txn(answer))
    if _fail(payment_id, "MISMATCH", reverse=True):
        _reverse(payment_id, provider)


def _reverse(payment_id: int, provider: CodeProvider) -> None:
    """Reverse the trade of a failed payment; then ask again before believing it is over."""
    with reading() as db:
        out_trade_no = db.execute(select(Payment.out_trade_no).where(Payment.id == payment_id)).scalar_one()
    reversed_ = provider.reverse(out_trade_no)
    if not reversed_.done and reversed_.retry:  # the next poll reverses again, a little later each time
        _back_off(payment_id)
        return
    answer = provider.query(out_trade_no)  # done or refused for good: ask before believing either
    if not reversed_.done:
        if answer.state == "paid":
            _taken_after_failure(payment_id, answer)
        elif answer.state == "failed" or answer.code in ("ORDER_NOT_EXIST", "ACQ.TRADE_NOT_EXIST"):
            _set_reversal(payment_id, "done")  # nothing was taken: nothing to reverse
        else:
            _set_reversal(payment_id, "refused")  # the manager sees it
            log.warning("reverse of %s refused: %s", out_trade_no, reversed_.code)
        return
    if answer.state == "paid":
        _taken_after_failure(payment_id, answer)
    elif answer.state == "failed" or answer.code in ("ORDER_NOT_EXIST", "ACQ.TRADE_NOT_EXIST"):
        _set_reversal(payment_id, "done")


def _back_off(payment_id: int) -> None:
    """A reverse the provider asks us to repeat: again after a tenth of the payment's age (at least
    the poll interval, at most ten minutes), so the first minutes retry briskly while the payer may
    still be typing, and an outage costs the provider a few calls an hour per payment."""
    with transaction() as tx:
        created_at = tx.session.execute(select(Payment.created_at).where(Payment.id == payment_id)).scalar_one()
        wait = min(max(_poll_every(), (utcnow() - created_at) / 10), timedelta(minutes=10))
        tx.session.execute(update(Payment).where(Payment.id == payment_id, Payment.reversal == "pending")
                           .values(next_poll_at=utcnow() + wait).execution_options(synchronize_session=False))


def _refunded_elsewhere(payment_id: int, answer: CodeAnswer) -> None:
    with transaction() as tx:
        payment = tx.session.get(Payment, payment_id)
        assert payment is not None
        record_anomaly(tx, payment.store_id, payment.out_trade_no,
                       "paid, then refunded outside Diancan: not credited", _txn(answer), payment_id=payment.id)


def _set_reversal(payment_id: int, state: str) -> None:
    with transaction() as tx:
        tx.session.execute(update(Payment).where(Payment.id == payment_id, Payment.reversal == "pending")
                           .values(reversal=state).execution_options(synchronize_session=False))


def _taken_after_failure(payment_id: int, answer: CodeAnswer) -> None:
    """The provider says it took the money for a payment we had failed (given up, reversed): it is
    not credited; an anomaly names it and the whole amount goes back through the provider, once."""
    with transaction() as tx:
        moved = tx.session.execute(
            update(Payment).where(Payment.id == payment_id, Payment.status == "failed",
                                  (Payment.reversal.is_(None)) | (Payment.reversal != "refunded"))
            .values(reversal="refunded").execution_options(synchronize_session=False)
        ).rowcount  # type: ignore[attr-defined]
        if not moved:
            return
        payment = tx.session.get(Payment, payment_id)
        assert payment is not None
        record_anomaly(tx, payment.store_id, payment.out_trade_no, "paid after the payment was given up: "
                       "not credited, refunded", _txn(answer), payment_id=payment.id)
        audit.record(tx, payment.store_id, None, "payment.taken_after_reverse", "payment", payment.id, None,
                     {"amount": answer.amount, "table_session_id": payment.table_session_id})
        channel, out_trade_no = payment.channel, payment.out_trade_no
    taken = answer.amount or 0
    if taken <= 0 or not code_provider(channel).refund(out_trade_no, f"RV{out_trade_no}"[:64], taken, taken,
                                                       AFTER_REVERSE_REASON):
        log.error("money taken after reversing %s not given back: the manager must refund it", out_trade_no)


def _txn(answer: CodeAnswer) -> dict[str, Any]:
    """A provider's answer as the anomaly log keeps it (amounts, states and ids only)."""
    return {"trade_state": answer.code, "amount": {"total": answer.amount}, "mchid": answer.merchant,
            "appid": answer.app, "transaction_id": answer.transaction_id}
