"""Reading the menu: for diners (categories with items) and for pricing (plain values)."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from domain.errors import NotFound
from domain.pricing import MenuGroup, MenuItem, MenuOption
from models import Category, Item, OptionGroup, Store, db
from services import audit
from services.scoping import owned
from services.uow import Outgoing, Tx, reading, transaction


def store_menu(store_id: int) -> list[tuple[Category, list[Item]]]:
    """Categories in order, each with its active items (option groups and options loaded)."""
    if db.session.get(Store, store_id) is None:
        raise NotFound("unknown store")
    cats = db.session.execute(
        select(Category).where(Category.store_id == store_id).order_by(Category.sort, Category.id)
        .options(selectinload(Category.items).selectinload(Item.option_groups).selectinload(OptionGroup.options))
    ).scalars().all()
    menu = [(cat, [i for i in cat.items if i.active]) for cat in cats]
    return [(cat, items) for cat, items in menu if items]


# store_id -> (menu_version, ids of the items on the menu, the menu as JSON-ready data)
_CACHE: dict[int, tuple[int, frozenset[int], dict[str, Any]]] = {}
_CACHE_STORES = 512


def menu_payload(store_id: int, dump: Callable[[list[tuple[Category, list[Item]]]], dict[str, Any]]) -> dict[str, Any]:
    """The diner's menu as JSON-ready data, built once per menu version and process.

    Two small queries per request: the store's ``menu_version`` (bumped by every console change)
    and each item's live stock and sold-out flag, laid over the cached menu. A set of items that
    differs from the cached one (added or taken off by any path) rebuilds it too.
    """
    with reading() as db:
        version = db.execute(select(Store.menu_version).where(Store.id == store_id)).scalar_one_or_none()
        if version is None:
            raise NotFound("unknown store")
        live = {row.id: (row.stock, row.sold_out) for row in db.execute(
            select(Item.id, Item.stock, Item.sold_out).where(Item.store_id == store_id, Item.active.is_(True)))}
        cached = _CACHE.get(store_id)
        if cached is None or cached[0] != version or cached[1] != frozenset(live):
            cached = (version, frozenset(live), dump(store_menu(store_id)))
            if len(_CACHE) >= _CACHE_STORES:
                _CACHE.pop(next(iter(_CACHE)))
            _CACHE[store_id] = cached
    return {"categories": [
        {**cat, "items": [{**item, "stock": live[item["id"]][0], "sold_out": live[item["id"]][1]}
                          for item in cat["items"]]}
        for cat in cached[2]["categories"]]}


def to_menu_item(item: Item) -> MenuItem:
    return MenuItem(
        id=item.id, name=item.name, price=item.price, station=item.station, sold_out=item.sold_out,
        stock=item.stock, available_from=item.available_from, available_until=item.available_until,
        groups=tuple(
            MenuGroup(id=g.id, name=g.name, min_select=g.min_select, max_select=g.max_select,
                      options=tuple(MenuOption(o.id, o.name, o.price_delta) for o in g.options))
            for g in item.option_groups
        ),
    )


def menu_for_pricing(db: Session, store_id: int, item_ids: Iterable[int]) -> dict[int, MenuItem]:
    """The store's active items among ``item_ids``; another store's ids simply are not found."""
    items = db.execute(
        select(Item).where(Item.store_id == store_id, Item.id.in_(set(item_ids)), Item.active.is_(True))
        .options(selectinload(Item.option_groups).selectinload(OptionGroup.options))
    ).scalars().all()
    return {i.id: to_menu_item(i) for i in items}


def store_clock(store: Store) -> str:
    """The store's local time as "HH:MM", for serving hours."""
    return datetime.now(ZoneInfo(store.timezone)).strftime("%H:%M")


def store_day(store: Store) -> str:
    """The store's business date as "YYYYMMDD" (its own time zone, not the server's)."""
    return datetime.now(ZoneInfo(store.timezone)).strftime("%Y%m%d")


def announce_availability(tx: Tx, store_id: int, item_id: int, sold_out: bool, stock: int | None) -> None:
    """Tell every phone in the store at once that an item sold out or came back."""
    tx.emit(Outgoing("store", "menu.updated", {"items": [{"id": item_id, "sold_out": sold_out, "stock": stock}]},
                     store_id))


def store_item(db: Session, store_id: int, item_id: int) -> Item:
    """The store's item; NotFound for an unknown id or another store's."""
    return owned(db, Item, store_id, item_id, "item")


def set_sold_out(store_id: int, item_id: int, sold_out: bool, staff_id: int | None = None,
                 screen: str | None = None) -> Item:
    """Mark a dish sold out (估清, or back on) from the kitchen or the console; every phone hears it at
    once, and the audit log says who (the cook, or the paired ``screen``) did it."""
    with transaction() as tx:
        item = store_item(tx.session, store_id, item_id)
        if item.sold_out != sold_out:
            item.sold_out = sold_out
            announce_availability(tx, store_id, item.id, sold_out=sold_out, stock=item.stock)
            after: dict[str, Any] = {"sold_out": sold_out} | ({"screen": screen} if screen else {})
            audit.record(tx, store_id, staff_id, "item.sold_out", "item", item.id, {"sold_out": not sold_out}, after)
    return item
