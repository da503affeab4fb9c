"""Marshmallow schemas: request bodies in, contract shapes out; also the OpenAPI document."""
from marshmallow import EXCLUDE, Schema


class RequestSchema(Schema):
    """Request bodies ignore fields they do not know, so newer clients keep working."""

    class Meta:
        unknown = EXCLUDE
