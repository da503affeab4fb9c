"""Closed business days summarised once: what the range reports add up instead of every order."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow


class ReportDay(Base):
    """One closed business day of a store (store time): per-day figures, sales per dish, voids and
    discounts per person, money per channel, tickets per station with a whole-second histogram of
    prep times. Written by ``services.reports.summary.close_days`` for days nothing can change any
    more (no open check, no open ticket); ``late_after_s`` is the red threshold it was counted with."""

    __tablename__ = "report_days"
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    late_after_s: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
