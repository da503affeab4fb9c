"""The manager's menu: categories, dishes, option groups and options, dish photos.

Every change commits in one transaction with its audit line (prices) and then tells every phone
in the store to reload its menu (``menu.updated`` with ``reload``). Orders already placed keep
their own snapshot of names and prices, so nothing here can change what a diner was charged.
Dishes are never deleted (orders point at them): they are taken off the menu (``active``).
"""
from __future__ import annotations

import functools
import hashlib
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from domain.checkout import normalize_code
from domain.errors import Conflict, NotFound, ValidationFailed
from domain.urls import THUMB_SIDES
from models import Category, Item, ItemPhoto, Option, OptionGroup, Station, Store, db
from services import audit, photos, sellout
from services.menu import announce_availability, store_item
from services.scoping import owned, taken
from services.uow import Outgoing, Tx, reading, transaction

ITEM_FIELDS = ("name", "description", "price", "station", "stock", "sold_out", "available_from", "available_until",
               "active", "sort", "code")


def announce_menu_change(tx: Tx, store_id: int) -> None:
    """The menu's content changed: a new menu version (every process's cache is stale), and
    every phone in the store reloads its menu after this commits."""
    tx.session.execute(update(Store).where(Store.id == store_id).values(menu_version=Store.menu_version + 1)
                       .execution_options(synchronize_session=False))
    tx.emit(Outgoing("store", "menu.updated", {"items": [], "reload": True}, store_id))


def admin_menu(store_id: int) -> list[Category]:
    """Every category with every dish (also those taken off the menu), options loaded."""
    with reading() as db:
        cats = list(db.execute(
            select(Category).where(Category.store_id == store_id).order_by(Category.sort, Category.id)
            .options(selectinload(Category.items).selectinload(Item.option_groups).selectinload(OptionGroup.options))
        ).scalars())
    return cats


# --- categories ------------------------------------------------------------------------------

def _category(db: Session, store_id: int, category_id: int) -> Category:
    return owned(db, Category, store_id, category_id, "category")


def save_category(store_id: int, changes: dict[str, Any], category_id: int | None = None) -> Category:
    with transaction() as tx:
        cat = Category(store_id=store_id, sort=0) if category_id is None else _category(tx.session, store_id,
                                                                                        category_id)
        for name in ("name", "sort"):
            if name in changes:
                setattr(cat, name, changes[name])
        tx.session.add(cat)
        announce_menu_change(tx, store_id)
    return cat


def delete_category(store_id: int, category_id: int) -> None:
    """Remove a category with no dishes in it (dishes are archived, never deleted: move them first)."""
    with transaction() as tx:
        cat = _category(tx.session, store_id, category_id)
        if tx.session.execute(select(Item.id).where(Item.category_id == cat.id).limit(1)).first():
            raise Conflict("this category still has dishes: move them to another category first")
        tx.session.delete(cat)
        announce_menu_change(tx, store_id)


# --- dishes ----------------------------------------------------------------------------------

def _check_station(db: Session, store_id: int, code: str) -> None:
    if not taken(db, Station, store_id, Station.code, code):
        raise ValidationFailed("unknown station", {"station": ["not a station of this store"]})


def save_item(store_id: int, changes: dict[str, Any], item_id: int | None = None,
              staff_id: int | None = None) -> Item:
    """Create a dish (``item_id`` None: needs category, name, price, station) or change one.

    Price changes are audited with before and after. Sold-out and stock changes reach phones
    as item updates; anything else makes them reload the menu.
    """
    with transaction() as tx:
        if item_id is None:
            item = Item(store_id=store_id, description="", sold_out=False, active=True, sort=0)
        else:
            item = store_item(tx.session, store_id, item_id)
        if "station" in changes:
            _check_station(tx.session, store_id, changes["station"])
        if "category_id" in changes:
            item.category = _category(tx.session, store_id, changes["category_id"])
        if changes.get("code") is not None:
            changes = changes | {"code": normalize_code(changes["code"])}
            if taken(tx.session, Item, store_id, Item.code, changes["code"], except_id=item_id):
                raise Conflict("another item has this code", {"code": ["taken"]})
        was = (item.sold_out, item.stock)
        fields = [n for n in ITEM_FIELDS if n in changes]
        before = {n: getattr(item, n) for n in fields}
        sold_out = changes.get("sold_out")
        if "stock" in changes and "sold_out" not in changes and changes["stock"] is not None:
            sold_out = changes["stock"] == 0
        if item_id is not None and sold_out is not None:  # before the dish row changes: lock order
            sold_out = _by_hand(tx, store_id, item, sold_out, explicit="sold_out" in changes)
        for name in fields:
            setattr(item, name, changes[name])
        if sold_out is not None:
            item.sold_out = sold_out
        tx.session.add(item)
        tx.session.flush()
        if item_id is None:
            audit.record(tx, store_id, staff_id, "item.create", "item", item.id, None,
                         {"name": item.name, "price": item.price})
            announce_menu_change(tx, store_id)
            return item
        after = {n: getattr(item, n) for n in fields}
        if before != after:
            audit.record(tx, store_id, staff_id, "item.price" if before.get("price") != after.get("price")
                         else "item.update", "item", item.id, before, after)
        if set(fields) - {"stock", "sold_out"}:
            announce_menu_change(tx, store_id)
        elif (item.sold_out, item.stock) != was:  # restocked, or taken off: every phone hears it
            announce_availability(tx, store_id, item.id, sold_out=item.sold_out, stock=item.stock)
    return item


def _by_hand(tx: Tx, store_id: int, item: Item, sold_out: bool, explicit: bool) -> bool:
    """What a person's sold-out flag (``explicit``) or daily stock makes of the flag: selling out by
    hand drops the ingredients' reason; lifting stays sold out while an ingredient cannot make a
    portion (docs/stock.md "By hand and by ingredients")."""
    if sold_out:
        if explicit:
            sellout.by_hand(tx, store_id, item.id)
        return True
    return bool(item.sold_out) and sellout.short_for(tx, store_id, item.id)


def set_photo(store_id: int, item_id: int, upload: bytes, staff_id: int | None = None) -> Item:
    """Check, re-encode and keep a dish photo (see ``services.photos``); replaces the old one."""
    image = photos.prepare_off_loop(upload)
    etag = hashlib.sha256(image.data).hexdigest()[:16]
    with transaction() as tx:
        item = store_item(tx.session, store_id, item_id)
        photo = tx.session.get(ItemPhoto, item.id)
        if photo is None:
            photo = ItemPhoto(item_id=item.id, store_id=store_id)
            tx.session.add(photo)
        photo.etag, photo.image, photo.width, photo.height = etag, image.data, image.width, image.height
        audit.record(tx, store_id, staff_id, "item.photo", "item", item.id, {"photo": item.photo_etag},
                     {"photo": etag})
        item.photo_etag = etag
        announce_menu_change(tx, store_id)
    return item


def remove_photo(store_id: int, item_id: int, staff_id: int | None = None) -> Item:
    with transaction() as tx:
        item = store_item(tx.session, store_id, item_id)
        photo = tx.session.get(ItemPhoto, item.id)
        if photo is not None:
            tx.session.delete(photo)
            audit.record(tx, store_id, staff_id, "item.photo", "item", item.id, {"photo": item.photo_etag},
                         {"photo": None})
            item.photo_etag = None
            announce_menu_change(tx, store_id)
    return item


def photo(item_id: int, etag: str) -> bytes:
    """A dish photo by its item and version (public: dishes' photos are on every diner's menu)."""
    with reading() as db:
        found = db.execute(
            select(ItemPhoto.image).where(ItemPhoto.item_id == item_id, ItemPhoto.etag == etag)
        ).scalar_one_or_none()
    if found is None:
        raise NotFound("no such photo")
    return found


@functools.lru_cache(maxsize=512)
def photo_thumbnail(item_id: int, etag: str, side: int) -> bytes:
    """A square thumbnail of a dish photo (``domain.urls.THUMB_SIDES``), made once per process: a
    photo's version never changes under its etag, so the cache is never stale. Raises NotFound."""
    if side not in THUMB_SIDES:
        raise NotFound("no such thumbnail size")
    return photos.thumbnail(photo(item_id, etag), side)


# --- option groups and options -----------------------------------------------------------------

def _group(db: Session, store_id: int, group_id: int) -> OptionGroup:
    return owned(db, OptionGroup, store_id, group_id, "option group")


def _check_group(db: Session, group: OptionGroup, allow_empty: bool = True) -> None:
    """min ≤ max, and a group never asks for more choices than it offers (an empty group, being
    set up, may wait for its options; deleting down to too few is refused)."""
    if group.min_select > group.max_select:
        raise ValidationFailed("a group's minimum cannot exceed its maximum", {"min": ["must be at most max"]})
    count = db.execute(select(func.count(Option.id)).where(Option.group_id == group.id)).scalar_one()
    if group.min_select > count and (count or not allow_empty):
        raise ValidationFailed("the group asks for more choices than it offers", {"min": [f"at most {count}"]})


def save_group(store_id: int, changes: dict[str, Any], item_id: int | None = None,
               group_id: int | None = None) -> OptionGroup:
    """Create a group on a dish (with its options, if given) or change one's name, min, max or order."""
    with transaction() as tx:
        if group_id is None:
            assert item_id is not None
            item = store_item(tx.session, store_id, item_id)
            group = OptionGroup(store_id=store_id, item_id=item.id, min_select=0, max_select=1, sort=0)
            tx.session.add(group)
        else:
            group = _group(tx.session, store_id, group_id)
        for src, dst in (("name", "name"), ("min", "min_select"), ("max", "max_select"), ("sort", "sort")):
            if src in changes:
                setattr(group, dst, changes[src])
        tx.session.flush()
        for i, opt in enumerate(changes.get("options") or []):
            tx.session.add(Option(store_id=store_id, group_id=group.id, name=opt["name"],
                                  price_delta=opt["price_delta"], sort=opt.get("sort", i)))
        tx.session.flush()
        _check_group(tx.session, group)
        announce_menu_change(tx, store_id)
    return _group(db.session(), store_id, group.id)


def delete_group(store_id: int, group_id: int) -> None:
    with transaction() as tx:
        tx.session.delete(_group(tx.session, store_id, group_id))
        announce_menu_change(tx, store_id)


def _option(db: Session, store_id: int, option_id: int) -> Option:
    return owned(db, Option, store_id, option_id, "option")


def save_option(store_id: int, changes: dict[str, Any], group_id: int | None = None,
                option_id: int | None = None, staff_id: int | None = None) -> Option:
    with transaction() as tx:
        if option_id is None:
            assert group_id is not None
            group = _group(tx.session, store_id, group_id)
            opt = Option(store_id=store_id, group_id=group.id, price_delta=0, sort=0)
            tx.session.add(opt)
        else:
            opt = _option(tx.session, store_id, option_id)
        before = {"price_delta": opt.price_delta}
        for name in ("name", "price_delta", "sort"):
            if name in changes:
                setattr(opt, name, changes[name])
        tx.session.flush()
        if option_id is not None and before["price_delta"] != opt.price_delta:
            audit.record(tx, store_id, staff_id, "option.price", "option", opt.id, before,
                         {"price_delta": opt.price_delta})
        announce_menu_change(tx, store_id)
    return opt


def delete_option(store_id: int, option_id: int) -> None:
    """Remove an option; a group left asking for more choices than it offers is refused."""
    with transaction() as tx:
        opt = _option(tx.session, store_id, option_id)
        group = opt.group
        tx.session.delete(opt)
        tx.session.flush()
        _check_group(tx.session, group, allow_empty=False)
        announce_menu_change(tx, store_id)
