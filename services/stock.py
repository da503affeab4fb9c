"""Ingredient stock as orders use it: a round takes its ingredients in the order's transaction,
and dishes sell out (and come back) with the ingredients they need.

Lock order: a round, a cancel and a delivery lock ingredient rows (in id order) before any dish
row (its daily stock, its sold-out flag). A dish sold out here needs an ingredient this round holds,
so any round taking that dish's stock waits on the ingredient first: no lock-order deadlock.

Rules (docs/stock.md):
- A round takes, per ingredient, the portions' recipe quantities (the dish's own recipe plus the
  chosen options') with one conditional UPDATE each, in ingredient id order (no lock-order
  deadlocks between rounds): ``on_hand`` never goes below zero. One short → the whole round is
  refused (409 ``sold_out``) naming the dish, and nothing is taken.
- When what is left of an ingredient no longer makes one portion of a dish, that dish is sold out
  at once (``Item.sold_out``, a ``StockSellout`` row saying why, ``menu.updated`` after commit).
- Restocking (a delivery, a count, a line given back) brings back exactly the dishes sold out by
  ingredient stock whose ingredients all make a portion again; a dish sold out by hand or by its
  own daily stock stays sold out.
- A line cancelled or voided before the kitchen started it (status ``new``) gives its ingredients
  back; once cooking or done they are used up (waste).
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import and_, delete, or_, select, update

from domain.errors import SoldOut
from domain.pricing import PricedOrder
from models import Ingredient, Item, OrderItem, RecipeLine, StockSellout, utcnow
from services.menu import announce_availability
from services.rows import core
from services.uow import Tx

Needs = dict[int, int]  # ingredient id -> quantity
_ING = core(Ingredient)


def _recipes(tx: Tx, store_id: int, item_ids: Iterable[int]) -> list[tuple[int, int | None, int, int]]:
    """(item_id, option_id, ingredient_id, qty) of these dishes' recipes, options' included."""
    ids = sorted(set(item_ids))
    if not ids:
        return []
    r = core(RecipeLine).c
    return [(row.item_id, row.option_id, row.ingredient_id, row.qty) for row in tx.session.connection().execute(
        select(r.item_id, r.option_id, r.ingredient_id, r.qty).where(r.store_id == store_id, r.item_id.in_(ids)))]


def _needs(recipes: list[tuple[int, int | None, int, int]],
           lines: Iterable[tuple[int, int, Iterable[int]]]) -> tuple[Needs, dict[int, list[int]]]:
    """What ``lines`` of (item_id, qty, option ids) take, and which dishes need each ingredient."""
    needs: Needs = {}
    users: dict[int, list[int]] = {}
    for item_id, qty, option_ids in lines:
        chosen = set(option_ids)
        for r_item, r_option, ingredient_id, per_portion in recipes:
            if r_item == item_id and (r_option is None or r_option in chosen):
                needs[ingredient_id] = needs.get(ingredient_id, 0) + per_portion * qty
                if item_id not in users.setdefault(ingredient_id, []):
                    users[ingredient_id].append(item_id)
    return needs, users


def take_for_round(tx: Tx, store_id: int, priced: PricedOrder) -> None:
    """Take a priced round's ingredients (see the module's rules). Raises SoldOut naming the dish."""
    recipes = _recipes(tx, store_id, (ln.item_id for ln in priced.lines))
    if not recipes:
        return
    needs, users = _needs(recipes, ((ln.item_id, ln.qty, (o.id for o in ln.options)) for ln in priced.lines))
    for ingredient_id, qty in sorted(needs.items()):  # fixed order: no lock-order deadlocks
        if qty <= 0:
            continue
        taken = tx.session.connection().execute(  # Core: no ORM update machinery per ingredient
            update(_ING).where(_ING.c.id == ingredient_id, _ING.c.store_id == store_id, _ING.c.on_hand >= qty)
            .values(on_hand=_ING.c.on_hand - qty))
        if taken.rowcount == 0:
            names = {ln.item_id: ln.name for ln in priced.lines}
            dishes = users.get(ingredient_id, [])
            raise SoldOut("{name} is sold out", {"items": [f"item {i} short" for i in dishes]},
                          name="、".join(names[i] for i in dishes))
    sell_out_short(tx, store_id, list(needs))


def sell_out_short(tx: Tx, store_id: int, ingredient_ids: list[int]) -> list[int]:
    """Sell out every dish (not sold out yet) whose own recipe needs more of one of these
    ingredients than is left; returns their ids."""
    if not ingredient_ids:
        return []
    short = sorted(set(tx.session.execute(
        select(RecipeLine.item_id).join(Ingredient, Ingredient.id == RecipeLine.ingredient_id)
        .join(Item, Item.id == RecipeLine.item_id)
        .where(RecipeLine.store_id == store_id, RecipeLine.option_id.is_(None),
               RecipeLine.ingredient_id.in_(ingredient_ids), Ingredient.on_hand < RecipeLine.qty,
               Item.sold_out.is_(False))).scalars()))
    sold: list[int] = []
    for item_id in short:  # id order, one row each: only the transaction that flips it records why
        flipped = tx.session.execute(
            update(Item).where(Item.id == item_id, Item.store_id == store_id, Item.sold_out.is_(False))
            .values(sold_out=True).execution_options(synchronize_session=False))
        if flipped.rowcount:  # type: ignore[attr-defined]
            tx.session.add(StockSellout(item_id=item_id, store_id=store_id, created_at=utcnow()))
            sold.append(item_id)
    _announce(tx, store_id, sold, sold_out=True)
    return sold


def bring_back(tx: Tx, store_id: int, ingredient_ids: list[int]) -> list[int]:
    """Dishes sold out by ingredient stock that need one of these ingredients and whose own
    recipe is all on hand again come back on the menu (unless their daily stock is 0)."""
    if not ingredient_ids:
        return []
    blocked = sorted(set(tx.session.execute(
        select(StockSellout.item_id).join(RecipeLine, RecipeLine.item_id == StockSellout.item_id)
        .where(StockSellout.store_id == store_id, RecipeLine.option_id.is_(None),
               RecipeLine.ingredient_id.in_(ingredient_ids))).scalars()))
    if not blocked:
        return []
    still_short = set(tx.session.execute(
        select(RecipeLine.item_id).join(Ingredient, Ingredient.id == RecipeLine.ingredient_id)
        .where(RecipeLine.item_id.in_(blocked), RecipeLine.option_id.is_(None),
               Ingredient.on_hand < RecipeLine.qty)).scalars())
    back = [i for i in blocked if i not in still_short]
    return release(tx, store_id, back)


def release(tx: Tx, store_id: int, item_ids: list[int]) -> list[int]:
    """Drop the ingredient sell-out of these dishes and put them back on the menu."""
    if not item_ids:
        return []
    tx.session.execute(delete(StockSellout).where(StockSellout.store_id == store_id,
                                                  StockSellout.item_id.in_(item_ids)))
    tx.session.execute(
        update(Item).where(Item.id.in_(item_ids), Item.store_id == store_id,
                           or_(Item.stock.is_(None), Item.stock > 0))
        .values(sold_out=False).execution_options(synchronize_session=False))
    _announce(tx, store_id, item_ids, sold_out=False)
    return item_ids


def _announce(tx: Tx, store_id: int, item_ids: list[int], sold_out: bool) -> None:
    if not item_ids:
        return
    for item_id, stock, now_sold_out in tx.session.execute(
            select(Item.id, Item.stock, Item.sold_out).where(Item.id.in_(item_ids)).order_by(Item.id)).all():
        if bool(now_sold_out) == sold_out:
            announce_availability(tx, store_id, item_id, sold_out=sold_out, stock=stock)


def give_back_line(tx: Tx, store_id: int, line: OrderItem) -> Needs:
    """Call before a line is cancelled: not started by the kitchen (``new``) → its ingredients go
    back on hand (and dishes they blocked come back); started → used up, nothing comes back."""
    if line.status != "new":
        return {}
    recipes = _recipes(tx, store_id, [line.item_id])
    if not recipes:
        return {}
    options = [int(o["id"]) for o in (line.options or []) if isinstance(o, dict) and "id" in o]
    needs, _users = _needs(recipes, [(line.item_id, line.qty, options)])
    for ingredient_id, qty in sorted(needs.items()):
        tx.session.execute(update(Ingredient).where(Ingredient.id == ingredient_id, Ingredient.store_id == store_id)
                           .values(on_hand=Ingredient.on_hand + qty).execution_options(synchronize_session=False))
    bring_back(tx, store_id, list(needs))
    return needs


def portions_left(on_hand: dict[int, int], recipe: list[tuple[int, int]]) -> int | None:
    """Whole portions a recipe of (ingredient_id, qty) makes from ``on_hand``; None: no recipe."""
    counts = [on_hand.get(i, 0) // q for i, q in recipe if q > 0]
    return min(counts) if counts else None


def blocked_by(tx_or_session: Any, store_id: int) -> dict[int, list[int]]:
    """Ingredient id -> dishes sold out because of it (short now and the dish has a sell-out row)."""
    out: dict[int, list[int]] = {}
    for ingredient_id, item_id in tx_or_session.execute(
            select(RecipeLine.ingredient_id, RecipeLine.item_id)
            .join(StockSellout, StockSellout.item_id == RecipeLine.item_id)
            .join(Ingredient, and_(Ingredient.id == RecipeLine.ingredient_id, Ingredient.on_hand < RecipeLine.qty))
            .where(RecipeLine.store_id == store_id, RecipeLine.option_id.is_(None))
            .order_by(RecipeLine.ingredient_id, RecipeLine.item_id)).all():
        out.setdefault(ingredient_id, []).append(item_id)
    return out
