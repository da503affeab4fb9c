"""Ingredient stock: the console's routes (/api/v1/admin/ingredients…, recipes on dishes) and
the cashier's low-stock badge (/api/v1/pos/stock-alerts)."""
from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from api.auth import permission_required, require_staff
from schema.stock import (
    CountCreate,
    DeliveryCreate,
    IngredientCreate,
    IngredientEnvelope,
    IngredientPatch,
    IngredientsEnvelope,
    MoveEnvelope,
    RecipeEnvelope,
    RecipePut,
    StockAlerts,
)
from services import stock_admin
from services.stock_admin import Movement

blp = Blueprint("stock", __name__, url_prefix="/api/v1", description="Ingredient stock")
SECURED = {"security": [{"bearer": []}]}
PERM = "stock.manage"


@blp.get("/admin/ingredients")
@permission_required(PERM)
@blp.response(200, IngredientsEnvelope)
@blp.doc(**SECURED)
def list_all() -> dict[str, Any]:
    """Every ingredient of the store with on hand, low flag, what to reorder, the dishes using it."""
    return {"ingredients": stock_admin.list_ingredients(require_staff().store_id)}


@blp.get("/admin/ingredients/low")
@permission_required(PERM)
@blp.response(200, IngredientsEnvelope)
@blp.doc(**SECURED)
def low() -> dict[str, Any]:
    """Ingredients at or under their low-stock line, emptiest first, with what to reorder."""
    return {"ingredients": stock_admin.low_stock(require_staff().store_id)}


@blp.post("/admin/ingredients")
@permission_required(PERM)
@blp.arguments(IngredientCreate())
@blp.response(201, IngredientEnvelope)
@blp.doc(**SECURED)
def create(body: dict[str, Any]) -> Any:
    who = require_staff()
    return {"ingredient": stock_admin.save_ingredient(who.store_id, who.id, body)}, 201


@blp.get("/admin/ingredients/<int:ingredient_id>")
@permission_required(PERM)
@blp.response(200, IngredientEnvelope)
@blp.doc(**SECURED)
def one(ingredient_id: int) -> dict[str, Any]:
    """One ingredient with its last 50 deliveries and counts."""
    return {"ingredient": stock_admin.get_ingredient(require_staff().store_id, ingredient_id)}


@blp.patch("/admin/ingredients/<int:ingredient_id>")
@permission_required(PERM)
@blp.arguments(IngredientPatch())
@blp.response(200, IngredientEnvelope)
@blp.doc(**SECURED)
def patch(body: dict[str, Any], ingredient_id: int) -> dict[str, Any]:
    """Name, unit, low-stock line, reorder quantity, active. On hand changes by deliveries and counts."""
    who = require_staff()
    return {"ingredient": stock_admin.save_ingredient(who.store_id, who.id, body, ingredient_id)}


def _move(ingredient_id: int, move: Movement) -> Any:
    who = require_staff()
    row, created = stock_admin.record_move(who.store_id, who.id, ingredient_id, move)
    answer = {"move": row, "ingredient": stock_admin.get_ingredient(who.store_id, ingredient_id)}
    return answer, 201 if created else 200


@blp.post("/admin/ingredients/<int:ingredient_id>/deliveries")
@permission_required(PERM)
@blp.arguments(DeliveryCreate())
@blp.response(201, MoveEnvelope)
@blp.alt_response(200, schema=MoveEnvelope, success=True, description="the same client_key again: the first delivery")
@blp.doc(**SECURED)
def delivery(body: dict[str, Any], ingredient_id: int) -> Any:
    """Goods in: adds ``qty``; dishes it had sold out come back. Audited; idempotent on client_key."""
    return _move(ingredient_id, Movement("delivery", body["client_key"], body["qty"], body["note"]))


@blp.post("/admin/ingredients/<int:ingredient_id>/counts")
@permission_required(PERM)
@blp.arguments(CountCreate())
@blp.response(201, MoveEnvelope)
@blp.alt_response(200, schema=MoveEnvelope, success=True, description="the same client_key again: the first count")
@blp.doc(**SECURED)
def count(body: dict[str, Any], ingredient_id: int) -> Any:
    """A stock count: on hand becomes ``counted``; variance = counted − expected. Audited; idempotent."""
    return _move(ingredient_id, Movement("count", body["client_key"], body["counted"], body["note"]))


@blp.get("/admin/items/<int:item_id>/recipe")
@permission_required(PERM)
@blp.response(200, RecipeEnvelope)
@blp.doc(**SECURED)
def recipe(item_id: int) -> dict[str, Any]:
    """A dish's recipe: per portion, and per option (option_id)."""
    return {"recipe": stock_admin.get_recipe(require_staff().store_id, item_id)}


@blp.put("/admin/items/<int:item_id>/recipe")
@permission_required(PERM)
@blp.arguments(RecipePut())
@blp.response(200, RecipeEnvelope)
@blp.doc(**SECURED)
def put_recipe(body: dict[str, Any], item_id: int) -> dict[str, Any]:
    """Replace a dish's recipe. Audited; the dish sells out at once if its recipe is short."""
    who = require_staff()
    return {"recipe": stock_admin.set_recipe(who.store_id, who.id, item_id, body["lines"])}


@blp.get("/pos/stock-alerts")
@permission_required("floor.view")
@blp.response(200, StockAlerts)
@blp.doc(**SECURED)
def alerts() -> dict[str, Any]:
    """The cashier's badge: how many ingredients are low or out."""
    return stock_admin.low_count(require_staff().store_id)
