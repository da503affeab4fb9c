"""Payments: one row per attempt, with our out_trade_no; and notifies we could not match."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Key, UTCDateTime, utcnow


class Payment(Base):
    __tablename__ = "payments"
    # The indexes answer the metrics scrape and reconcile (payments still paying, oldest first)
    # and the reports (a store's payments of a day).
    __table_args__ = (UniqueConstraint("store_id", "client_key"),
                      Index("ix_payments_status_created", "status", "created_at"),
                      Index("ix_payments_store_paid", "store_id", "paid_at"),
                      # the payment-code pollers' every-second read: paying, or a reversal pending
                      Index("ix_payments_reversal", "reversal"))
    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    table_session_id: Mapped[int] = mapped_column(ForeignKey("table_sessions.id"), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), nullable=True)  # pay first
    diner_id: Mapped[int | None] = mapped_column(ForeignKey("diners.id"), nullable=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    client_key: Mapped[str] = mapped_column(Key(64))
    # WeChat's rule: 6-32 of A-Za-z0-9_-|*, unique per merchant.
    out_trade_no: Mapped[str] = mapped_column(Key(32), unique=True)
    amount: Mapped[int] = mapped_column(Integer)  # fen
    channel: Mapped[str] = mapped_column(String(16))  # wechat_jsapi | wechat_code | alipay_code | cash | other
    # created paying paid closed; payment codes: paying paid failed (failed is never credited)
    status: Mapped[str] = mapped_column(String(16), default="created")
    # Set only while a WeChat payment is in flight (created or paying): the scope it pays, e.g.
    # ``check:12`` or ``order:34``. Unique, so "one payment in flight per check, order or share"
    # is a database fact, like a table's one open check (docs/payments.md).
    flight_key: Mapped[str | None] = mapped_column(String(40), nullable=True, unique=True)
    prepay_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    transaction_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    refunded: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")  # reserved or refunded, fen
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Cash: what the diner handed over and what went back (tendered - amount); None otherwise.
    tendered: Mapped[int | None] = mapped_column(Integer, nullable=True)
    change: Mapped[int | None] = mapped_column("change_given", Integer, nullable=True)
    # Payment codes (services/codepay.py): how often the provider was asked, when it may be asked
    # next (a lease: of several processes one asks), the reversal's progress (pending, done) and
    # the provider's code for a failure (shown to the cashier).
    polls: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_poll_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    reversal: Mapped[str | None] = mapped_column(String(16), nullable=True)
    failure: Mapped[str | None] = mapped_column(String(64), nullable=True)


class PaymentAnomaly(Base):
    """A genuine (signed) notify we could not credit: maybe real money, for the manager to see."""

    __tablename__ = "payment_anomalies"
    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int | None] = mapped_column(ForeignKey("stores.id"), nullable=True, index=True)
    out_trade_no: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(200))
    # A credit that went beyond what its check owed: the payment, and the fen taken too many
    # (refunded automatically through WeChat Pay; see services/refunds.py).
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"), nullable=True, index=True)
    amount: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Amounts, states and ids only: never the payer's openid.
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Refund(Base):
    """Money going back on a payment. The amount is reserved on the payment first, with a
    conditional UPDATE, so refunds can never add up to more than was paid, even when racing."""

    __tablename__ = "refunds"
    __table_args__ = (UniqueConstraint("store_id", "client_key"),
                      Index("ix_refunds_store_done", "store_id", "done_at"))
    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    client_key: Mapped[str] = mapped_column(Key(64))
    out_refund_no: Mapped[str] = mapped_column(Key(64), unique=True)
    amount: Mapped[int] = mapped_column(Integer)  # fen
    reason: Mapped[str] = mapped_column(String(80), default="")
    status: Mapped[str] = mapped_column(String(16), default="processing")  # processing success failed
    # Given back by us, not a cashier: money a check took beyond what it owed. The orders keep
    # their payment state (the check is still paid), unlike a refund of what was owed.
    overpayment: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    refund_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
