"""Warnings staff see as banners, and the owner's incident list."""
from __future__ import annotations

from marshmallow import Schema, fields


class WarningSchema(Schema):
    kind = fields.Str(metadata={"description": "screen_offline | payments_stuck | wechat_pay_failing | printer_down"})
    count = fields.Int()
    since = fields.DateTime(allow_none=True)
    detail = fields.Str()


class IncidentSchema(Schema):
    kind = fields.Str()
    at = fields.DateTime()
    detail = fields.Str()


class WarningsResponse(Schema):
    warnings = fields.List(fields.Nested(WarningSchema))


class IncidentsResponse(Schema):
    warnings = fields.List(fields.Nested(WarningSchema))
    incidents = fields.List(fields.Nested(IncidentSchema))
