"""Coupons: the console makes, pauses and ends them; diners claim them; a payment uses one.

Limits hold under races without locks held across requests: the store-wide ``total`` by a
conditional UPDATE of the coupon's counter, ``per_diner`` by the unique (coupon, diner, seq) key,
and "used once" by moving a claim ``claimed → reserved`` with a conditional UPDATE that only one
of two phones paying at the same moment can win. The payment hooks (``apply_coupon``,
``coupon_credited``, ``coupon_released``) run inside the payment's own transaction.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from domain import coupons as rules
from domain.errors import Conflict, NotFound
from models import Coupon, CouponClaim, Payment, TableSession, utcnow
from services import audit
from services.scoping import owned
from services.uow import Tx, reading, transaction


def create_coupon(store_id: int, staff_id: int, terms: dict[str, Any]) -> Coupon:
    """A new active coupon. Raises ValidationFailed for unworkable terms."""
    rules.check_terms(terms["kind"], terms["value"], terms["min_spend"], terms["starts_at"], terms["ends_at"],
                      terms["per_diner"], terms["total"])
    with transaction() as tx:
        coupon = Coupon(store_id=store_id, created_by=staff_id, claimed=0, status="active",
                        **{k: terms[k] for k in ("name", "kind", "value", "min_spend", "starts_at", "ends_at",
                                                 "per_diner", "total")})
        tx.session.add(coupon)
        tx.session.flush()
        audit.record(tx, store_id, staff_id, "coupon.create", "coupon", coupon.id, None,
                     {"name": coupon.name, "kind": coupon.kind, "value": coupon.value})
    return coupon


def change_status(store_id: int, staff_id: int, coupon_id: int, move: str) -> Coupon:
    """pause, resume or end a coupon. Claims already made stay usable only while it is active.
    Raises NotFound, InvalidState."""
    with transaction() as tx:
        coupon = owned(tx.session, Coupon, store_id, coupon_id, "coupon")
        before = coupon.status
        coupon.status = rules.next_status(coupon.status, move)
        audit.record(tx, store_id, staff_id, f"coupon.{move}", "coupon", coupon.id, {"status": before},
                     {"status": coupon.status})
    return coupon


def list_coupons(store_id: int) -> list[Coupon]:
    with reading() as s:
        return list(s.execute(select(Coupon).where(Coupon.store_id == store_id).order_by(Coupon.id.desc())).scalars())


@dataclass(frozen=True)
class OnOffer:
    coupon: Coupon
    claimed: int  # this diner's claims of it
    usable: int  # of which not used or in use


def on_offer(store_id: int, diner_id: int | None) -> list[OnOffer]:
    """The store's coupons a diner can claim or use now, with the diner's own counts."""
    now = utcnow()
    with reading() as s:
        coupons = list(s.execute(select(Coupon).where(
            Coupon.store_id == store_id, Coupon.status == "active", Coupon.starts_at <= now, Coupon.ends_at > now)
            .order_by(Coupon.ends_at, Coupon.id)).scalars())
        mine: dict[int, tuple[int, int]] = {}
        if diner_id is not None and coupons:
            for cid, n, usable in s.execute(
                    select(CouponClaim.coupon_id, func.count(),
                           func.sum(case((CouponClaim.status == "claimed", 1), else_=0)))
                    .where(CouponClaim.diner_id == diner_id, CouponClaim.coupon_id.in_([c.id for c in coupons]))
                    .group_by(CouponClaim.coupon_id)).all():
                mine[cid] = (int(n), int(usable or 0))
    return [OnOffer(c, *mine.get(c.id, (0, 0))) for c in coupons]


def claim(diner_id: int, coupon_id: int) -> CouponClaim:
    """The diner takes one copy of the coupon. Raises NotFound, InvalidState (paused, ended, out of
    its window), Conflict (the diner's ``per_diner`` or the store's ``total`` is reached)."""
    try:
        with transaction() as tx:
            coupon = tx.session.get(Coupon, coupon_id)
            if coupon is None:
                raise NotFound("no such coupon")
            rules.check_open(coupon.status, coupon.starts_at, coupon.ends_at, utcnow())
            seq = 1 + int(tx.session.execute(select(func.count()).where(
                CouponClaim.coupon_id == coupon.id, CouponClaim.diner_id == diner_id)).scalar_one())
            if seq > coupon.per_diner:
                raise Conflict("you have claimed this coupon as often as it allows")
            taken = tx.session.execute(
                update(Coupon).where(Coupon.id == coupon.id, Coupon.status == "active",
                                     or_(Coupon.total.is_(None), Coupon.claimed < Coupon.total))
                .values(claimed=Coupon.claimed + 1).execution_options(synchronize_session=False)
            ).rowcount  # type: ignore[attr-defined]
            if taken != 1:
                raise Conflict("all of these coupons have been claimed")
            row = CouponClaim(store_id=coupon.store_id, coupon_id=coupon.id, diner_id=diner_id, seq=seq,
                              status="claimed", discount=0, claimed_at=utcnow())
            tx.session.add(row)
            tx.session.flush()
    except IntegrityError:  # the same diner claiming from another phone at the same moment (rolled back)
        raise Conflict("you have claimed this coupon as often as it allows") from None
    return row


# -- at the payment ---------------------------------------------------------------------------
def apply_coupon(tx: Tx, payment: Payment, coupon_id: int, diner_id: int) -> int:
    """Price ``payment`` (already flushed, amount = what is due) with one of the diner's claims of
    the coupon: reserve the claim for this payment and take the discount off its amount.

    Returns the discount. Raises NotFound (not this store's coupon), InvalidState (paused, ended,
    out of window, under the minimum spend), Conflict (no unused claim: never claimed, already
    used, or being used by a payment started at the same moment on another phone).
    """
    coupon = tx.session.get(Coupon, coupon_id)
    if coupon is None or coupon.store_id != payment.store_id:
        raise NotFound("no such coupon")
    rules.check_open(coupon.status, coupon.starts_at, coupon.ends_at, utcnow())
    off = rules.discount(coupon.kind, coupon.value, coupon.min_spend, payment.amount)
    candidates = tx.session.execute(select(CouponClaim.id).where(
        CouponClaim.coupon_id == coupon.id, CouponClaim.diner_id == diner_id, CouponClaim.status == "claimed")
        .order_by(CouponClaim.id)).scalars().all()
    for claim_id in candidates:
        # Only one transaction moves a claim out of "claimed": a racing payment sees 0 rows here.
        won = tx.session.execute(
            update(CouponClaim).where(CouponClaim.id == claim_id, CouponClaim.status == "claimed")
            .values(status="reserved", payment_id=payment.id, table_session_id=payment.table_session_id,
                    discount=off).execution_options(synchronize_session=False)
        ).rowcount  # type: ignore[attr-defined]
        if won == 1:
            payment.amount -= off
            return off
    raise Conflict("you have no unused coupon of this kind", {"coupon_id": ["not claimed, or already used"]})


def coupon_credited(db: Session, payment: Payment, check: TableSession) -> None:
    """The payment went through: its coupon is used, and what it took off is no longer owed."""
    claim_row = db.execute(select(CouponClaim).where(
        CouponClaim.payment_id == payment.id, CouponClaim.status == "reserved")).scalar_one_or_none()
    if claim_row is None:
        return
    claim_row.status, claim_row.used_at = "used", utcnow()
    check.coupon_discount = (check.coupon_discount or 0) + claim_row.discount


def coupon_released(db: Session, payment_id: int) -> None:
    """The payment was abandoned (closed unpaid): the diner keeps the coupon for another time."""
    db.execute(update(CouponClaim).where(CouponClaim.payment_id == payment_id, CouponClaim.status == "reserved")
                    .values(status="claimed", payment_id=None, table_session_id=None, discount=0)
                    .execution_options(synchronize_session=False))


def claims_summary(store_id: int) -> dict[int, dict[str, int]]:
    """Per coupon: claims, uses and discount given so far (the console's list)."""
    used = CouponClaim.status == "used"
    with reading() as s:
        rows = s.execute(
            select(CouponClaim.coupon_id, func.count(), func.sum(case((used, 1), else_=0)),
                   func.sum(case((used, CouponClaim.discount), else_=0)))
            .where(CouponClaim.store_id == store_id).group_by(CouponClaim.coupon_id)).all()
    return {cid: {"claimed": int(n), "used": int(u or 0), "discount": int(d or 0)} for cid, n, u, d in rows}
