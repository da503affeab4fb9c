"""Bringing a bumped ticket back: as it was before the bump, and the list of recent bumps to recall from.

A bump marks every item done (the kitchen says "all out"), which would lose what the cook saw: a
recall restores each item's status from the ticket's last event before the bump (the event log
keeps every state a screen was shown), so a mistaken bump undoes to exactly the screen it left.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from domain import order_state
from models import KitchenEvent, Ticket, utcnow
from services.uow import reading
from services.views import ticket_data

RECENT = timedelta(minutes=30)


def statuses_before_bump(session: Session, ticket: Ticket) -> dict[int, str]:
    """Each ticket item's status in the ticket's newest event that was not a bump (id -> status)."""
    events = session.execute(
        select(KitchenEvent.payload).where(KitchenEvent.store_id == ticket.store_id,
                                           KitchenEvent.ticket_id == ticket.id)
        .order_by(KitchenEvent.seq.desc()).limit(50)
    ).scalars()
    for payload in events:
        if payload.get("status") != "bumped":
            return {int(i["id"]): str(i["status"]) for i in payload.get("items", [])}
    return {}


def restore_items(session: Session, ticket: Ticket) -> None:
    """Put the items of a just-recalled ticket back as they were before its bump; the ticket follows."""
    before = statuses_before_bump(session, ticket)
    live = [ti for ti in ticket.items if ti.status != "cancelled"]
    for ti in live:
        status = before.get(ti.id)
        if status in ("new", "cooking", "done"):
            # Not a move forward through the item machine but the bump taken back: set as it was.
            ti.status = status
            ti.order_item.status = status
    if live:
        ticket.status = order_state.ticket_status_from_items([ti.status for ti in live])


def recently_bumped(store_id: int, stations: Iterable[str] | None = None, limit: int = 12) -> list[dict[str, Any]]:
    """The tickets bumped in the last 30 minutes, newest first: what a cook may recall."""
    with reading() as session:
        query = (select(Ticket).where(Ticket.store_id == store_id, Ticket.status == "bumped",
                                      Ticket.bumped_at >= utcnow() - RECENT)
                 .order_by(Ticket.bumped_at.desc(), Ticket.id.desc()).limit(limit)
                 .options(selectinload(Ticket.items)))
        if stations:
            query = query.where(Ticket.station.in_(list(stations)))
        return [ticket_data(t) | {"bumped_at": t.bumped_at} for t in session.execute(query).scalars()]
