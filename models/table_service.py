"""At the table: the shared cart of the open check, and calls for the waiter or the bill."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Key, UTCDateTime, utcnow


class CartLine(Base):
    """One line of a table's shared cart. ``version`` guards concurrent edits of the same line."""

    __tablename__ = "cart_lines"
    __table_args__ = (UniqueConstraint("table_session_id", "line_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    table_session_id: Mapped[int] = mapped_column(ForeignKey("table_sessions.id"), index=True)
    diner_id: Mapped[int | None] = mapped_column(ForeignKey("diners.id"), nullable=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    option_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(String(200), default="")
    # item + sorted options + note + who: the same choice by the same diner adds to one line.
    line_key: Mapped[str] = mapped_column(Key(255))
    qty: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class WaiterCall(Base):
    """A diner's call. ``open_key`` is set while open, so one table has one open call per kind."""

    __tablename__ = "waiter_calls"
    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("tables.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # waiter | bill
    # Why, for a waiter call: "" (just come), water, tableware, hurry (a round is late: ``order_id``).
    reason: Mapped[str] = mapped_column(String(16), default="", server_default="")
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | done
    open_key: Mapped[str | None] = mapped_column(Key(40), nullable=True, unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    done_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)


class CheckDiner(Base):
    """A diner at a table's open check: everyone who opened the table's code while the check was
    open sees every round of it and may pay it, whoever sent the round. Diners stay numbers."""

    __tablename__ = "check_diners"
    __table_args__ = (UniqueConstraint("table_session_id", "diner_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    table_session_id: Mapped[int] = mapped_column(ForeignKey("table_sessions.id"))
    diner_id: Mapped[int] = mapped_column(ForeignKey("diners.id"), index=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
