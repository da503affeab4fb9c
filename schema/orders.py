"""Orders: the diner's request and the contract's Order."""
from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from domain.pricing import MAX_LINES, MAX_QTY
from models import Order
from schema import RequestSchema

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


class OptionSnapshotSchema(Schema):
    id = fields.Int()
    name = fields.Str()
    price_delta = fields.Int()


class OrderItemSchema(Schema):
    id = fields.Int()
    item_id = fields.Int()
    name = fields.Str()
    qty = fields.Int()
    options = fields.List(fields.Nested(OptionSnapshotSchema))
    unit_price = fields.Int()
    line_total = fields.Int()
    note = fields.Str()
    status = fields.Str()


class OrderSchema(Schema):
    id = fields.Int()
    number = fields.Int()
    status = fields.Str()
    payment_status = fields.Str()
    total = fields.Int()
    service_charge = fields.Int()
    table_session_id = fields.Int()
    table_code = fields.Function(lambda o: o.table.code)
    remark = fields.Str()
    created_at = fields.DateTime()
    items = fields.List(fields.Nested(OrderItemSchema))


class OrderEnvelopeSchema(Schema):
    order = fields.Nested(OrderSchema)


class TableSessionSchema(Schema):
    id = fields.Int()
    table = fields.Function(lambda s: {"id": s.table.id, "code": s.table.code})
    status = fields.Str()
    orders = fields.List(fields.Nested(OrderSchema))
    total = fields.Int()
    paid = fields.Int()
    coupon_discount = fields.Int(metadata={"description": "taken off by coupons on payments that went through"})
    due = fields.Int()


class TableSessionEnvelopeSchema(Schema):
    session = fields.Nested(TableSessionSchema)


def order_view(order: Order) -> dict[str, Any]:
    return OrderSchema().dump(order)
