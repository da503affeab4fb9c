"""The manager's changes to the store: settings, areas and tables, table codes, stations.

Every function takes the caller's store id and only ever touches rows of that store: another
store's id is simply not found.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

import models
from domain.errors import Conflict, NotFound, ValidationFailed
from models import Area, Station, Store, Table, WxaCode, db
from services import audit, tables
from services.context import setting
from services.scoping import owned, taken
from services.uow import keys_revoked, reading, transaction

STORE_SETTINGS = ("name", "pay_mode", "kds_warn_minutes", "kds_late_minutes", "opens_at", "closes_at",
                  "service_charge_bp", "max_portions_round", "max_portions_check", "cashier_discount_bp",
                  "manager_discount_bp", "ask_headcount")


def update_store(store_id: int, changes: dict[str, Any], staff_id: int | None = None) -> Store:
    """Apply name / pay_mode / ticket timer changes to the caller's own store.

    Raises ValidationFailed when the amber threshold would not come before the red one.
    """
    with transaction() as tx:
        store = tx.session.get(Store, store_id)
        if store is None:
            raise NotFound("no such store")
        fields: list[str] = [n for n in STORE_SETTINGS if n in changes]
        before = {n: getattr(store, n) for n in fields}
        for name in fields:
            setattr(store, name, changes[name])
        if (store.opens_at is None) != (store.closes_at is None):
            missing = "closes_at" if store.closes_at is None else "opens_at"
            raise ValidationFailed("give both opening and closing time, or neither", {missing: ["required"]})
        if store.opens_at is not None and store.opens_at == store.closes_at:
            raise ValidationFailed("opening and closing time are the same", {"closes_at": ["must differ"]})
        if store.max_portions_round > store.max_portions_check:
            raise ValidationFailed("a round cannot hold more than a check",
                                   {"max_portions_round": ["must not exceed max_portions_check"]})
        if store.kds_warn_minutes >= store.kds_late_minutes:
            raise ValidationFailed("the warning must come before the late mark",
                                   {"kds_warn_minutes": ["must be less than kds_late_minutes"]})
        audit.record(tx, store_id, staff_id, "store.update", "store", store_id, before,
                     {n: getattr(store, n) for n in fields})
    return store


def list_stations(store_id: int) -> list[Station]:
    return list(db.session.execute(
        select(Station).where(Station.store_id == store_id).order_by(Station.sort, Station.id)
    ).scalars())


def create_station(store_id: int, code: str, name: str, sort: int) -> Station:
    """A new kitchen station. Raises Conflict when the code is taken in this store."""
    with transaction() as tx:
        if taken(tx.session, Station, store_id, Station.code, code):
            raise Conflict("station {code} exists", code=repr(code))
        station = Station(store_id=store_id, code=code, name=name, sort=sort)
        tx.session.add(station)
    return station


def update_station(store_id: int, station_id: int, changes: dict[str, Any]) -> Station:
    """Rename or reorder a station (its code stays: items and screens refer to it)."""
    with transaction() as tx:
        station = owned(tx.session, Station, store_id, station_id, "station")
        for name in ("name", "sort"):
            if name in changes:
                setattr(station, name, changes[name])
    return station


def get_store(store_id: int) -> Store:
    store = db.session.get(Store, store_id)
    if store is None:
        raise NotFound("no such store")
    return store


def get_table(store_id: int, table_id: int, db: Session | None = None) -> Table:
    return owned(db or models.db.session(), Table, store_id, table_id, "table")


# --- areas -----------------------------------------------------------------------------------

def list_areas(store_id: int) -> list[Area]:
    return list(db.session.execute(
        select(Area).where(Area.store_id == store_id).order_by(Area.sort, Area.id)
    ).scalars())


def _area(db: Session, store_id: int, area_id: int) -> Area:
    return owned(db, Area, store_id, area_id, "area")


def save_area(store_id: int, changes: dict[str, Any], area_id: int | None = None,
              staff_id: int | None = None) -> Area:
    """Create an area (``area_id`` None) or rename / reorder one. Conflict when the name is taken."""
    with transaction() as tx:
        area = Area(store_id=store_id, sort=0) if area_id is None else _area(tx.session, store_id, area_id)
        if "name" in changes and taken(tx.session, Area, store_id, Area.name, changes["name"], area_id):
            raise Conflict("an area of that name exists", {"name": ["already used"]})
        for name in ("name", "sort"):
            if name in changes:
                setattr(area, name, changes[name])
        tx.session.add(area)
        if area_id is None:
            tx.session.flush()
            audit.record(tx, store_id, staff_id, "area.create", "area", area.id, None, {"name": area.name})
    return area


def delete_area(store_id: int, area_id: int) -> None:
    """Remove an empty area. Conflict while tables are still in it."""
    with transaction() as tx:
        area = _area(tx.session, store_id, area_id)
        if tx.session.execute(select(Table.id).where(Table.area_id == area.id).limit(1)).first():
            raise Conflict("move or disable its tables first: tables still belong to this area")
        tx.session.delete(area)


# --- tables ----------------------------------------------------------------------------------

def save_table(store_id: int, changes: dict[str, Any], table_id: int | None = None,
               staff_id: int | None = None) -> Table:
    """Create a table or change its code, area, seats or whether it takes orders.

    A disabled table's codes stop resolving at once (diners see "unknown table"); its open check,
    if any, stays for the cashier to settle. Conflict when the code is taken in this store.
    """
    with transaction() as tx:
        table = (Table(store_id=store_id, seats=4, active=True, qr_version=1) if table_id is None
                 else get_table(store_id, table_id, tx.session))
        if "code" in changes and taken(tx.session, Table, store_id, Table.code, changes["code"], table_id):
            raise Conflict("a table with that code exists", {"code": ["already used"]})
        if changes.get("area_id") is not None:
            table.area = _area(tx.session, store_id, changes["area_id"])
        elif "area_id" in changes:
            table.area = None
        fields = [n for n in ("code", "seats", "active") if n in changes]
        before = {n: getattr(table, n) for n in fields}
        for name in fields:
            setattr(table, name, changes[name])
        tx.session.add(table)
        tx.session.flush()
        if table_id is None:
            audit.record(tx, store_id, staff_id, "table.create", "table", table.id, None,
                         {"code": table.code, "seats": table.seats} | ({"area": table.area.name} if table.area else {}))
        if table_id is not None and "active" in fields and before["active"] != table.active:
            audit.record(tx, store_id, staff_id, "table.enable" if table.active else "table.disable", "table",
                         table.id, {"active": before["active"]}, {"active": table.active})
            if not table.active:
                tx.emit(keys_revoked(store_id))  # phones on a disabled table are cut off at once
    return table


def rotate_qr(store_id: int, table_id: int, staff_id: int | None = None) -> Table:
    """Issue the table a new QR token; every printed code of the old version stops working."""
    with transaction() as tx:
        table = get_table(store_id, table_id, tx.session)
        table.qr_version += 1
        tx.session.execute(delete(WxaCode).where(WxaCode.table_id == table.id))
        audit.record(tx, store_id, staff_id, "table.rotate_qr", "table", table.id, {"qr_version": table.qr_version - 1},
                     {"qr_version": table.qr_version})
        tx.emit(keys_revoked(store_id))  # the last party's phones hear nothing of the next party's
    return table


def wxa_code(store_id: int, table_id: int) -> bytes:
    """The table's mini-program code (PNG), drawn by WeChat once per QR version and kept.

    The scene is the table's QR token, so a rotated table's old mini-program codes die with its
    printed QR codes. Raises UpstreamError when WeChat cannot draw it.
    """
    from sqlalchemy.exc import IntegrityError

    from wechat import miniprogram

    with reading() as db:  # ended before WeChat is asked
        table = get_table(store_id, table_id, db)
        cached = db.get(WxaCode, table.id)
        if cached is not None and cached.qr_version == table.qr_version:
            return cached.image
        version, token = table.qr_version, tables.qr_token(table)
    image = miniprogram.table_code(token, setting("WECHAT_TABLE_PAGE"))
    try:
        with transaction() as tx:
            tx.session.execute(delete(WxaCode).where(WxaCode.table_id == table_id))
            tx.session.add(WxaCode(table_id=table_id, qr_version=version, image=image))
    except IntegrityError:  # another process stored it at the same moment: theirs is as good
        pass
    return image
