"""The manager's changes to the store: settings, items, table codes."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from domain.errors import Conflict, NotFound, ValidationFailed
from models import Item, Station, Store, Table, db
from services import audit
from services.menu import announce_availability, store_item
from services.uow import transaction

PAY_MODES = ("pay_first", "pay_later")


def update_store(store_id: int, changes: dict[str, Any], staff_id: int | None = None) -> Store:
    """Apply name / pay_mode / ticket timer changes to the caller's own store.

    Raises ValidationFailed when the amber threshold would not come before the red one.
    """
    with transaction() as tx:
        store = tx.session.get(Store, store_id)
        if store is None:
            raise NotFound("no such store")
        fields: list[str] = [n for n in ("name", "pay_mode", "kds_warn_minutes", "kds_late_minutes") if n in changes]
        before = {n: getattr(store, n) for n in fields}
        for name in fields:
            setattr(store, name, changes[name])
        if store.kds_warn_minutes >= store.kds_late_minutes:
            raise ValidationFailed("the warning must come before the late mark",
                                   {"kds_warn_minutes": ["must be less than kds_late_minutes"]})
        audit.record(tx, store_id, staff_id, "store.update", "store", store_id, before,
                     {n: getattr(store, n) for n in fields})
    return store


def update_item(store_id: int, item_id: int, changes: dict[str, Any], staff_id: int | None = None) -> Item:
    """Change an item's price, stock, sold-out flag, name or station. Orders already placed keep
    their own snapshot of name and price, so they never change."""
    with transaction() as tx:
        item = store_item(tx.session, store_id, item_id)
        if "station" in changes and tx.session.execute(
            select(Station.id).where(Station.store_id == store_id, Station.code == changes["station"])
        ).first() is None:
            raise ValidationFailed("unknown station", {"station": ["not a station of this store"]})
        was = (item.sold_out, item.stock)
        fields: list[str] = [n for n in ("price", "stock", "sold_out", "name", "station", "available_from",
                                         "available_until") if n in changes]
        before = {n: getattr(item, n) for n in fields}
        for name in fields:
            setattr(item, name, changes[name])
        if "stock" in changes and "sold_out" not in changes and changes["stock"] is not None:
            item.sold_out = changes["stock"] == 0
        if (item.sold_out, item.stock) != was:  # restocked, or taken off: every phone hears it
            announce_availability(tx, store_id, item.id, sold_out=item.sold_out, stock=item.stock)
        audit.record(tx, store_id, staff_id, "item.price" if "price" in fields else "item.update", "item", item.id,
                     before, {n: getattr(item, n) for n in fields})
    return item


def list_stations(store_id: int) -> list[Station]:
    return list(db.session.execute(
        select(Station).where(Station.store_id == store_id).order_by(Station.sort, Station.id)
    ).scalars())


def create_station(store_id: int, code: str, name: str, sort: int) -> Station:
    """A new kitchen station. Raises Conflict when the code is taken in this store."""
    with transaction() as tx:
        if tx.session.execute(
            select(Station.id).where(Station.store_id == store_id, Station.code == code)
        ).first():
            raise Conflict(f"station {code!r} exists")
        station = Station(store_id=store_id, code=code, name=name, sort=sort)
        tx.session.add(station)
    return station


def update_station(store_id: int, station_id: int, changes: dict[str, Any]) -> Station:
    """Rename or reorder a station (its code stays: items and screens refer to it)."""
    with transaction() as tx:
        station = tx.session.execute(
            select(Station).where(Station.id == station_id, Station.store_id == store_id)
        ).scalar_one_or_none()
        if station is None:
            raise NotFound("no such station")
        for name in ("name", "sort"):
            if name in changes:
                setattr(station, name, changes[name])
    return station


def get_table(store_id: int, table_id: int) -> Table:
    table = db.session.execute(
        select(Table).where(Table.id == table_id, Table.store_id == store_id)
    ).scalar_one_or_none()
    if table is None:
        raise NotFound("no such table")
    return table


def rotate_qr(store_id: int, table_id: int, staff_id: int | None = None) -> Table:
    """Issue the table a new QR token; every printed code of the old version stops working."""
    with transaction() as tx:
        table = tx.session.execute(
            select(Table).where(Table.id == table_id, Table.store_id == store_id)
        ).scalar_one_or_none()
        if table is None:
            raise NotFound("no such table")
        table.qr_version += 1
        audit.record(tx, store_id, staff_id, "table.rotate_qr", "table", table.id, {"qr_version": table.qr_version - 1},
                     {"qr_version": table.qr_version})
    return table
