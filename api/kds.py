"""Kitchen REST routes: the snapshot a screen starts from, bump, recall, item status."""
from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from api.auth import current_device, current_staff, kitchen_required, kitchen_store_id
from api.limits import limiter
from domain.errors import Forbidden
from schema.kitchen import (
    AllDayResponse,
    BumpedResponse,
    ItemAvailabilityEnvelope,
    ItemStatusRequest,
    KitchenSettings,
    PairRequest,
    PairResponse,
    SnapshotQuery,
    SnapshotSchema,
    SoldOutRequest,
    StationsQuery,
    TicketEnvelopeSchema,
    ticket_data,
)
from services import devices, kitchen, kitchen_recall, menu

blp = Blueprint("kds", __name__, url_prefix="/api/v1/kds", description="Kitchen display")


def _store_id() -> int:
    store_id = kitchen_store_id()
    assert store_id is not None
    return store_id


def _screen_stations() -> list[str] | None:
    """A screen paired for some stations works on those alone, over REST as over its socket."""
    device = current_device()
    return list(device.stations) if device is not None and device.stations else None


@blp.get("/tickets")
@kitchen_required
@blp.arguments(SnapshotQuery(), location="query")
@blp.response(200, SnapshotSchema)
@blp.doc(security=[{"bearer": []}])
def snapshot(query: dict[str, Any]) -> dict[str, Any]:
    seq, tickets = kitchen.open_tickets(_store_id(), _stations(query))
    return {"seq": seq, "tickets": tickets}


@blp.post("/tickets/<int:ticket_id>/bump")
@kitchen_required
@blp.response(200, TicketEnvelopeSchema)
@blp.doc(security=[{"bearer": []}])
def bump(ticket_id: int) -> dict[str, Any]:
    return {"ticket": ticket_data(kitchen.bump_ticket(_store_id(), ticket_id, _screen_stations()))}


@blp.post("/tickets/<int:ticket_id>/recall")
@kitchen_required
@blp.response(200, TicketEnvelopeSchema)
@blp.doc(security=[{"bearer": []}])
def recall(ticket_id: int) -> dict[str, Any]:
    return {"ticket": ticket_data(kitchen.recall_ticket(_store_id(), ticket_id, _screen_stations()))}


@blp.post("/ticket-items/<int:item_id>/status")
@kitchen_required
@blp.arguments(ItemStatusRequest())
@blp.response(200, TicketEnvelopeSchema)
@blp.doc(security=[{"bearer": []}])
def item_status(body: dict[str, Any], item_id: int) -> dict[str, Any]:
    return {"ticket": ticket_data(kitchen.set_item_status(_store_id(), item_id, body["status"],
                                                          _screen_stations()))}


@blp.post("/items/<int:item_id>/sold-out")
@kitchen_required
@blp.arguments(SoldOutRequest())
@blp.response(200, ItemAvailabilityEnvelope)
@blp.doc(security=[{"bearer": []}])
def mark_sold_out(body: dict[str, Any], item_id: int) -> dict[str, Any]:
    """The kitchen runs out of a dish (or has it again): diners' menus change at once."""
    who, device = current_staff(), current_device()
    return {"item": menu.set_sold_out(_store_id(), item_id, body["sold_out"], who.id if who else None,
                                      device.name if device else None)}


@blp.post("/pair")
@limiter.limit("10/minute")
@blp.arguments(PairRequest())
@blp.response(200, PairResponse)
def pair(body: dict[str, Any]) -> dict[str, Any]:
    """A kitchen screen trades the code a manager made for its own token (once)."""
    device, token = devices.pair(body["code"])
    return {"token": token, "device": device}


def _stations(query: dict[str, Any]) -> list[str] | None:
    """The stations asked for, within the screen's own; a station outside them is forbidden."""
    asked = [s for s in query["stations"].split(",") if s] or None
    allowed = _screen_stations()
    if allowed is None:
        return asked
    if asked is not None and not set(asked) <= set(allowed):
        raise Forbidden("this screen is paired for {stations}", stations=", ".join(allowed))
    return asked or allowed


@blp.get("/all-day")
@kitchen_required
@blp.arguments(StationsQuery(), location="query")
@blp.response(200, AllDayResponse)
@blp.doc(security=[{"bearer": []}])
def all_day(query: dict[str, Any]) -> dict[str, Any]:
    """How many of each dish are still to cook across the open tickets."""
    return {"items": kitchen.all_day_counts(_store_id(), _stations(query))}


@blp.post("/undo")
@kitchen_required
@blp.arguments(StationsQuery(), location="query")
@blp.response(200, TicketEnvelopeSchema)
@blp.doc(security=[{"bearer": []}])
def undo(query: dict[str, Any]) -> dict[str, Any]:
    """Undo the last bump (within 10 minutes): the ticket comes back on every screen."""
    return {"ticket": ticket_data(kitchen.undo_last_bump(_store_id(), _stations(query)))}


@blp.get("/settings")
@kitchen_required
@blp.response(200, KitchenSettings)
@blp.doc(security=[{"bearer": []}])
def kitchen_settings() -> dict[str, Any]:
    """What a screen needs to know about its store: ticket timer thresholds and station names."""
    store, stations = kitchen.screen_settings(_store_id())
    return {"warn_minutes": store.kds_warn_minutes, "late_minutes": store.kds_late_minutes,
            "stations": [{"code": s.code, "name": s.name} for s in stations], "timezone": store.timezone}


@blp.get("/tickets/bumped")
@kitchen_required
@blp.arguments(StationsQuery(), location="query")
@blp.response(200, BumpedResponse)
@blp.doc(security=[{"bearer": []}])
def recently_bumped(query: dict[str, Any]) -> dict[str, Any]:
    """The tickets bumped in the last 30 minutes, newest first: what a screen offers to recall."""
    return {"tickets": kitchen_recall.recently_bumped(_store_id(), _stations(query))}
