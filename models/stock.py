"""Ingredients a store keeps, the recipes that use them, and every delivery and count.

Quantities are integers in the unit's smallest step (g, ml, pieces): ``on_hand`` never goes
below zero (orders take it with a conditional UPDATE).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Key, UTCDateTime, utcnow


class Ingredient(Base):
    __tablename__ = "ingredients"
    __table_args__ = (UniqueConstraint("store_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    unit: Mapped[str] = mapped_column(String(8))  # g | ml | pcs
    on_hand: Mapped[int] = mapped_column(Integer, default=0)
    low_at: Mapped[int] = mapped_column(Integer, default=0)  # low stock when on_hand <= low_at
    reorder_qty: Mapped[int] = mapped_column(Integer, default=0)  # what one order from the supplier brings
    active: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class RecipeLine(Base):
    """One portion of a dish takes ``qty`` of an ingredient; with ``option_id``, only when that
    option is chosen (加蛋: one egg)."""

    __tablename__ = "recipe_lines"
    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    option_id: Mapped[int | None] = mapped_column(ForeignKey("options.id"), nullable=True, index=True)
    ingredient_id: Mapped[int] = mapped_column(ForeignKey("ingredients.id"), index=True)
    qty: Mapped[int] = mapped_column(Integer)


class StockMove(Base):
    """A delivery (``qty`` added) or a count (``on_hand`` set to ``counted``; ``variance`` =
    counted − expected). Retried writes find their first move by ``client_key``."""

    __tablename__ = "stock_moves"
    __table_args__ = (UniqueConstraint("store_id", "client_key"),
                      Index("ix_stock_moves_ingredient", "ingredient_id", "id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    ingredient_id: Mapped[int] = mapped_column(ForeignKey("ingredients.id"))
    kind: Mapped[str] = mapped_column(String(16))  # delivery | count
    client_key: Mapped[str] = mapped_column(Key(64))
    qty: Mapped[int] = mapped_column(Integer)  # change to on_hand
    expected: Mapped[int | None] = mapped_column(Integer, nullable=True)  # count: on_hand before
    counted: Mapped[int | None] = mapped_column(Integer, nullable=True)
    variance: Mapped[int | None] = mapped_column(Integer, nullable=True)  # count: counted − expected
    on_hand_after: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(String(200), default="")
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class StockSellout(Base):
    """A dish sold out because an ingredient ran short (not by hand, not by its own daily stock):
    restocking brings back exactly these dishes, once none of their ingredients is short."""

    __tablename__ = "stock_sellouts"
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
