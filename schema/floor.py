"""The floor plan: every table with its check, for the cashier and waiters."""
from __future__ import annotations

from marshmallow import Schema, fields


class FloorCheck(Schema):
    id = fields.Int()
    total = fields.Int()
    discount = fields.Int()
    unserved = fields.Int(metadata={"description": "lines not yet served (not cancelled)"})
    paid = fields.Int()
    due = fields.Int()
    overpaid = fields.Int(metadata={"description": "paid beyond the total (being refunded); the table cannot be "
                                                   "cleared until it is 0"})
    paying = fields.Int(metadata={"description": "fen a diner's WeChat payment in flight may still take"})
    paying_payment_id = fields.Int(allow_none=True, metadata={"description": "that payment, for …/cancel"})
    orders = fields.Int()
    headcount = fields.Int(allow_none=True, metadata={"description": "how many sit at the table (用餐人数); null: "
                                                                     "not asked"})
    opened_at = fields.DateTime()


class FloorTable(Schema):
    id = fields.Int()
    code = fields.Str()
    area = fields.Str(allow_none=True)
    seats = fields.Int()
    state = fields.Str(metadata={"description": "free, ordering, eating, waiting_to_pay or paid"})
    session = fields.Nested(FloorCheck, allow_none=True)


class FloorStore(Schema):
    name = fields.Str()
    timezone = fields.Str(metadata={"description": "show times in this zone, not the phone's"})


class FloorResponse(Schema):
    store = fields.Nested(FloorStore)
    tables = fields.List(fields.Nested(FloorTable))
