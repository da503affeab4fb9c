"""Often ordered with (常一起点): for each dish, the dishes most often in the same round at this
store over the last 30 days. An aggregate of the store's rounds — no diner's profile is built or
kept — computed by one SQL self-join and kept per store for a few minutes in each process.
"""
from __future__ import annotations

import threading
import time
from datetime import timedelta
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from models import Item, Order, OrderItem, utcnow
from services.uow import reading

WINDOW = timedelta(days=30)
KEEP_SECONDS = 600.0  # a new pairing shows within ten minutes; the menu page asks often
TOP = 3

_cache: dict[int, tuple[float, dict[int, list[dict[str, Any]]]]] = {}
_guard = threading.Lock()


def often_with(store_id: int) -> dict[int, list[dict[str, Any]]]:
    """dish id → up to three ``{"item_id", "name", "count"}`` most often ordered in the same round,
    most first; only dishes still on the menu are suggested."""
    now = time.monotonic()
    with _guard:
        hit = _cache.get(store_id)
    if hit is not None and now - hit[0] < KEEP_SECONDS:
        return hit[1]
    pairs = _count_pairs(store_id)
    with _guard:
        _cache[store_id] = (now, pairs)
    return pairs


def forget_cache() -> None:
    with _guard:
        _cache.clear()


def _count_pairs(store_id: int) -> dict[int, list[dict[str, Any]]]:
    a, b = aliased(OrderItem), aliased(OrderItem)
    together = func.count(func.distinct(a.order_id))
    with reading() as s:
        rows = s.execute(
            select(a.item_id, b.item_id, together)
            .join(Order, Order.id == a.order_id)
            .join(b, and_(b.order_id == a.order_id, b.item_id != a.item_id, b.status != "cancelled"))
            .where(Order.store_id == store_id, Order.created_at >= utcnow() - WINDOW, Order.status != "cancelled",
                   a.status != "cancelled")
            .group_by(a.item_id, b.item_id)).all()
        on_menu = {i: n for i, n in s.execute(select(Item.id, Item.name).where(
            Item.store_id == store_id, Item.active.is_(True))).all()}
    out: dict[int, list[dict[str, Any]]] = {}
    for dish, other, count in sorted(rows, key=lambda r: (r[0], -r[2], r[1])):
        if other in on_menu and len(out.setdefault(dish, [])) < TOP:
            out[dish].append({"item_id": other, "name": on_menu[other], "count": int(count)})
    return out
