"""Shared cart and waiter calls."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from domain.choices import CALL_KINDS, CALL_REASONS
from domain.pricing import MAX_QTY
from schema import RequestSchema
from schema.orders import ID, OptionSnapshotSchema, OrderEnvelopeSchema


class CartAddRequest(RequestSchema):
    item_id = fields.Int(required=True, strict=True, validate=ID)
    qty = fields.Int(load_default=1, strict=True, validate=validate.Range(1, MAX_QTY))
    option_ids = fields.List(fields.Int(strict=True, validate=ID), load_default=list, validate=validate.Length(max=30))
    note = fields.Str(load_default="", validate=validate.Length(max=200))


class CartQtyRequest(RequestSchema):
    qty = fields.Int(required=True, strict=True, validate=validate.Range(0, MAX_QTY))
    version = fields.Int(required=True, strict=True, validate=validate.Range(1, 2**31 - 1))


class CartSubmitRequest(RequestSchema):
    client_key = fields.Str(required=True, validate=validate.Length(8, 64))
    remark = fields.Str(load_default="", validate=validate.Length(max=200))


class CartLineSchema(Schema):
    id = fields.Int()
    item_id = fields.Int()
    name = fields.Str()
    qty = fields.Int()
    option_ids = fields.List(fields.Int())
    options = fields.List(fields.Nested(OptionSnapshotSchema))
    note = fields.Str()
    unit_price = fields.Int()
    line_total = fields.Int()
    version = fields.Int()
    diner = fields.Int(metadata={"description": "who added it: diners at the table are numbered 1, 2, …"})
    available = fields.Bool()
    problem = fields.Str(metadata={"description": "why it cannot be ordered now, e.g. sold_out; only then",
                                   "optional": True})


class CartSchema(Schema):
    table_session_id = fields.Int(allow_none=True)
    lines = fields.List(fields.Nested(CartLineSchema))
    total = fields.Int()
    me = fields.Int(allow_none=True, metadata={"description": "the caller's number at the table"})
    revision = fields.Int(metadata={"description": "counts the cart's changes on this check: of two carts for the "
                                                "same table_session_id, keep the one with the higher revision (answers "
                                                "and cart.updated events can arrive out of order)"})


class CartEnvelope(Schema):
    cart = fields.Nested(CartSchema)


class CallRequest(RequestSchema):
    kind = fields.Str(load_default="waiter", validate=validate.OneOf(CALL_KINDS))
    reason = fields.Str(load_default="", validate=validate.OneOf(CALL_REASONS),
                        metadata={"description": "waiter calls only: water (加水), tableware (餐具), hurry (催单, with "
                                                 "order_id); absent: a plain call, as before"})
    order_id = fields.Int(load_default=None, allow_none=True, strict=True, validate=ID,
                          metadata={"description": "the late round, for reason hurry"})


class CallSchema(Schema):
    id = fields.Int()
    table_id = fields.Int()
    table_code = fields.Str()
    kind = fields.Str()
    reason = fields.Str(metadata={"description": "\"\" for a plain call; water, tableware or hurry"})
    order_number = fields.Int(allow_none=True, metadata={"description": "the round chased, for reason hurry"})
    status = fields.Str()
    created_at = fields.Str()


class CallEnvelope(Schema):
    call = fields.Nested(CallSchema)


class CallsEnvelope(Schema):
    calls = fields.List(fields.Nested(CallSchema))


__all__ = ["CartAddRequest", "CartEnvelope", "CartQtyRequest", "CartSubmitRequest", "CallEnvelope",
           "CallRequest", "CallsEnvelope", "OrderEnvelopeSchema"]


class HeadcountRequest(RequestSchema):
    headcount = fields.Int(required=True, strict=True, validate=validate.Range(1, 50))


class HeadcountSchema(Schema):
    id = fields.Int()
    headcount = fields.Int()


class HeadcountEnvelope(Schema):
    session = fields.Nested(HeadcountSchema)
