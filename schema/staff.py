"""Staff login and admin shapes."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from schema import RequestSchema


class StaffLoginRequest(RequestSchema):
    store = fields.Str(required=True, validate=validate.Length(1, 40))
    username = fields.Str(required=True, validate=validate.Length(1, 40))
    password = fields.Str(required=True, validate=validate.Length(1, 200))


class StaffRefSchema(Schema):
    id = fields.Int()
    name = fields.Str()
    role = fields.Str()
    store_id = fields.Int()


class StaffLoginResponse(Schema):
    token = fields.Str()
    expires_in = fields.Int()
    staff = fields.Nested(StaffRefSchema)
