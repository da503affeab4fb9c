"""The error envelope every failing answer carries (the contract's stable codes)."""
from __future__ import annotations

from marshmallow import Schema, fields


class ErrorBodySchema(Schema):
    # Registered before api/openapi.py's rule is installed, so "always present" is said here.
    code = fields.Str(required=True, metadata={"description": "stable error code, e.g. sold_out"})
    message = fields.Str(required=True)
    fields = fields.Dict(metadata={"description": "per-field messages, for validation errors", "optional": True})


class ErrorSchema(Schema):
    error = fields.Nested(ErrorBodySchema, required=True)
