"""Orders: the diner's request and the contract's Order."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from domain.pricing import MAX_LINES, MAX_QTY
from schema import RequestSchema
from services.views import OptionSnapshotSchema, OrderItemSchema, OrderSchema, order_view

__all__ = ["OptionSnapshotSchema", "OrderItemSchema", "OrderSchema", "order_view"]

MAX_ID = 2**31 - 1
ID = validate.Range(1, MAX_ID)


class OrderLineRequest(RequestSchema):
    item_id = fields.Int(required=True, strict=True, validate=ID)
    qty = fields.Int(required=True, strict=True, validate=validate.Range(1, MAX_QTY))
    option_ids = fields.List(fields.Int(strict=True, validate=ID), load_default=list, validate=validate.Length(max=30))
    note = fields.Str(load_default="", validate=validate.Length(max=200))


class OrderCreateRequest(RequestSchema):
    table_token = fields.Str(required=True, validate=validate.Length(1, 64))
    client_key = fields.Str(required=True, validate=validate.Length(8, 64))
    items = fields.List(fields.Nested(OrderLineRequest), required=True,
                        validate=validate.Length(1, MAX_LINES))
    remark = fields.Str(load_default="", validate=validate.Length(max=200))


class OrderEnvelopeSchema(Schema):
    order = fields.Nested(OrderSchema)


class TableSessionSchema(Schema):
    id = fields.Int()
    table = fields.Function(lambda s: {"id": s.table.id, "code": s.table.code} if s.table else None,
                            metadata={"description": "null for a takeaway check"})
    kind = fields.Str(metadata={"description": "table or takeaway"})
    status = fields.Str()
    orders = fields.List(fields.Nested(OrderSchema))
    total = fields.Int()
    discount = fields.Int(metadata={"description": "fen taken off by staff discounts"})
    paid = fields.Int()
    coupon_discount = fields.Int(metadata={"description": "taken off by coupons on payments that went through"})
    due = fields.Int(metadata={"description": "total - discount - coupon_discount - paid"})
    overpaid = fields.Int(metadata={"description": "paid beyond the total, being refunded automatically"})
    pickup_number = fields.Int(allow_none=True)
    headcount = fields.Int(allow_none=True, metadata={"description": "how many sit at the table (用餐人数), when the "
                                                                     "store asks; null: not asked or not answered"})


class TableSessionEnvelopeSchema(Schema):
    session = fields.Nested(TableSessionSchema)
