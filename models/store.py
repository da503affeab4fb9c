"""The tenant and its floor: stores, stations, areas, tables, and per-store counters."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Blob16M, Key, UTCDateTime, utcnow


class Store(Base):
    __tablename__ = "stores"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(Key(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    pay_mode: Mapped[str] = mapped_column(String(16), default="pay_later")
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    timezone: Mapped[str] = mapped_column(String(40), default="Asia/Shanghai")
    # Ticket age (minutes) at which the kitchen screen turns a ticket amber, then red.
    kds_warn_minutes: Mapped[int] = mapped_column(Integer, default=8, server_default="8")
    kds_late_minutes: Mapped[int] = mapped_column(Integer, default=15, server_default="15")
    # Ordering hours, "HH:MM" in the store's time zone (both null: always open; closes < opens wraps midnight).
    opens_at: Mapped[str | None] = mapped_column(String(5), nullable=True)
    closes_at: Mapped[str | None] = mapped_column(String(5), nullable=True)
    # Service charge in basis points of each order's subtotal (1000 = 10%); 0: none.
    service_charge_bp: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Bumped by every change to the menu's content (not stock): keys each process's menu cache.
    menu_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # The largest discount (basis points of a check) a cashier / a manager may give; owners: any.
    cashier_discount_bp: Mapped[int] = mapped_column(Integer, default=1000, server_default="1000")
    manager_discount_bp: Mapped[int] = mapped_column(Integer, default=3000, server_default="3000")
    # The most portions one round (order) and one check may hold: a phone cannot flood the kitchen.
    max_portions_round: Mapped[int] = mapped_column(Integer, default=200, server_default="200")
    max_portions_check: Mapped[int] = mapped_column(Integer, default=500, server_default="500")
    # Ask the diners how many they are (用餐人数) once per check: for stores that charge cutlery or
    # tea per person, and for the daily report's covers. Off: no headcount, covers null.
    ask_headcount: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class StoreCounter(Base):
    """A named per-store counter (kitchen event seq, order numbers), bumped under a row lock.

    The row lock taken by ``UPDATE … SET value = value + 1`` is held until commit, so values are
    handed out in commit order and without gaps — which is what a resuming screen relies on.
    """

    __tablename__ = "store_counters"
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


class Station(Base):
    __tablename__ = "stations"
    __table_args__ = (UniqueConstraint("store_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(50))
    sort: Mapped[int] = mapped_column(Integer, default=0)


class Area(Base):
    __tablename__ = "areas"
    __table_args__ = (UniqueConstraint("store_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    sort: Mapped[int] = mapped_column(Integer, default=0)


class WxaCode(Base):
    """A table's mini-program code as WeChat drew it (``wxacode.getUnlimited``), kept per QR version
    so it is fetched once and never served after the table's code was rotated."""

    __tablename__ = "wxa_codes"
    table_id: Mapped[int] = mapped_column(ForeignKey("tables.id"), primary_key=True)
    qr_version: Mapped[int] = mapped_column(Integer)
    image: Mapped[bytes] = mapped_column(Blob16M())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Table(Base):
    __tablename__ = "tables"
    __table_args__ = (UniqueConstraint("store_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"))
    code: Mapped[str] = mapped_column(String(20))
    seats: Mapped[int] = mapped_column(Integer, default=4)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Part of the signed QR token: bumping it voids every printed code of this table.
    qr_version: Mapped[int] = mapped_column(Integer, default=1)
    area: Mapped[Area | None] = relationship(lazy="joined")
