"""A person selling a dish out (估清) or lifting it, as ingredient stock sees it (docs/stock.md
"By hand and by ingredients").

A dish's ``sold_out`` flag has one reason at a time: a ``StockSellout`` row says "the ingredients",
no row says "a person" (or its own daily stock at 0). So:
- a person selling out a dish drops its ``StockSellout`` row: the sell-out is theirs now, and no
  delivery brings the dish back; only a person lifts it;
- a person lifting it (the flag, or a daily stock set by hand) is checked against the recipe: while
  an ingredient cannot make one portion the dish stays sold out, by ingredients (a row is written),
  and the next delivery that makes a portion brings it back.

Lock order as everywhere (services/stock.py): the recipe's ingredient rows, in id order, before
the dish row; with READ COMMITTED a round that takes the last portion of an ingredient either
committed before (seen short here) or waits and then sees the dish back on the menu (and sells it
out itself).
"""
from __future__ import annotations

from sqlalchemy import delete, select

from models import Ingredient, RecipeLine, StockSellout, utcnow
from services.uow import Tx


def by_hand(tx: Tx, store_id: int, item_id: int) -> bool:
    """A person sells the dish out: the ingredients' reason is dropped. True if there was one."""
    dropped = tx.session.execute(delete(StockSellout).where(StockSellout.store_id == store_id,
                                                            StockSellout.item_id == item_id))
    return bool(dropped.rowcount)  # type: ignore[attr-defined]


def short_for(tx: Tx, store_id: int, item_id: int) -> bool:
    """Before a person lifts the dish's sell-out: True (and the dish is marked sold out by
    ingredients) while its own recipe cannot make one portion. Locks the recipe's ingredients."""
    recipe = tx.session.execute(
        select(RecipeLine.ingredient_id, RecipeLine.qty).where(
            RecipeLine.store_id == store_id, RecipeLine.item_id == item_id, RecipeLine.option_id.is_(None))).all()
    if not recipe:
        return False
    on_hand = dict(tx.session.execute(
        select(Ingredient.id, Ingredient.on_hand).where(Ingredient.id.in_([i for i, _q in recipe]))
        .order_by(Ingredient.id).with_for_update()).all())
    if all(on_hand.get(i, 0) >= q for i, q in recipe):
        return False
    if tx.session.execute(select(StockSellout.item_id).where(StockSellout.item_id == item_id)).first() is None:
        tx.session.add(StockSellout(item_id=item_id, store_id=store_id, created_at=utcnow()))
    return True
