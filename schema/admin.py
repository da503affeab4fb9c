"""Admin request and response shapes."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from schema import RequestSchema
from services.admin import PAY_MODES


class StorePatch(RequestSchema):
    name = fields.Str(validate=validate.Length(1, 100))
    pay_mode = fields.Str(validate=validate.OneOf(PAY_MODES))


class StoreSchema(Schema):
    id = fields.Int()
    slug = fields.Str()
    name = fields.Str()
    pay_mode = fields.Str()
    currency = fields.Str()
    timezone = fields.Str()


class StoreEnvelope(Schema):
    store = fields.Nested(StoreSchema)


class ItemPatch(RequestSchema):
    price = fields.Int(strict=True, validate=validate.Range(0, 10_000_000))
    stock = fields.Int(strict=True, allow_none=True, validate=validate.Range(0, 1_000_000))
    sold_out = fields.Bool()
    name = fields.Str(validate=validate.Length(1, 80))
    station = fields.Str(validate=validate.Length(1, 20))


class AdminItemSchema(Schema):
    id = fields.Int()
    category_id = fields.Int()
    name = fields.Str()
    price = fields.Int()
    station = fields.Str()
    stock = fields.Int(allow_none=True)
    sold_out = fields.Bool()


class ItemEnvelope(Schema):
    item = fields.Nested(AdminItemSchema)


class AdminTableSchema(Schema):
    id = fields.Int()
    code = fields.Str()
    area = fields.Str(allow_none=True)
    seats = fields.Int()
    active = fields.Bool()
    qr_url = fields.Str()


class AdminTablesResponse(Schema):
    tables = fields.List(fields.Nested(AdminTableSchema))


class TableEnvelope(Schema):
    table = fields.Nested(AdminTableSchema)
