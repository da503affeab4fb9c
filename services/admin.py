"""The manager's changes to the store: settings, items, table codes."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from domain.errors import NotFound, ValidationFailed
from models import Item, Station, Store, Table, db
from services.uow import transaction

PAY_MODES = ("pay_first", "pay_later")


def update_store(store_id: int, changes: dict[str, Any]) -> Store:
    """Apply name / pay_mode changes to the caller's own store."""
    with transaction() as tx:
        store = tx.session.get(Store, store_id)
        if store is None:
            raise NotFound("no such store")
        for name in ("name", "pay_mode"):
            if name in changes:
                setattr(store, name, changes[name])
    return store


def update_item(store_id: int, item_id: int, changes: dict[str, Any]) -> Item:
    """Change an item's price, stock, sold-out flag, name or station. Orders already placed keep
    their own snapshot of name and price, so they never change."""
    with transaction() as tx:
        item = tx.session.execute(
            select(Item).where(Item.id == item_id, Item.store_id == store_id)
        ).scalar_one_or_none()
        if item is None:
            raise NotFound("no such item")
        if "station" in changes and tx.session.execute(
            select(Station.id).where(Station.store_id == store_id, Station.code == changes["station"])
        ).first() is None:
            raise ValidationFailed("unknown station", {"station": ["not a station of this store"]})
        for name in ("price", "stock", "sold_out", "name", "station"):
            if name in changes:
                setattr(item, name, changes[name])
        if "stock" in changes and "sold_out" not in changes and changes["stock"] is not None:
            item.sold_out = changes["stock"] == 0
    return item


def get_table(store_id: int, table_id: int) -> Table:
    table = db.session.execute(
        select(Table).where(Table.id == table_id, Table.store_id == store_id)
    ).scalar_one_or_none()
    if table is None:
        raise NotFound("no such table")
    return table


def rotate_qr(store_id: int, table_id: int) -> Table:
    """Issue the table a new QR token; every printed code of the old version stops working."""
    with transaction() as tx:
        table = tx.session.execute(
            select(Table).where(Table.id == table_id, Table.store_id == store_id)
        ).scalar_one_or_none()
        if table is None:
            raise NotFound("no such table")
        table.qr_version += 1
    return table
