"""A cashier's shift: the drawer's float at the start, what was counted at the end."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Key, UTCDateTime, utcnow


class Shift(Base):
    __tablename__ = "shifts"
    __table_args__ = (UniqueConstraint("store_id", "client_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    client_key: Mapped[str] = mapped_column(Key(64))
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | closed
    # The cashier's id while open: the unique key makes "one open shift per cashier" a database fact.
    open_key: Mapped[int | None] = mapped_column(Integer, nullable=True, unique=True)
    opening_cash: Mapped[int] = mapped_column(Integer)  # fen
    counted_cash: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # The Z report as computed at close (expected per channel, cash movements), kept as it was.
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    difference: Mapped[int | None] = mapped_column(Integer, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
