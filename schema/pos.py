"""The cashier's phone: staff orders, item codes, discounts, splits, moves and shifts."""
from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from schema import RequestSchema
from schema.diner import MenuItemSchema
from schema.orders import ID, MAX_LINES, OrderLineRequest, TableSessionSchema

KEY = validate.Length(8, 64)
FEN = validate.Range(0, 10_000_000)


class PosOrderRequest(RequestSchema):
    client_key = fields.Str(required=True, validate=KEY)
    table_id = fields.Int(strict=True, validate=ID, load_default=None, allow_none=True)
    takeaway = fields.Bool(load_default=False)
    items = fields.List(fields.Nested(OrderLineRequest), required=True, validate=validate.Length(1, MAX_LINES))
    remark = fields.Str(load_default="", validate=validate.Length(max=200))

    @validates_schema
    def _table_or_takeaway(self, data: dict[str, Any], **_: Any) -> None:
        if (data.get("table_id") is None) != bool(data.get("takeaway")):
            raise ValidationError("give table_id, or takeaway: true", "table_id")


class PosItemSchema(Schema):
    id = fields.Int()
    name = fields.Str()
    price = fields.Int()
    code = fields.Str(allow_none=True)
    station = fields.Str()
    sold_out = fields.Bool()
    stock = fields.Int(allow_none=True)
    category_id = fields.Int()


class PosMenuItemSchema(MenuItemSchema):
    code = fields.Str(allow_none=True)


class PosMenuCategory(Schema):
    id = fields.Int()
    name = fields.Str()
    items = fields.List(fields.Nested(PosMenuItemSchema))


class PosMenuResponse(Schema):
    store = fields.Dict(metadata={"description": "{id, name, pay_mode}"})
    categories = fields.List(fields.Nested(PosMenuCategory))


class PosItemEnvelope(Schema):
    item = fields.Nested(PosItemSchema)


class PaymentLineSchema(Schema):
    id = fields.Int()
    channel = fields.Str()
    amount = fields.Int()
    status = fields.Str()
    tendered = fields.Int(allow_none=True)
    change = fields.Int(allow_none=True)
    refunded = fields.Int()
    paid_at = fields.DateTime(allow_none=True)


class DiscountSchema(Schema):
    id = fields.Int()
    kind = fields.Str()
    value = fields.Int(metadata={"description": "percent: basis points (1000 = 10 %); amount: fen"})
    amount = fields.Int()
    reason = fields.Str()
    order_item_id = fields.Int(allow_none=True)
    staff_id = fields.Int(allow_none=True)
    approved_by = fields.Int(allow_none=True)
    created_at = fields.DateTime()


class StaffTableSessionSchema(TableSessionSchema):
    """The check as the cashier sees it: also every discount and payment."""

    discounts = fields.List(fields.Nested(DiscountSchema))
    payments = fields.List(fields.Nested(PaymentLineSchema))
    opened_at = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)


class StaffTableSessionEnvelope(Schema):
    session = fields.Nested(StaffTableSessionSchema)


class TakeawaysEnvelope(Schema):
    sessions = fields.List(fields.Nested(StaffTableSessionSchema))


class SplitResponse(Schema):
    due = fields.Int()
    shares = fields.List(fields.Int())


class SplitQuery(RequestSchema):
    ways = fields.Int(required=True, validate=validate.Range(1, 50))


class ApproverSchema(RequestSchema):
    username = fields.Str(required=True, validate=validate.Length(1, 40))
    password = fields.Str(required=True, validate=validate.Length(1, 200))


class DiscountRequest(RequestSchema):
    client_key = fields.Str(required=True, validate=KEY)
    kind = fields.Str(required=True, validate=validate.OneOf(["percent", "amount"]))
    value = fields.Float(required=True, allow_nan=False, validate=validate.Range(-10_000_000, 10_000_000),
                         metadata={"description": "percent: 10 = 10 % (two decimals); amount: fen"})
    reason = fields.Str(required=True, validate=validate.Length(1, 200))
    order_item_id = fields.Int(strict=True, validate=ID, load_default=None, allow_none=True)
    approver = fields.Nested(ApproverSchema, load_default=None, allow_none=True,
                             metadata={"description": "a manager's (or owner's) sign-in, for a discount beyond "
                                                      "the caller's own limit"})


class MoveRequest(RequestSchema):
    to_table_id = fields.Int(required=True, strict=True, validate=ID)


class ShiftOpenRequest(RequestSchema):
    client_key = fields.Str(load_default=None, validate=KEY)
    opening_cash = fields.Int(required=True, strict=True, validate=FEN)


class ShiftCloseRequest(RequestSchema):
    counted_cash = fields.Int(required=True, strict=True, validate=FEN)
    note = fields.Str(load_default="", validate=validate.Length(max=500))


class ExpectedSchema(Schema):
    cash = fields.Int()
    wechat = fields.Int()
    wechat_code = fields.Int()
    alipay_code = fields.Int()
    other = fields.Int()


class DrawerSchema(Schema):
    opening = fields.Int()
    cash_taken = fields.Int()
    change_given = fields.Int()
    cash_refunded = fields.Int()
    expected = fields.Int()


class ShiftSchema(Schema):
    id = fields.Int()
    status = fields.Str()
    staff = fields.Dict(metadata={"description": "{id, name}"})
    opened_at = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)
    opening_cash = fields.Int()
    expected = fields.Nested(ExpectedSchema, metadata={"description": "what each channel took; cash: the drawer"})
    taken = fields.Nested(ExpectedSchema, metadata={"description": "money taken by channel in the shift"})
    refunds = fields.Int()
    drawer = fields.Nested(DrawerSchema)
    payments = fields.Int(metadata={"description": "how many payments"})
    discounts = fields.Int(metadata={"description": "fen given as discounts in the shift"})
    counted_cash = fields.Int(allow_none=True)
    difference = fields.Int(allow_none=True)
    note = fields.Str()


class ShiftEnvelope(Schema):
    shift = fields.Nested(ShiftSchema, allow_none=True)
