"""Coupons a store offers, and the diners' claims on them (each used at most once)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow


class Coupon(Base):
    __tablename__ = "coupons"
    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(16))  # amount_off (fen) | percent_off (1-99)
    value: Mapped[int] = mapped_column(Integer)
    min_spend: Mapped[int] = mapped_column(Integer, default=0)  # fen, on what the check owes
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    per_diner: Mapped[int] = mapped_column(Integer, default=1)
    total: Mapped[int | None] = mapped_column(Integer, nullable=True)  # None: no limit
    # Claims handed out so far: taken with a conditional UPDATE, so ``total`` holds under races.
    claimed: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default="active")  # active | paused | ended
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CouponClaim(Base):
    """One diner's copy of a coupon: ``claimed`` → ``reserved`` (a payment is pricing with it) →
    ``used`` (that payment was credited), or back to ``claimed`` when the payment is abandoned.

    ``seq`` numbers a diner's claims of one coupon; the unique key makes ``per_diner`` hold even
    when one diner claims from two phones at once. ``payment_id`` is unique: one coupon per payment.
    """

    __tablename__ = "coupon_claims"
    __table_args__ = (UniqueConstraint("coupon_id", "diner_id", "seq"),
                      Index("ix_coupon_claims_store_used", "store_id", "used_at"))
    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    coupon_id: Mapped[int] = mapped_column(ForeignKey("coupons.id"), index=True)
    diner_id: Mapped[int | None] = mapped_column(ForeignKey("diners.id"), nullable=True, index=True)
    seq: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(16), default="claimed")
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"), nullable=True, unique=True)
    table_session_id: Mapped[int | None] = mapped_column(ForeignKey("table_sessions.id"), nullable=True)
    discount: Mapped[int] = mapped_column(Integer, default=0)  # fen taken off by this use
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
