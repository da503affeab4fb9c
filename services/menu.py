"""Reading the menu: for diners (categories with items) and for pricing (plain values)."""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, Protocol, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, and_, bindparam, select
from sqlalchemy.orm import Session, joinedload, selectinload

from domain.errors import NotFound
from domain.pricing import MenuGroup, MenuItem, MenuOption
from models import Category, Item, OptionGroup, Store, db
from services import audit, menu_freshness, sellout
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
# store_id -> (menu_version and every item's live stock and sold-out, the answer as the caller encoded it)
_ANSWERS: dict[int, tuple[tuple[Any, ...], Any]] = {}
_CACHE_STORES = 512
Dump = Callable[[list[tuple[Category, list[Item]]]], dict[str, Any]]
T = TypeVar("T")


# built once: constructing the statement costs more than running it from SQLAlchemy's cache
_LIVE = (select(Store.menu_version, Item.id, Item.stock, Item.sold_out).select_from(Store)
         .outerjoin(Item, and_(Item.store_id == Store.id, Item.active.is_(True)))
         .where(Store.id == bindparam("store_id")).order_by(Item.id))


def _live(store_id: int, on: Session | Connection) -> tuple[int, dict[int, tuple[int | None, bool]]]:
    """The store's ``menu_version`` and each active item's live (stock, sold_out), in one query.
    Raises NotFound for an unknown store."""
    rows = on.execute(_LIVE, {"store_id": store_id}).all()
    if not rows:
        raise NotFound("unknown store")
    return rows[0][0], {row[1]: (row[2], row[3]) for row in rows if row[1] is not None}


def _keep(cache: dict[int, Any], store_id: int, value: Any) -> None:
    if store_id not in cache and len(cache) >= _CACHE_STORES:
        cache.pop(next(iter(cache)))
    cache[store_id] = value


def _overlay(store_id: int, version: int, live: dict[int, tuple[int | None, bool]], dump: Dump) -> dict[str, Any]:
    cached = _CACHE.get(store_id)
    if cached is None or cached[0] != version or cached[1] != frozenset(live):
        with reading():
            cached = (version, frozenset(live), dump(store_menu(store_id)))
        _keep(_CACHE, store_id, cached)
    return {"categories": [
        {**cat, "items": [{**item, "stock": live[item["id"]][0], "sold_out": live[item["id"]][1]}
                          for item in cat["items"]]}
        for cat in cached[2]["categories"]]}


def menu_payload(store_id: int, dump: Dump) -> dict[str, Any]:
    """The diner's menu as JSON-ready data, built once per menu version and process.

    One small query per request: the store's ``menu_version`` (bumped by every console change)
    with each item's live stock and sold-out flag, laid over the cached menu. A set of items that
    differs from the cached one (added or taken off by any path) rebuilds it too.
    """
    with reading() as db_:
        version, live = _live(store_id, db_)
    return _overlay(store_id, version, live, dump)


def cached_answer(store_id: int, engine: Engine, fresh_for: float = 0.0) -> Any | None:
    """The answer ``menu_answer`` kept for this store, if it is still current; None when there is
    none or it is out of date. Within ``fresh_for`` seconds of a check that found it current (and
    no write of this process since: ``services.menu_freshness``) without a query; otherwise with
    one query on a connection of its own (no app context needed)."""
    hit = _ANSWERS.get(store_id)
    if hit is None:
        return None
    if menu_freshness.fresh(store_id, fresh_for):
        return hit[1]
    began, generation = time.monotonic(), menu_freshness.generation()
    try:
        # not the ORM session: half the cost, and no app context; one SELECT needs no transaction
        with engine.connect().execution_options(lone_read=True) as conn:
            version, live = _live(store_id, conn)
    except NotFound:
        return None
    if hit[0] != (version, *live.items()):
        return None
    if _ANSWERS.get(store_id) is hit:  # not replaced while the check ran
        menu_freshness.checked(store_id, began, generation)
    return hit[1]


def menu_answer(store_id: int, dump: Dump, encode: Callable[[dict[str, Any]], T]) -> T:
    """``encode(menu_payload(...))``, kept while neither the menu version nor any item's stock or
    sold-out changes: the one query of ``menu_payload`` and nothing else per request."""
    began, generation = time.monotonic(), menu_freshness.generation()
    with reading() as db_:
        version, live = _live(store_id, db_)
    key = (version, *live.items())
    hit = _ANSWERS.get(store_id)
    if hit is not None and hit[0] == key:
        answer: T = hit[1]
    else:
        answer = encode(_overlay(store_id, version, live, dump))
        _keep(_ANSWERS, store_id, (key, answer))
    menu_freshness.checked(store_id, began, generation)
    return answer


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


def menu_for_pricing(db: Session, store_id: int, item_ids: Iterable[int] | None) -> dict[int, MenuItem]:
    """The store's active items among ``item_ids`` (None: all of them); another store's ids simply
    are not found."""
    query = select(Item).where(Item.store_id == store_id, Item.active.is_(True))
    if item_ids is not None:
        query = query.where(Item.id.in_(set(item_ids)))
    items = db.execute(  # one statement (joined), not one per level (selectin)
        query.options(joinedload(Item.option_groups).joinedload(OptionGroup.options))
    ).unique().scalars().all()
    return {i.id: to_menu_item(i) for i in items}


class Zoned(Protocol):
    @property
    def timezone(self) -> str: ...


def store_clock(store: Zoned) -> str:
    """The store's local time as "HH:MM", for serving hours."""
    return datetime.now(ZoneInfo(store.timezone)).strftime("%H:%M")


def store_day(store: Zoned) -> str:
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
        if sold_out and item.sold_out and sellout.by_hand(tx, store_id, item.id):
            # sold out by ingredients already: the sell-out is the person's now, no delivery lifts it
            audit.record(tx, store_id, staff_id, "item.sold_out", "item", item.id,
                         {"sold_out": True, "by": "ingredients"}, {"sold_out": True, "by": "hand"})
        elif not sold_out and item.sold_out and sellout.short_for(tx, store_id, item.id):
            return item  # an ingredient cannot make a portion: stays sold out, by ingredients
        if item.sold_out != sold_out:
            item.sold_out = sold_out
            announce_availability(tx, store_id, item.id, sold_out=sold_out, stock=item.stock)
            after: dict[str, Any] = {"sold_out": sold_out} | ({"screen": screen} if screen else {})
            audit.record(tx, store_id, staff_id, "item.sold_out", "item", item.id, {"sold_out": not sold_out}, after)
    return item
