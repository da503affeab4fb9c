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


class SnapshotQuery(RequestSchema):
    status = fields.Str(load_default="open", validate=validate.OneOf(["open"]))
    stations = fields.Str(load_default="", validate=validate.Length(max=200))


class SoldOutRequest(RequestSchema):
    sold_out = fields.Bool(required=True)


class ItemAvailabilitySchema(Schema):
    id = fields.Int()
    name = fields.Str()
    sold_out = fields.Bool()
    stock = fields.Int(allow_none=True)


class ItemAvailabilityEnvelope(Schema):
    item = fields.Nested(ItemAvailabilitySchema)


class PairRequest(RequestSchema):
    code = fields.Str(required=True, validate=validate.Regexp(r"^[0-9]{8}$"))


class PairedDeviceSchema(Schema):
    id = fields.Int()
    name = fields.Str()
    stations = fields.List(fields.Str())


class PairResponse(Schema):
    token = fields.Str()
    device = fields.Nested(PairedDeviceSchema)


class StationsQuery(RequestSchema):
    stations = fields.Str(load_default="", validate=validate.Length(max=200))


class AllDayRow(Schema):
    item_id = fields.Int()
    name = fields.Str()
    sold_out = fields.Bool()
    qty = fields.Int()


class AllDayResponse(Schema):
    items = fields.List(fields.Nested(AllDayRow))


class KitchenSettings(Schema):
    warn_minutes = fields.Int()
    late_minutes = fields.Int()
    stations = fields.List(fields.Dict(), metadata={"description": "[{code, name}] of the store"})
    timezone = fields.Str(metadata={"description": "the store's IANA time zone (Asia/Shanghai by default): the "
                                                "screen's clock shows it whatever the kitchen PC is set to"})


class BumpedTicketSchema(TicketSchema):
    bumped_at = fields.DateTime()


class BumpedResponse(Schema):
    tickets = fields.List(fields.Nested(BumpedTicketSchema))
