"""Cashier shifts: open with the float, an X report any time, close with the counted cash (Z report).

What a shift took is read from the payments themselves: the cashier's own cash, other and
payment-code payments (and cash refunds) between opening and closing, plus the diners' WeChat
JSAPI payments to the store in that time (no cashier takes those). The drawer should hold
float + cash taken − change given − cash refunded.
"""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from domain import permissions
from domain.checkout import DrawerMoves, close_difference
from domain.errors import Conflict, InvalidState, NotFound
from models import Discount, Payment, Refund, Shift, Staff, utcnow
from services import audit
from services.scoping import owned
from services.staff import StaffPrincipal
from services.uow import reading, transaction

CHANNELS = ("cash", "wechat", "wechat_code", "alipay_code", "other")


def open_shift(store_id: int, staff_id: int, opening_cash: int, client_key: str | None = None) -> tuple[Shift, bool]:
    """Open the cashier's shift with ``opening_cash`` fen in the drawer. One open shift per
    cashier; a retry with the same key returns it. Raises Conflict (another shift still open)."""
    key = client_key or uuid.uuid4().hex
    try:
        with transaction() as tx:
            found = tx.session.execute(
                select(Shift).where(Shift.store_id == store_id, Shift.client_key == key)
            ).scalar_one_or_none()
            if found is not None:
                return found, False
            if tx.session.execute(select(Shift.id).where(Shift.open_key == staff_id)).first():
                raise Conflict("you already have an open shift: close it first", {"shift": ["open"]})
            shift = Shift(store_id=store_id, staff_id=staff_id, client_key=key, status="open", open_key=staff_id,
                          opening_cash=opening_cash, note="", opened_at=utcnow())
            tx.session.add(shift)
            tx.session.flush()
            audit.record(tx, store_id, staff_id, "shift.open", "shift", shift.id, None, {"opening_cash": opening_cash})
    except IntegrityError:  # a racing open by the same cashier won (transaction() rolled ours back)
        raise Conflict("you already have an open shift: close it first", {"shift": ["open"]}) from None
    return shift, True


def current_shift(store_id: int, staff_id: int) -> Shift | None:
    with reading() as db:
        return db.execute(
            select(Shift).where(Shift.store_id == store_id, Shift.open_key == staff_id)
        ).scalar_one_or_none()


def _may_see(who: StaffPrincipal, shift: Shift) -> None:
    if shift.staff_id != who.id and not permissions.allows(who.role, "console.use"):
        raise NotFound("no such shift")  # a cashier sees their own shifts only


def get_shift(who: StaffPrincipal, shift_id: int) -> dict[str, Any]:
    """The shift with its X report (open) or its Z report as it was closed. Raises NotFound."""
    with reading() as db:
        shift = owned(db, Shift, who.store_id, shift_id, "shift")
        _may_see(who, shift)
        return shift_view(db, shift)


def close_shift(who: StaffPrincipal, shift_id: int, counted_cash: int, note: str) -> dict[str, Any]:
    """Close with the counted cash: the Z report is computed and kept, with the difference
    (counted − expected), which needs a note when not zero. Closing again with the same count
    answers the same. Raises NotFound, InvalidState (closed with another count), ValidationFailed."""
    with transaction() as tx:
        shift = tx.session.execute(
            select(Shift).where(Shift.id == shift_id, Shift.store_id == who.store_id).with_for_update()
        ).scalar_one_or_none()
        if shift is None:
            raise NotFound("no such shift")
        _may_see(who, shift)  # the cashier, or a manager or owner
        if shift.status == "closed":
            if shift.counted_cash == counted_cash:
                return shift_view(tx.session, shift)
            raise InvalidState("this shift is already closed")
        now = utcnow()
        report = _report(tx.session, shift, now)
        difference = close_difference(report["drawer"]["expected"], counted_cash, note)
        shift.status, shift.open_key, shift.closed_at = "closed", None, now
        shift.counted_cash, shift.difference, shift.note, shift.report = counted_cash, difference, note.strip(), report
        audit.record(tx, who.store_id, who.id, "shift.close", "shift", shift.id, None,
                     {"expected_cash": report["drawer"]["expected"], "counted_cash": counted_cash,
                      "difference": difference, "note": shift.note})
        return shift_view(tx.session, shift)


def shift_view(db: Session, shift: Shift) -> dict[str, Any]:
    report = shift.report if shift.report is not None else _report(db, shift, utcnow())
    member = db.get(Staff, shift.staff_id)
    return {"id": shift.id, "status": shift.status, "opened_at": shift.opened_at, "closed_at": shift.closed_at,
            "staff": {"id": shift.staff_id, "name": member.name if member else ""},
            "opening_cash": shift.opening_cash, "counted_cash": shift.counted_cash, "difference": shift.difference,
            "note": shift.note, **report}


def _report(db: Session, shift: Shift, until: datetime) -> dict[str, Any]:
    """What the shift took by channel, the drawer's movements and what it should hold."""
    in_shift = (Payment.store_id == shift.store_id, Payment.status == "paid", Payment.paid_at >= shift.opened_at,
                Payment.paid_at < until)
    taken = dict.fromkeys(CHANNELS, 0)
    cash_taken = change = count = 0
    mine = db.execute(select(Payment).where(*in_shift, Payment.staff_id == shift.staff_id)).scalars()
    for p in mine:
        count += 1
        channel = "wechat" if p.channel == "wechat_jsapi" else p.channel
        taken[channel] = taken.get(channel, 0) + p.amount
        if p.channel == "cash":
            cash_taken += p.tendered if p.tendered is not None else p.amount
            change += p.change or 0
    jsapi = db.execute(
        select(func.count(), func.coalesce(func.sum(Payment.amount), 0))
        .where(*in_shift, Payment.channel == "wechat_jsapi", Payment.staff_id.is_(None))
    ).one()
    count += int(jsapi[0])
    taken["wechat"] += int(jsapi[1])
    refunds = db.execute(
        select(Payment.channel, func.coalesce(func.sum(Refund.amount), 0))
        .join(Payment, Payment.id == Refund.payment_id)
        .where(Refund.store_id == shift.store_id, Refund.staff_id == shift.staff_id, Refund.status == "success",
               Refund.created_at >= shift.opened_at, Refund.created_at < until).group_by(Payment.channel)
    ).all()
    refunded = {channel: int(total) for channel, total in refunds}
    discounts = db.execute(
        select(func.coalesce(func.sum(Discount.amount), 0)).where(
            Discount.store_id == shift.store_id, Discount.staff_id == shift.staff_id,
            Discount.created_at >= shift.opened_at, Discount.created_at < until)
    ).scalar_one()
    drawer = DrawerMoves(opening=shift.opening_cash, cash_taken=cash_taken, change_given=change,
                         cash_refunded=refunded.get("cash", 0))
    expected = dict(taken) | {"cash": drawer.expected}
    return {"taken": taken, "expected": expected, "refunds": sum(refunded.values()), "payments": count,
            "discounts": int(discounts),
            "drawer": {"opening": drawer.opening, "cash_taken": drawer.cash_taken, "change_given": drawer.change_given,
                       "cash_refunded": drawer.cash_refunded, "expected": drawer.expected}}
