"""The menu: categories, items, option groups and options. Prices are integer fen."""
from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Blob16M, Key


class Category(Base):
    __tablename__ = "categories"
    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    sort: Mapped[int] = mapped_column(Integer, default=0)
    items: Mapped[list[Item]] = relationship(back_populates="category", order_by="Item.sort, Item.id")


class Item(Base):
    __tablename__ = "items"
    __table_args__ = (UniqueConstraint("store_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(Text, default="")
    price: Mapped[int] = mapped_column(Integer)  # fen
    station: Mapped[str] = mapped_column(String(20))
    stock: Mapped[int | None] = mapped_column(Integer, nullable=True)  # None: unlimited
    sold_out: Mapped[bool] = mapped_column(Boolean, default=False)
    # "HH:MM" in the store's time zone; both null: all day. until < from wraps past midnight.
    available_from: Mapped[str | None] = mapped_column(String(5), nullable=True)
    available_until: Mapped[str | None] = mapped_column(String(5), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort: Mapped[int] = mapped_column(Integer, default=0)
    # Short hash of the current photo (its URL changes with it, so it can be cached for ever); None: no photo.
    photo_etag: Mapped[str | None] = mapped_column(String(16), nullable=True)
    # What the barcode or QR on the dish or shelf says (EAN-13 or any text); unique in the store.
    code: Mapped[str | None] = mapped_column(Key(64), nullable=True)  # byte for byte: "A1" is not "a1"
    category: Mapped[Category] = relationship(back_populates="items")
    option_groups: Mapped[list[OptionGroup]] = relationship(
        back_populates="item", order_by="OptionGroup.sort, OptionGroup.id", cascade="all, delete-orphan"
    )


class OptionGroup(Base):
    __tablename__ = "option_groups"
    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    min_select: Mapped[int] = mapped_column(Integer, default=0)
    max_select: Mapped[int] = mapped_column(Integer, default=1)
    sort: Mapped[int] = mapped_column(Integer, default=0)
    item: Mapped[Item] = relationship(back_populates="option_groups")
    options: Mapped[list[Option]] = relationship(
        back_populates="group", order_by="Option.sort, Option.id", cascade="all, delete-orphan"
    )

    @property
    def required(self) -> bool:
        return self.min_select > 0


class Option(Base):
    __tablename__ = "options"
    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("option_groups.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    price_delta: Mapped[int] = mapped_column(Integer, default=0)  # fen, may be negative
    sort: Mapped[int] = mapped_column(Integer, default=0)
    group: Mapped[OptionGroup] = relationship(back_populates="options")


class ItemPhoto(Base):
    """A dish's photo, re-encoded by us as JPEG (never the uploaded bytes), one per item."""

    __tablename__ = "item_photos"
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    etag: Mapped[str] = mapped_column(String(16))
    image: Mapped[bytes] = mapped_column(Blob16M())
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
