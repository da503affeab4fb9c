"""Ticket as the contract shows it, to screens and to the kitchen REST routes."""
from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from models import Ticket, TicketItem
from schema import RequestSchema


class TicketItemSchema(Schema):
    id = fields.Int()
    name = fields.Str()
    qty = fields.Int()
    options = fields.List(fields.Str())
    note = fields.Str()
    status = fields.Str()


class TicketSchema(Schema):
    id = fields.Int()
    order_id = fields.Int()
    order_number = fields.Int()
    table_code = fields.Str(allow_none=True, metadata={"description": "null for takeaway: see pickup_number"})
    pickup_number = fields.Int(allow_none=True)
    station = fields.Str()
    status = fields.Str()
    created_at = fields.DateTime()
    remark = fields.Str()
    items = fields.List(fields.Nested(TicketItemSchema))


class SnapshotSchema(Schema):
    seq = fields.Int()
    tickets = fields.List(fields.Nested(TicketSchema))


class TicketEnvelopeSchema(Schema):
    ticket = fields.Nested(TicketSchema)


class ItemStatusRequest(RequestSchema):
    status = fields.Str(required=True, validate=validate.OneOf(["new", "cooking", "done"]))


def ticket_view(ticket: Ticket) -> dict[str, Any]:
    """The ticket as JSON-ready data: what screens get and what the event log keeps."""
    return TicketSchema().dump(ticket_data(ticket))


def ticket_data(ticket: Ticket) -> dict[str, Any]:
    """The ticket's fields as Python values, for a response schema to dump."""
    order = ticket.order

    def item(ti: TicketItem) -> dict[str, Any]:
        oi = ti.order_item
        return {"id": ti.id, "name": oi.name, "qty": oi.qty, "options": [o["name"] for o in oi.options],
                "note": oi.note, "status": ti.status}

    return {
        "id": ticket.id, "order_id": ticket.order_id, "order_number": order.number,
        "table_code": order.table.code if order.table else None, "pickup_number": order.pickup_number,
        "station": ticket.station, "status": ticket.status,
        "created_at": ticket.created_at, "remark": order.remark,
        "items": [item(ti) for ti in ticket.items if ti.status != "cancelled"],
    }
