"""The kitchen: tickets from orders, bump/recall/item status, snapshots and replay.

Every change a screen must see is written as a ``KitchenEvent`` in the same transaction, with a
gapless per-store ``seq``, and emitted after commit. The table, not the socket, is the truth.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from domain import order_state
from domain.errors import InvalidState, NotFound
from models import Item, KitchenEvent, Order, OrderItem, Station, Store, Ticket, TicketItem, utcnow
from services import counters, kitchen_recall, printing, rows
from services.uow import Outgoing, Tx, reading, transaction
from services.views import order_view, ticket_data, ticket_view

OPEN_STATUSES = ("new", "cooking", "done")


def record_ticket_event(tx: Tx, ticket: Ticket, kind: str) -> None:
    """Number the ticket's new state and queue it for the screens after commit."""
    tx.lock_store(ticket.store_id)
    seq = counters.next_value(tx.session, ticket.store_id, counters.KITCHEN_SEQ)
    # ``prev`` is this station's previous seq: a screen that last saw less than it missed something.
    prev = counters.swap(tx.session, ticket.store_id, f"station:{ticket.station}", seq)
    tx.session.flush()  # the ticket's own changes (a bump) before its event
    event = rows.new(KitchenEvent, store_id=ticket.store_id, seq=seq, prev_seq=prev, kind=kind,
                     station=ticket.station, ticket_id=ticket.id, payload=ticket_view(ticket), created_at=utcnow())
    rows.insert_new(tx, [event])
    tx.emit(Outgoing("kds", kind, event_message(event), ticket.store_id, station=ticket.station))
    if kind == "ticket.created":
        printing.queue_ticket(tx, ticket)  # the paper copy, in the same transaction as the event


def event_message(event: KitchenEvent) -> dict[str, Any]:
    """What a screen receives: ``seq`` (store-wide), ``prev`` (same station's previous seq)."""
    return {"seq": event.seq, "prev": event.prev_seq, "ticket": event.payload}


def record_order_update(tx: Tx, order: Order) -> None:
    tx.emit(Outgoing("table", "order.updated", {"order": order_view(order)}, order.store_id,
                     table_id=order.table_id))
    # The cashiers' table grid follows every round and payment live (one nudge per transaction).
    nudge = Outgoing("staff", "floor.updated", {"table_id": order.table_id}, order.store_id)
    if nudge not in tx.events:
        tx.emit(nudge)


def send_to_kitchen(tx: Tx, order: Order) -> list[Ticket]:
    """Split the order into one ticket per station (in menu order) and announce each.

    The tickets and their lines are written with one INSERT each (``services.rows``) and stay
    outside the session: the bump and recall paths load them again."""
    by_station: dict[str, list[OrderItem]] = {}
    for line in order.items:
        by_station.setdefault(line.station, []).append(line)
    now = utcnow()
    tickets = list(rows.insert_new(tx, [
        rows.new(Ticket, store_id=order.store_id, order_id=order.id, station=station, status="new", created_at=now,
                 bumped_at=None, recalls=0, order=order)
        for station in by_station
    ]))
    items: list[TicketItem] = []
    for ticket, lines in zip(tickets, by_station.values(), strict=True):
        rows.fill(ticket, items=[rows.new(TicketItem, store_id=order.store_id, ticket_id=ticket.id,
                                          order_item_id=line.id, status="new", order_item=line) for line in lines])
        items.extend(ticket.items)
    rows.insert_new(tx, items)
    for ticket in tickets:
        record_ticket_event(tx, ticket, "ticket.created")
    return tickets


def _load_ticket(db: Session, store_id: int, ticket_id: int, stations: Iterable[str] | None) -> Ticket:
    """The store's ticket; with ``stations`` (a paired screen's), only one of those stations."""
    ticket = db.execute(
        select(Ticket).where(Ticket.id == ticket_id, Ticket.store_id == store_id)
        .options(selectinload(Ticket.items))
    ).scalar_one_or_none()
    if ticket is None or (stations and ticket.station not in set(stations)):
        raise NotFound("no such ticket")
    return ticket


def sync_order(tx: Tx, order: Order) -> None:
    """Let the order's status follow its tickets, and tell the table when it moves."""
    statuses = list(tx.session.execute(
        select(Ticket.status).where(Ticket.order_id == order.id, Ticket.status != "cancelled")
    ).scalars())
    new_status = order_state.order_status_from_tickets(order.status, statuses)
    if new_status != order.status:
        order.status = order_state.order_transition(order.status, new_status)
        record_order_update(tx, order)


def _set_ticket_items(ticket: Ticket, status: str) -> None:
    for ti in active_items(ticket):
        ti.status = status
        ti.order_item.status = status


def active_items(ticket: Ticket) -> list[TicketItem]:
    return [ti for ti in ticket.items if ti.status != "cancelled"]


def withdraw_item(tx: Tx, order_item: OrderItem) -> None:
    """Take a cancelled or voided line off its ticket; a ticket left empty is cancelled.

    Printers that have the ticket on paper get a void slip (after it, in their order)."""
    ti = tx.session.execute(select(TicketItem).where(TicketItem.order_item_id == order_item.id)).scalar_one_or_none()
    if ti is None:  # not sent to the kitchen yet (pay first, unpaid)
        return
    ti.status = "cancelled"
    ticket = ti.ticket
    remaining = active_items(ticket)
    if ticket.status != "bumped":
        ticket.status = (order_state.ticket_status_from_items([i.status for i in remaining]) if remaining
                         else order_state.ticket_transition(ticket.status, "cancelled"))
    record_ticket_event(tx, ticket, "ticket.updated")
    # A diner's own cancel has no staff reason; the kitchen reads Chinese.
    reason = order_item.void_reason if order_item.cancelled_by is not None else "顾客取消"
    printing.queue_void(tx, ticket, [order_item], reason or "")


def bump_ticket(store_id: int, ticket_id: int, stations: Iterable[str] | None = None) -> Ticket:
    """Mark the ticket bumped (all its items done); the order is ready when all are bumped.

    Raises NotFound for another store's, another station's (given ``stations``) or an unknown
    ticket, InvalidState if already bumped.
    """
    with transaction() as tx:
        ticket = _load_ticket(tx.session, store_id, ticket_id, stations)
        ticket.status = order_state.ticket_transition(ticket.status, "bumped")
        ticket.bumped_at = utcnow()
        _set_ticket_items(ticket, "done")
        record_ticket_event(tx, ticket, "ticket.updated")
        sync_order(tx, ticket.order)
    return ticket


def recall_ticket(store_id: int, ticket_id: int, stations: Iterable[str] | None = None) -> Ticket:
    """Bring a bumped ticket back to the screen, each item as it was before the bump; the order returns
    to preparing."""
    with transaction() as tx:
        ticket = _load_ticket(tx.session, store_id, ticket_id, stations)
        if ticket.status != "bumped":
            raise InvalidState("only a bumped ticket can be recalled")
        ticket.status = order_state.ticket_transition(ticket.status, "done")
        ticket.bumped_at = None
        ticket.recalls = (ticket.recalls or 0) + 1  # the daily close counts them per station
        kitchen_recall.restore_items(tx.session, ticket)  # as the cook left it, not all struck through
        record_ticket_event(tx, ticket, "ticket.updated")
        sync_order(tx, ticket.order)
    return ticket


def set_item_status(store_id: int, ticket_item_id: int, status: str,
                    stations: Iterable[str] | None = None) -> Ticket:
    """Move one item (new/cooking/done); the ticket's status follows its items."""
    with transaction() as tx:
        ti = tx.session.execute(
            select(TicketItem).where(TicketItem.id == ticket_item_id, TicketItem.store_id == store_id)
        ).scalar_one_or_none()
        if ti is None or (stations and ti.ticket.station not in set(stations)):
            raise NotFound("no such ticket item")
        ticket = ti.ticket
        if ticket.status == "bumped":
            order_state.ticket_transition("bumped", "cooking")  # raises InvalidState
        if ti.status != status:
            ti.status = order_state.item_transition(ti.status, status)
            ti.order_item.status = status
        ticket.status = order_state.ticket_status_from_items([i.status for i in active_items(ticket)])
        record_ticket_event(tx, ticket, "ticket.updated")
        sync_order(tx, ticket.order)
    return ticket


def open_tickets(store_id: int, stations: Iterable[str] | None = None) -> tuple[int, list[dict[str, Any]]]:
    """The snapshot a screen starts from: the current seq and every open ticket, oldest first.

    The seq is read in the same transaction as the tickets, so replaying after it misses nothing.
    """
    query = (select(Ticket).where(Ticket.store_id == store_id, Ticket.status.in_(OPEN_STATUSES))
             .order_by(Ticket.created_at, Ticket.id).options(selectinload(Ticket.items)))
    if stations:
        query = query.where(Ticket.station.in_(list(stations)))
    with reading() as db:
        seq = counters.current_value(db, store_id, counters.KITCHEN_SEQ)
        tickets = [ticket_data(t) for t in db.execute(query).scalars()]
    return seq, tickets


def events_after(store_id: int, after: int, stations: Iterable[str] | None, limit: int) -> list[KitchenEvent] | None:
    """Events with seq > after in order, or None when more than ``limit`` were missed."""
    query = (select(KitchenEvent).where(KitchenEvent.store_id == store_id, KitchenEvent.seq > after)
             .order_by(KitchenEvent.seq).limit(limit + 1))
    if stations:
        query = query.where(KitchenEvent.station.in_(list(stations)))
    with reading() as db:
        events = list(db.execute(query).scalars())
    return None if len(events) > limit else events


UNDO_WINDOW = timedelta(minutes=10)


def undo_last_bump(store_id: int, stations: Iterable[str] | None = None) -> Ticket:
    """Bring back the ticket bumped most recently (in these stations, within 10 minutes).

    Raises NotFound when there is nothing recent to undo.
    """
    with transaction() as tx:
        query = (select(Ticket.id).where(Ticket.store_id == store_id, Ticket.status == "bumped",
                                         Ticket.bumped_at >= utcnow() - UNDO_WINDOW)
                 .order_by(Ticket.bumped_at.desc(), Ticket.id.desc()).limit(1))
        if stations:
            query = query.where(Ticket.station.in_(list(stations)))
        ticket_id = tx.session.execute(query).scalar_one_or_none()
        if ticket_id is None:
            raise NotFound("nothing bumped in the last 10 minutes")
    return recall_ticket(store_id, ticket_id)


def all_day_counts(store_id: int, stations: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """What is still to cook, per dish, over every open ticket: the kitchen's all-day view."""
    # With each dish's sold-out (估清) state, so the screen shows which are off and can undo it.
    query = (select(OrderItem.item_id, OrderItem.name, Item.sold_out, func.sum(OrderItem.qty))
             .join(TicketItem, TicketItem.order_item_id == OrderItem.id)
             .join(Ticket, Ticket.id == TicketItem.ticket_id)
             .join(Item, Item.id == OrderItem.item_id)
             .where(Ticket.store_id == store_id, Ticket.status.in_(OPEN_STATUSES),
                    TicketItem.status.in_(("new", "cooking")))
             .group_by(OrderItem.item_id, OrderItem.name, Item.sold_out)
             .order_by(func.sum(OrderItem.qty).desc(), OrderItem.name))
    if stations:
        query = query.where(Ticket.station.in_(list(stations)))
    with reading() as db:
        rows = db.execute(query).all()
    return [{"item_id": item_id, "name": name, "sold_out": bool(sold_out), "qty": int(qty)}
            for item_id, name, sold_out, qty in rows]


def screen_settings(store_id: int) -> tuple[Store, list[Station]]:
    with reading() as db:
        store = db.get(Store, store_id)
        if store is None:
            raise NotFound("no such store")
        stations = list(db.execute(
            select(Station).where(Station.store_id == store_id).order_by(Station.sort, Station.id)
        ).scalars())
    return store, stations
