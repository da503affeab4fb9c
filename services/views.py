"""What screens and phones receive: tickets and orders as JSON-ready data.

The one place these payloads are built. Services write them into the kitchen event log inside
the transaction (so a screen that resumes gets exactly what was emitted), and the REST routes
answer with the same schemas; ``schema/`` re-exports them for the API and its OpenAPI document.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from marshmallow import Schema, fields

from models import Order, Ticket, TicketItem


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


class OptionSnapshotSchema(Schema):
    id = fields.Int()
    name = fields.Str()
    price_delta = fields.Int()


class OrderItemSchema(Schema):
    id = fields.Int()
    item_id = fields.Int()
    name = fields.Str()
    qty = fields.Int()
    options = fields.List(fields.Nested(OptionSnapshotSchema))
    unit_price = fields.Int()
    line_total = fields.Int()
    note = fields.Str()
    status = fields.Str()
    payment_id = fields.Int(allow_none=True, metadata={"description": "set once a payment paid this very line"})


class OrderSchema(Schema):
    id = fields.Int()
    number = fields.Int()
    status = fields.Str()
    payment_status = fields.Str()
    total = fields.Int()
    service_charge = fields.Int()
    service_charge_bp = fields.Int(metadata={"description": "the service charge rate the order was placed at"})
    table_session_id = fields.Int()
    table_code = fields.Function(lambda o: o.table.code if o.table else None,
                                 metadata={"description": "null for a takeaway order"})
    pickup_number = fields.Int(allow_none=True, metadata={"description": "takeaway: the number called at the counter"})
    remark = fields.Str()
    created_at = fields.DateTime()
    items = fields.List(fields.Nested(OrderItemSchema))


def _dt(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()  # fields.DateTime()'s "iso"


def ticket_view(ticket: Ticket) -> dict[str, Any]:
    """The ticket as JSON-ready data: what screens get and what the event log keeps.

    Built by hand, field for field what ``TicketSchema().dump`` gives (tests/api/test_views.py
    holds them equal): on the order path the schema walk cost more than the rest of building it.
    """
    data = ticket_data(ticket)
    data["created_at"] = _dt(data["created_at"])
    return data


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


def order_view(order: Order) -> dict[str, Any]:
    """The order as JSON-ready data (``OrderSchema().dump``, by hand: see ``ticket_view``)."""
    return {
        "id": order.id, "number": order.number, "status": order.status, "payment_status": order.payment_status,
        "total": order.total, "service_charge": order.service_charge, "service_charge_bp": order.service_charge_bp,
        "table_session_id": order.table_session_id, "table_code": order.table.code if order.table else None,
        "pickup_number": order.pickup_number, "remark": order.remark, "created_at": _dt(order.created_at),
        "items": [{
            "id": ln.id, "item_id": ln.item_id, "name": ln.name, "qty": ln.qty,
            "options": [{k: o[k] for k in ("id", "name", "price_delta") if k in o} for o in ln.options],
            "unit_price": ln.unit_price, "line_total": ln.line_total, "note": ln.note, "status": ln.status,
            "payment_id": ln.payment_id,
        } for ln in order.items],
    }
