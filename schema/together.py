"""Dishes ordered together (the diner's suggestions and the owner's report)."""
from __future__ import annotations

from marshmallow import Schema, fields


class Pairing(Schema):
    item_id = fields.Int()
    name = fields.Str()
    count = fields.Int(metadata={"description": "rounds in the last 30 days with both dishes"})


class OftenWithResponse(Schema):
    items = fields.Dict(keys=fields.Str(), values=fields.List(fields.Nested(Pairing)),
                        metadata={"description": "dish id → up to three dishes most often in the same round"})
