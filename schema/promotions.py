"""Coupons: what the console sends and sees, and what diners see (no other diner's anything)."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from schema import RequestSchema
from schema.reports import RangeQuery

FEN = validate.Range(0, 10_000_000)


class CouponCreate(RequestSchema):
    name = fields.Str(required=True, validate=validate.Length(1, 60))
    kind = fields.Str(required=True, validate=validate.OneOf(["amount_off", "percent_off"]))
    value = fields.Int(required=True, strict=True, validate=validate.Range(1, 10_000_000),
                       metadata={"description": "fen off (amount_off) or percent off, 1-99 (percent_off)"})
    min_spend = fields.Int(load_default=0, strict=True, validate=FEN)
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    per_diner = fields.Int(load_default=1, strict=True, validate=validate.Range(1, 100))
    total = fields.Int(load_default=None, allow_none=True, strict=True, validate=validate.Range(1, 10_000_000),
                       metadata={"description": "null: no limit"})


class CouponSchema(Schema):
    id = fields.Int()
    name = fields.Str()
    kind = fields.Str()
    value = fields.Int()
    min_spend = fields.Int()
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    per_diner = fields.Int()
    total = fields.Int(allow_none=True)
    status = fields.Str()
    claimed = fields.Int()
    used = fields.Int()
    discount = fields.Int()


class CouponEnvelope(Schema):
    coupon = fields.Nested(CouponSchema)


class CouponsEnvelope(Schema):
    coupons = fields.List(fields.Nested(CouponSchema))


class OfferSchema(Schema):
    id = fields.Int()
    name = fields.Str()
    kind = fields.Str()
    value = fields.Int()
    min_spend = fields.Int()
    ends_at = fields.DateTime()
    claimed = fields.Int(metadata={"description": "how many times the calling diner claimed it"})
    usable = fields.Int(metadata={"description": "of those, not used yet"})
    per_diner = fields.Int()


class OffersEnvelope(Schema):
    coupons = fields.List(fields.Nested(OfferSchema))


class ClaimSchema(Schema):
    id = fields.Int()
    coupon_id = fields.Int()
    status = fields.Str()


class ClaimEnvelope(Schema):
    claim = fields.Nested(ClaimSchema)


class CouponReportQuery(RangeQuery):
    pass


class CouponFiguresSchema(Schema):
    id = fields.Int()
    name = fields.Str()
    status = fields.Str()
    claimed = fields.Int()
    used = fields.Int()
    discount = fields.Int()
    net_sales_with = fields.Int(metadata={"description": "net sales of the checks that used it"})


class CouponReportSchema(Schema):
    coupons = fields.List(fields.Nested(CouponFiguresSchema))
