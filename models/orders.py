"""Checks (table sessions), orders (rounds) and their lines, with a snapshot of the menu."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Key, UTCDateTime, utcnow

if TYPE_CHECKING:
    from models.store import Table


class TableSession(Base):
    __tablename__ = "table_sessions"
    __table_args__ = (Index("ix_table_sessions_store_closed", "store_id", "closed_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    # None for a takeaway (walk-in) check, which belongs to no table.
    table_id: Mapped[int | None] = mapped_column(ForeignKey("tables.id"), index=True, nullable=True)
    kind: Mapped[str] = mapped_column(String(16), default="table", server_default="table")  # table | takeaway
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | closed
    # Non-null only while open: the unique key makes "one open check per table" a database fact.
    open_key: Mapped[int | None] = mapped_column(Integer, nullable=True, unique=True)
    paid: Mapped[int] = mapped_column(BigInteger, default=0)  # a sum: can outgrow 32 bits
    # Taken off by coupons on credited payments (fen): owed no longer, but not money received either.
    coupon_discount: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # How many sit at the table (用餐人数), when the store asks; None: not asked or not answered.
    headcount: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Counts the changes to the shared cart: a phone keeps the newest cart it has seen and drops
    # an older one that arrives late (a slow answer, or events from two requests out of order).
    cart_revision: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    orders: Mapped[list[Order]] = relationship(back_populates="table_session", order_by="Order.id")
    table: Mapped[Table | None] = relationship()
    discounts: Mapped[list[Discount]] = relationship(order_by="Discount.id")

    @property
    def total(self) -> int:
        return sum(o.total for o in self.orders if o.status != "cancelled")

    @property
    def discount(self) -> int:
        """Fen taken off the check by staff discounts (never more than the total)."""
        return min(sum(d.amount for d in self.discounts), self.total)

    @property
    def due(self) -> int:
        return max(self.total - self.discount - (self.coupon_discount or 0) - self.paid, 0)

    @property
    def pickup_number(self) -> int | None:
        return next((o.pickup_number for o in self.orders if o.pickup_number is not None), None)

    @property
    def overpaid(self) -> int:
        """Paid beyond the total: only while a credit that overpaid is being refunded."""
        return max(self.paid - (self.total - self.discount - (self.coupon_discount or 0)), 0)


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (UniqueConstraint("store_id", "client_key"), UniqueConstraint("store_id", "number"),
                      Index("ix_orders_store_created", "store_id", "created_at"))
    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    table_session_id: Mapped[int] = mapped_column(ForeignKey("table_sessions.id"), index=True)
    table_id: Mapped[int | None] = mapped_column(ForeignKey("tables.id"), nullable=True)  # None: takeaway
    diner_id: Mapped[int | None] = mapped_column(ForeignKey("diners.id"), nullable=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    client_key: Mapped[str] = mapped_column(Key(64))
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="submitted")
    payment_status: Mapped[str] = mapped_column(String(24), default="unpaid")
    total: Mapped[int] = mapped_column(Integer)  # lines + service charge
    # The store's service charge as it was when the order was placed (basis points), and its amount.
    service_charge_bp: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    service_charge: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    remark: Mapped[str] = mapped_column(Text, default="")
    # Takeaway: the number called out at the counter, per store and business day (1, 2, …).
    pickup_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    table_session: Mapped[TableSession] = relationship(back_populates="orders")
    table: Mapped[Table | None] = relationship()
    items: Mapped[list[OrderItem]] = relationship(back_populates="order", order_by="OrderItem.id")


class OrderItem(Base):
    __tablename__ = "order_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    name: Mapped[str] = mapped_column(String(80))
    station: Mapped[str] = mapped_column(String(20))
    qty: Mapped[int] = mapped_column(Integer)
    # [{"id", "name", "price_delta"}]: what the diner chose, priced as it was then.
    options: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    unit_price: Mapped[int] = mapped_column(Integer)
    line_total: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(16), default="new")  # new cooking done cancelled
    void_reason: Mapped[str | None] = mapped_column(String(200), nullable=True)
    cancelled_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    # Set when a payment paid for exactly these lines (a split by items): a line is paid once.
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"), nullable=True)
    order: Mapped[Order] = relationship(back_populates="items")


class Discount(Base):
    """Money taken off a check by staff, with a reason; ``amount`` is fixed in fen when given."""

    __tablename__ = "discounts"
    __table_args__ = (UniqueConstraint("store_id", "client_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    table_session_id: Mapped[int] = mapped_column(ForeignKey("table_sessions.id"), index=True)
    order_item_id: Mapped[int | None] = mapped_column(ForeignKey("order_items.id"), nullable=True)  # per line
    client_key: Mapped[str] = mapped_column(Key(64))
    kind: Mapped[str] = mapped_column(String(16))  # percent | amount
    value: Mapped[int] = mapped_column(Integer)  # percent: basis points (1000 = 10 %); amount: fen
    amount: Mapped[int] = mapped_column(Integer)  # fen off
    reason: Mapped[str] = mapped_column(String(200))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
