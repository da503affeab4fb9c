"""Admin request and response shapes."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from schema import RequestSchema
from services.admin import PAY_MODES

HHMM = validate.Regexp(r"^([01][0-9]|2[0-3]):[0-5][0-9]$", error="HH:MM, 00:00 to 23:59")


class StorePatch(RequestSchema):
    name = fields.Str(validate=validate.Length(1, 100))
    pay_mode = fields.Str(validate=validate.OneOf(PAY_MODES))
    kds_warn_minutes = fields.Int(strict=True, validate=validate.Range(1, 240))
    kds_late_minutes = fields.Int(strict=True, validate=validate.Range(1, 480))


class StoreSchema(Schema):
    id = fields.Int()
    slug = fields.Str()
    name = fields.Str()
    pay_mode = fields.Str()
    currency = fields.Str()
    timezone = fields.Str()
    kds_warn_minutes = fields.Int()
    kds_late_minutes = fields.Int()


class StoreEnvelope(Schema):
    store = fields.Nested(StoreSchema)


class ItemPatch(RequestSchema):
    price = fields.Int(strict=True, validate=validate.Range(0, 10_000_000))
    stock = fields.Int(strict=True, allow_none=True, validate=validate.Range(0, 1_000_000))
    sold_out = fields.Bool()
    name = fields.Str(validate=validate.Length(1, 80))
    station = fields.Str(validate=validate.Length(1, 20))
    available_from = fields.Str(allow_none=True, validate=HHMM)
    available_until = fields.Str(allow_none=True, validate=HHMM)


class AdminItemSchema(Schema):
    id = fields.Int()
    category_id = fields.Int()
    name = fields.Str()
    price = fields.Int()
    station = fields.Str()
    stock = fields.Int(allow_none=True)
    sold_out = fields.Bool()
    available_from = fields.Str(allow_none=True)
    available_until = fields.Str(allow_none=True)


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


class StationSchema(Schema):
    id = fields.Int()
    code = fields.Str()
    name = fields.Str()
    sort = fields.Int()


class StationCreate(RequestSchema):
    code = fields.Str(required=True, validate=validate.Regexp(r"^[a-z0-9_-]{1,20}$", error="1-20 of a-z 0-9 _ -"))
    name = fields.Str(required=True, validate=validate.Length(1, 50))
    sort = fields.Int(strict=True, load_default=0, validate=validate.Range(0, 1000))


class StationPatch(RequestSchema):
    name = fields.Str(validate=validate.Length(1, 50))
    sort = fields.Int(strict=True, validate=validate.Range(0, 1000))


class StationEnvelope(Schema):
    station = fields.Nested(StationSchema)


class StationsEnvelope(Schema):
    stations = fields.List(fields.Nested(StationSchema))
