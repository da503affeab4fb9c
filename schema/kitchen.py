"""Ticket as the contract shows it, to screens and to the kitchen REST routes."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from schema import RequestSchema
from services.views import TicketItemSchema, TicketSchema, ticket_data, ticket_view

__all__ = ["ItemStatusRequest", "SnapshotSchema", "TicketEnvelopeSchema", "TicketItemSchema", "TicketSchema",
           "ticket_data", "ticket_view"]


class SnapshotSchema(Schema):
    seq = fields.Int()
    tickets = fields.List(fields.Nested(TicketSchema))


class TicketEnvelopeSchema(Schema):
    ticket = fields.Nested(TicketSchema)


class ItemStatusRequest(RequestSchema):
    status = fields.Str(required=True, validate=validate.OneOf(["new", "cooking", "done"]))


class BumpedTicketSchema(TicketSchema):
    bumped_at = fields.DateTime()


class BumpedResponse(Schema):
    tickets = fields.List(fields.Nested(BumpedTicketSchema))
