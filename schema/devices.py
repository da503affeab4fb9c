"""Kitchen screens (devices): pairing codes for the console, the paired screen's own view."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from schema import RequestSchema


class DeviceCreateRequest(RequestSchema):
    name = fields.Str(required=True, validate=validate.Length(1, 50))
    stations = fields.List(fields.Str(validate=validate.Length(1, 20)), load_default=list,
                           validate=validate.Length(max=20))


class DeviceSchema(Schema):
    id = fields.Int()
    name = fields.Str()
    stations = fields.List(fields.Str())
    created_at = fields.DateTime()
    paired_at = fields.DateTime(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)
    status = fields.Function(lambda d: "revoked" if d.revoked_at else ("paired" if d.paired_at else "pending"))


class DeviceCreated(Schema):
    device = fields.Nested(DeviceSchema)
    pairing_code = fields.Str(metadata={"description": "8 digits, once, within expires_in seconds"})
    expires_in = fields.Int()


class DeviceEnvelope(Schema):
    device = fields.Nested(DeviceSchema)


class DevicesEnvelope(Schema):
    devices = fields.List(fields.Nested(DeviceSchema))
