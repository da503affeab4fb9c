"""The audit log, for the owner."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from schema import Day, Moment, RequestSchema


class AuditQuery(RequestSchema):
    action = fields.Str(load_default=None, validate=validate.Length(max=40))
    staff_id = fields.Int(load_default=None, validate=validate.Range(1, 2**31 - 1))
    since = Moment(load_default=None)
    until = Moment(load_default=None)
    date_from = Day(load_default=None, metadata={"description": "first day, in the store's time zone"})
    date_to = Day(load_default=None, metadata={"description": "last day (inclusive), store time zone"})
    before_id = fields.Int(load_default=None, validate=validate.Range(1, 2**31 - 1))
    limit = fields.Int(load_default=50, validate=validate.Range(1, 200))


class AuditEntrySchema(Schema):
    id = fields.Int()
    staff_id = fields.Int(allow_none=True)
    action = fields.Str()
    target_type = fields.Str()
    target_id = fields.Int(allow_none=True)
    target_name = fields.Str(allow_none=True, metadata={"description": "its current name (dish, table code, …)"})
    before = fields.Dict(allow_none=True)
    after = fields.Dict(allow_none=True)
    created_at = fields.DateTime()


class AuditResponse(Schema):
    entries = fields.List(fields.Nested(AuditEntrySchema))
