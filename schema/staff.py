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


class StaffSessionSchema(Schema):
    staff = fields.Nested(StaffRefSchema)
    store = fields.Dict(metadata={"description": "{id, name, slug}"})
    permissions = fields.List(fields.Str(), metadata={"description": "what this role may do (domain/permissions.py)"})
    csrf_token = fields.Str(metadata={"description": "send as X-CSRF-Token on every write that relies on the cookie"})
    expires_in = fields.Int()


class PasswordChange(RequestSchema):
    current_password = fields.Str(required=True, load_only=True, validate=validate.Length(1, 200))
    new_password = fields.Str(required=True, load_only=True, validate=validate.Length(1, 200))


class PasswordChanged(Schema):
    token = fields.Str(metadata={"description": "a new bearer token; every other session has ended"})
