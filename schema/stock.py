"""Ingredient stock: ingredients, recipes, deliveries and counts (the console's), the /pos badge."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from schema import RequestSchema

QTY = validate.Range(0, 1_000_000_000)  # in the unit's smallest step: up to a thousand tonnes of grams
UNITS = ("g", "ml", "pcs")
KEY = validate.Length(8, 64)


class IngredientCreate(RequestSchema):
    name = fields.Str(required=True, validate=validate.Length(1, 60))
    unit = fields.Str(required=True, validate=validate.OneOf(UNITS),
                      metadata={"description": "g, ml or pcs: quantities are whole grams, millilitres, pieces"})
    on_hand = fields.Int(load_default=0, strict=True, validate=QTY)
    low_at = fields.Int(load_default=0, strict=True, validate=QTY,
                        metadata={"description": "low stock when on_hand is at or under this"})
    reorder_qty = fields.Int(load_default=0, strict=True, validate=QTY,
                             metadata={"description": "what one order from the supplier brings"})


class IngredientPatch(RequestSchema):
    name = fields.Str(validate=validate.Length(1, 60))
    unit = fields.Str(validate=validate.OneOf(UNITS))
    low_at = fields.Int(strict=True, validate=QTY)
    reorder_qty = fields.Int(strict=True, validate=QTY)
    active = fields.Bool()


class DishRef(Schema):
    id = fields.Int()
    name = fields.Str()


class MoveSchema(Schema):
    id = fields.Int()
    ingredient_id = fields.Int()
    kind = fields.Str(metadata={"description": "delivery or count"})
    qty = fields.Int(metadata={"description": "the change to on hand"})
    expected = fields.Int(allow_none=True)
    counted = fields.Int(allow_none=True)
    variance = fields.Int(allow_none=True, metadata={"description": "counted − expected"})
    on_hand_after = fields.Int()
    note = fields.Str()
    staff_id = fields.Int(allow_none=True)
    created_at = fields.DateTime()


class IngredientSchema(Schema):
    id = fields.Int()
    name = fields.Str()
    unit = fields.Str()
    on_hand = fields.Int()
    low_at = fields.Int()
    reorder_qty = fields.Int()
    reorder = fields.Int(metadata={"description": "what to order now"})
    active = fields.Bool()
    low = fields.Bool()
    updated_at = fields.DateTime()
    dishes = fields.List(fields.Nested(DishRef), metadata={"description": "dishes whose recipe uses it"})
    blocking = fields.List(fields.Int(), metadata={"description": "dishes it keeps sold out now"})
    moves = fields.List(fields.Nested(MoveSchema))


class IngredientEnvelope(Schema):
    ingredient = fields.Nested(IngredientSchema)


class IngredientsEnvelope(Schema):
    ingredients = fields.List(fields.Nested(IngredientSchema))


class DeliveryCreate(RequestSchema):
    client_key = fields.Str(required=True, validate=KEY)
    qty = fields.Int(required=True, strict=True, validate=validate.Range(1, 1_000_000_000))
    note = fields.Str(load_default="", validate=validate.Length(0, 200))


class CountCreate(RequestSchema):
    client_key = fields.Str(required=True, validate=KEY)
    counted = fields.Int(required=True, strict=True, validate=QTY)
    note = fields.Str(load_default="", validate=validate.Length(0, 200))


class MoveEnvelope(Schema):
    move = fields.Nested(MoveSchema)
    ingredient = fields.Nested(IngredientSchema)


class RecipeLineIn(RequestSchema):
    ingredient_id = fields.Int(required=True, strict=True, validate=validate.Range(1, 2**31 - 1))
    qty = fields.Int(required=True, strict=True, validate=validate.Range(1, 1_000_000))
    option_id = fields.Int(load_default=None, allow_none=True, strict=True, validate=validate.Range(1, 2**31 - 1),
                           metadata={"description": "null: every portion; an option's id: only with that option"})


class RecipePut(RequestSchema):
    lines = fields.List(fields.Nested(RecipeLineIn), required=True, validate=validate.Length(0, 50))


class RecipeLineOut(Schema):
    ingredient_id = fields.Int()
    name = fields.Str()
    unit = fields.Str()
    qty = fields.Int()
    option_id = fields.Int(allow_none=True)


class RecipeSchema(Schema):
    item_id = fields.Int()
    name = fields.Str()
    lines = fields.List(fields.Nested(RecipeLineOut))
    portions_left = fields.Int(allow_none=True, metadata={"description": "portions the stock makes; null: no recipe"})


class RecipeEnvelope(Schema):
    recipe = fields.Nested(RecipeSchema)


class StockAlerts(Schema):
    low = fields.Int(metadata={"description": "ingredients at or under their low-stock line"})
    out = fields.Int(metadata={"description": "of those, none left"})
