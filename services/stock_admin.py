"""The console's side of ingredient stock: ingredients, recipes, deliveries, counts and the
low-stock list. Every change is audited; every look-up is scoped to the caller's store."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from domain.errors import Conflict, ValidationFailed
from models import Ingredient, Item, Option, OptionGroup, RecipeLine, StockMove, StockSellout, utcnow
from services import audit, stock
from services.scoping import owned, taken
from services.uow import Tx, reading, transaction

FIELDS = ("name", "unit", "low_at", "reorder_qty", "active")


def _view(i: Ingredient) -> dict[str, Any]:
    return {"id": i.id, "name": i.name, "unit": i.unit, "on_hand": i.on_hand, "low_at": i.low_at,
            "reorder_qty": i.reorder_qty, "active": i.active, "low": i.active and i.on_hand <= i.low_at,
            "updated_at": i.updated_at}


def reorder_amount(i: Ingredient) -> int:
    """What to order: the supplier's pack (``reorder_qty``) or, without one, enough to be at twice
    the low-stock line again."""
    return i.reorder_qty if i.reorder_qty > 0 else max(2 * i.low_at - i.on_hand, 0)


def _dishes(db: Session, store_id: int) -> tuple[dict[int, list[dict[str, Any]]], dict[int, list[int]]]:
    """Ingredient id -> dishes whose own recipe uses it; and -> dishes it keeps sold out now."""
    uses: dict[int, list[dict[str, Any]]] = {}
    for ingredient_id, item_id, name in db.execute(
            select(RecipeLine.ingredient_id, Item.id, Item.name).join(Item, Item.id == RecipeLine.item_id)
            .where(RecipeLine.store_id == store_id, RecipeLine.option_id.is_(None))
            .order_by(RecipeLine.ingredient_id, Item.id)).all():
        uses.setdefault(ingredient_id, []).append({"id": item_id, "name": name})
    return uses, stock.blocked_by(db, store_id)


def list_ingredients(store_id: int) -> list[dict[str, Any]]:
    """Every ingredient of the store, by name, with the dishes using it and those it sells out."""
    with reading() as s:
        rows = list(s.execute(select(Ingredient).where(Ingredient.store_id == store_id)
                              .order_by(Ingredient.name, Ingredient.id)).scalars())
        uses, blocked = _dishes(s, store_id)
        return [{**_view(i), "reorder": reorder_amount(i), "dishes": uses.get(i.id, []),
                 "blocking": blocked.get(i.id, [])} for i in rows]


def low_stock(store_id: int) -> list[dict[str, Any]]:
    """Active ingredients at or under their low-stock line, with what to reorder: the empty ones
    first, then by how far under their line they are (on hand / line)."""
    rows = [r for r in list_ingredients(store_id) if r["low"]]
    return sorted(rows, key=lambda r: (r["on_hand"] > 0, r["on_hand"] / max(r["low_at"], 1), r["name"]))


def low_count(store_id: int) -> dict[str, Any]:
    """The cashier's badge: how many ingredients are low, and how many are out."""
    with reading() as s:
        rows = s.execute(select(Ingredient.on_hand).where(
            Ingredient.store_id == store_id, Ingredient.active.is_(True),
            Ingredient.on_hand <= Ingredient.low_at)).scalars().all()
    return {"low": len(rows), "out": sum(1 for q in rows if q <= 0)}


def get_ingredient(store_id: int, ingredient_id: int) -> dict[str, Any]:
    with reading() as s:
        i = owned(s, Ingredient, store_id, ingredient_id, "ingredient")
        uses, blocked = _dishes(s, store_id)
        moves = [_move_view(m) for m in s.execute(
            select(StockMove).where(StockMove.store_id == store_id, StockMove.ingredient_id == i.id)
            .order_by(StockMove.id.desc()).limit(50)).scalars()]
        return {**_view(i), "reorder": reorder_amount(i), "dishes": uses.get(i.id, []),
                "blocking": blocked.get(i.id, []), "moves": moves}


def save_ingredient(store_id: int, staff_id: int | None, body: dict[str, Any],
                    ingredient_id: int | None = None) -> dict[str, Any]:
    """Create (with an opening ``on_hand``) or change name, unit, low line, reorder quantity, active.
    On hand changes only by deliveries, counts and orders. Raises Conflict (name taken), NotFound."""
    try:
        return _save(store_id, staff_id, body, ingredient_id)
    except IntegrityError:  # the same name saved at the same moment by someone else
        raise Conflict("an ingredient with this name exists", {"name": ["taken"]}) from None


def _save(store_id: int, staff_id: int | None, body: dict[str, Any], ingredient_id: int | None) -> dict[str, Any]:
    with transaction() as tx:
        if ingredient_id is None:
            i = Ingredient(store_id=store_id, on_hand=body.get("on_hand", 0), updated_at=utcnow(),
                           **{k: body[k] for k in FIELDS if k in body})
            before: dict[str, Any] | None = None
        else:
            i = owned(tx.session, Ingredient, store_id, ingredient_id, "ingredient")
            before = {k: getattr(i, k) for k in FIELDS if k in body}
            for k in FIELDS:
                if k in body:
                    setattr(i, k, body[k])
            i.updated_at = utcnow()
        if "name" in body and taken(tx.session, Ingredient, store_id, Ingredient.name, body["name"], ingredient_id):
            raise Conflict("an ingredient with this name exists", {"name": ["taken"]})
        tx.session.add(i)
        tx.session.flush()
        audit.record(tx, store_id, staff_id, "ingredient.create" if before is None else "ingredient.update",
                     "ingredient", i.id, before, {k: getattr(i, k) for k in (*FIELDS, "on_hand") if
                                                  before is None or k in body})
        return _view(i)


# -- recipes -------------------------------------------------------------------------------------

def get_recipe(store_id: int, item_id: int) -> dict[str, Any]:
    with reading() as s:
        return _recipe_view(s, owned(s, Item, store_id, item_id, "item"))


def _recipe_view(s: Session, item: Item) -> dict[str, Any]:
    rows = s.execute(select(RecipeLine, Ingredient.name, Ingredient.unit, Ingredient.on_hand)
                     .join(Ingredient, Ingredient.id == RecipeLine.ingredient_id)
                     .where(RecipeLine.item_id == item.id).order_by(RecipeLine.option_id, RecipeLine.id)).all()
    own = [(r.ingredient_id, r.qty) for r, *_ in rows if r.option_id is None]
    on_hand = {r.ingredient_id: q for r, _n, _u, q in rows}
    return {"item_id": item.id, "name": item.name,
            "lines": [{"ingredient_id": r.ingredient_id, "name": n, "unit": u, "qty": r.qty,
                       "option_id": r.option_id} for r, n, u, _q in rows],
            "portions_left": stock.portions_left(on_hand, own)}


def set_recipe(store_id: int, staff_id: int | None, item_id: int, lines: list[dict[str, Any]]) -> dict[str, Any]:
    """Replace a dish's recipe (its own lines and its options'). The dish sells out at once when
    its new recipe is short, or comes back when it was sold out by a recipe it no longer has.
    Raises NotFound (dish), ValidationFailed (another store's ingredient or another dish's option,
    one ingredient twice for the same option)."""
    with transaction() as tx:
        item = owned(tx.session, Item, store_id, item_id, "item")
        _check_lines(tx, store_id, item_id, lines)
        before: list[dict[str, Any]] = [{"ingredient_id": r.ingredient_id, "option_id": r.option_id, "qty": r.qty}
                  for r in tx.session.execute(select(RecipeLine).where(RecipeLine.item_id == item_id)).scalars()]
        tx.session.execute(delete(RecipeLine).where(RecipeLine.item_id == item_id, RecipeLine.store_id == store_id))
        for line in lines:
            tx.session.add(RecipeLine(store_id=store_id, item_id=item_id, option_id=line.get("option_id"),
                                      ingredient_id=line["ingredient_id"], qty=line["qty"]))
        tx.session.flush()
        audit.record(tx, store_id, staff_id, "recipe.update", "item", item_id, {"lines": before},
                     {"lines": [{k: ln.get(k) for k in ("ingredient_id", "option_id", "qty")} for ln in lines]})
        used = sorted({ln["ingredient_id"] for ln in lines} | {b["ingredient_id"] for b in before})
        stock.sell_out_short(tx, store_id, used)
        if not any(ln.get("option_id") is None for ln in lines):
            stock.release(tx, store_id, _blocked(tx, store_id, [item_id]))
        else:
            stock.bring_back(tx, store_id, used)
        tx.session.expire_all()
        return _recipe_view(tx.session, item)


def _blocked(tx: Tx, store_id: int, item_ids: list[int]) -> list[int]:
    return list(tx.session.execute(select(StockSellout.item_id).where(
        StockSellout.store_id == store_id, StockSellout.item_id.in_(item_ids))).scalars())


def _check_lines(tx: Tx, store_id: int, item_id: int, lines: list[dict[str, Any]]) -> None:
    ingredients = {i for i in tx.session.execute(select(Ingredient.id).where(
        Ingredient.store_id == store_id, Ingredient.id.in_([ln["ingredient_id"] for ln in lines]))).scalars()}
    options = {o for o in tx.session.execute(select(Option.id).join(OptionGroup, OptionGroup.id == Option.group_id)
                                             .where(OptionGroup.item_id == item_id,
                                                    Option.store_id == store_id)).scalars()}
    errors: dict[str, list[str]] = {}
    seen: set[tuple[int | None, int]] = set()
    for n, line in enumerate(lines):
        if line["ingredient_id"] not in ingredients:
            errors.setdefault(f"lines.{n}.ingredient_id", []).append("no such ingredient")
        if line.get("option_id") is not None and line["option_id"] not in options:
            errors.setdefault(f"lines.{n}.option_id", []).append("not an option of this dish")
        key = (line.get("option_id"), line["ingredient_id"])
        if key in seen:
            errors.setdefault(f"lines.{n}.ingredient_id", []).append("listed twice")
        seen.add(key)
    if errors:
        raise ValidationFailed("the recipe does not fit this store's ingredients and this dish's options", errors)


# -- deliveries and counts -------------------------------------------------------------------------

@dataclass(frozen=True)
class Movement:
    kind: str  # delivery | count
    client_key: str
    qty: int  # delivery: how much came in; count: what was counted
    note: str = ""


def _move_view(m: StockMove) -> dict[str, Any]:
    return {"id": m.id, "ingredient_id": m.ingredient_id, "kind": m.kind, "qty": m.qty, "expected": m.expected,
            "counted": m.counted, "variance": m.variance, "on_hand_after": m.on_hand_after, "note": m.note,
            "staff_id": m.staff_id, "created_at": m.created_at}


def record_move(store_id: int, staff_id: int | None, ingredient_id: int, move: Movement) -> tuple[dict[str, Any], bool]:
    """A delivery (adds ``qty``) or a count (on hand becomes ``qty``; variance = counted − expected),
    audited, with the dishes it sells out or brings back. Idempotent on ``client_key``: a retry
    returns ``(first move, False)``. Raises NotFound (ingredient), Conflict (key used otherwise)."""
    try:
        return _record(store_id, staff_id, ingredient_id, move)
    except IntegrityError:  # a racing retry with this key committed first (transaction() rolled ours back)
        with reading() as s:
            found = _existing(s, store_id, move.client_key)
            if found is None:
                raise
            return _same(found, ingredient_id, move), False


def _existing(s: Session, store_id: int, client_key: str) -> StockMove | None:
    return s.execute(select(StockMove).where(StockMove.store_id == store_id,
                                             StockMove.client_key == client_key)).scalar_one_or_none()


def _same(found: StockMove, ingredient_id: int, move: Movement) -> dict[str, Any]:
    if found.ingredient_id != ingredient_id or found.kind != move.kind:
        raise Conflict("client_key already used for another stock movement")
    return _move_view(found)


def _record(store_id: int, staff_id: int | None, ingredient_id: int, move: Movement) -> tuple[dict[str, Any], bool]:
    with transaction() as tx:
        found = _existing(tx.session, store_id, move.client_key)
        if found is not None:
            return _same(found, ingredient_id, move), False
        owned(tx.session, Ingredient, store_id, ingredient_id, "ingredient")
        if move.kind == "delivery":  # an atomic add: orders may be taking from it right now
            tx.session.execute(update(Ingredient).where(Ingredient.id == ingredient_id)
                               .values(on_hand=Ingredient.on_hand + move.qty, updated_at=utcnow())
                               .execution_options(synchronize_session=False))
        i = tx.session.execute(select(Ingredient).where(Ingredient.id == ingredient_id).with_for_update()
                               .execution_options(populate_existing=True)).scalar_one()
        if move.kind == "delivery":
            row = StockMove(qty=move.qty, on_hand_after=i.on_hand)
        else:
            expected = i.on_hand
            i.on_hand, i.updated_at = move.qty, utcnow()
            row = StockMove(qty=move.qty - expected, expected=expected, counted=move.qty,
                            variance=move.qty - expected, on_hand_after=move.qty)
        row.store_id, row.ingredient_id, row.kind, row.client_key = store_id, ingredient_id, move.kind, move.client_key
        row.note, row.staff_id, row.created_at = move.note, staff_id, utcnow()
        tx.session.add(row)
        tx.session.flush()
        after: dict[str, Any] = {"on_hand": row.on_hand_after, "qty": move.qty}
        if move.kind == "count":
            after |= {"expected": row.expected, "variance": row.variance}
        audit.record(tx, store_id, staff_id, f"stock.{move.kind}", "ingredient", ingredient_id,
                     {"on_hand": row.on_hand_after - row.qty}, after | ({"note": move.note} if move.note else {}))
        stock.sell_out_short(tx, store_id, [ingredient_id])
        stock.bring_back(tx, store_id, [ingredient_id])
        return _move_view(row), True
