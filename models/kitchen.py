"""The kitchen's view: tickets (one per station per order), their items, and the event log."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from models.orders import Order, OrderItem


class Ticket(Base):
    __tablename__ = "tickets"
    # The second index answers the metrics scrape (open tickets and the oldest, per station); the
    # third the reports (a store's tickets of a day).
    __table_args__ = (UniqueConstraint("order_id", "station"),
                      Index("ix_tickets_status_store_station", "status", "store_id", "station", "created_at"),
                      Index("ix_tickets_store_created", "store_id", "created_at"))
    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    station: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(16), default="new")  # new cooking done bumped
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    bumped_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    recalls: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # times brought back after a bump
    items: Mapped[list[TicketItem]] = relationship(back_populates="ticket", order_by="TicketItem.id")
    order: Mapped[Order] = relationship()


class TicketItem(Base):
    __tablename__ = "ticket_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    order_item_id: Mapped[int] = mapped_column(ForeignKey("order_items.id"), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="new")  # new cooking done
    ticket: Mapped[Ticket] = relationship(back_populates="items")
    order_item: Mapped[OrderItem] = relationship(lazy="joined")


class KitchenEvent(Base):
    """Append-only: one row per change a screen must see, numbered by a gapless per-store seq."""

    __tablename__ = "kitchen_events"
    __table_args__ = (UniqueConstraint("store_id", "seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    seq: Mapped[int] = mapped_column(Integer)
    prev_seq: Mapped[int] = mapped_column(Integer, default=0)  # previous seq of the same station
    kind: Mapped[str] = mapped_column(String(32))  # ticket.created | ticket.updated
    station: Mapped[str] = mapped_column(String(20))
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)  # the Ticket as the contract shows it
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
