"""The menu as an order prices it: dishes, prices and options kept per process and menu version,
their live stock and sold-out read with each order (one narrow query).

Every console change to the menu bumps ``stores.menu_version`` (``catalog.announce_menu_change``),
so a kept copy is current exactly while the version is; stock and sold-out change with every
round and are never kept. The key also holds the database and the store's creation time, so a
process that serves several databases (the tests) never mixes two stores that share an id.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from domain.pricing import MenuItem
from models import Item
from services.menu import menu_for_pricing
from services.rows import core
from services.stores import OrderRules

_I = core(Item).c
_LIVE = select(_I.id, _I.stock, _I.sold_out).where(
    _I.store_id == bindparam("store_id"), _I.id.in_(bindparam("ids", expanding=True)), _I.active.is_(True))
_KEPT: dict[tuple[Any, ...], dict[int, MenuItem]] = {}
_KEEP_STORES = 512


def priced_menu(db: Session, store: OrderRules, item_ids: list[int]) -> dict[int, MenuItem]:
    """The store's active items among ``item_ids`` with live stock and sold-out; another store's
    ids are simply not found."""
    conn = db.connection()
    key = (conn.engine.url, store.id, store.created_at, store.menu_version)
    kept = _KEPT.get(key)
    live = conn.execute(_LIVE, {"store_id": store.id, "ids": sorted(set(item_ids))}).all()
    if kept is None or any(row[0] not in kept for row in live):
        # all of the store's dishes at once: the next rounds order others
        kept = menu_for_pricing(db, store.id, None)
        for old in [k for k in _KEPT if k[:3] == key[:3]]:
            del _KEPT[old]
        if len(_KEPT) >= _KEEP_STORES:
            _KEPT.pop(next(iter(_KEPT)))
        _KEPT[key] = kept
    return {row[0]: replace(kept[row[0]], stock=row[1], sold_out=bool(row[2])) for row in live if row[0] in kept}
