"""One SQL aggregation per figure, over one store's rows in a UTC window.

Each function takes the session, the store and the window, and returns plain numbers or rows;
nothing here loads orders into Python. The daily close and the ranges are built from these.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from domain.reporting import Window, channel_name, percentile_rank, quarter_to_local
from models import Category, Item, Order, OrderItem, Payment, Refund, Staff, Table, TableSession, Ticket
from services.reports.sql import discounts, quarter_columns, seconds_between


def _int(value: Any) -> int:
    return int(value or 0)


def _orders_in(store_id: int, w: Window) -> Any:
    return and_(Order.store_id == store_id, Order.created_at >= w.start, Order.created_at < w.end)


_SOLD = and_(Order.status != "cancelled", OrderItem.status != "cancelled")  # what gross sales count
_VOID = and_(OrderItem.status == "cancelled", OrderItem.cancelled_by.is_not(None))  # staff took it off


def order_totals(s: Session, store_id: int, w: Window) -> dict[str, int]:
    """Orders not cancelled and their service charge."""
    count, charge = s.execute(
        select(func.count(Order.id), func.sum(Order.service_charge))
        .where(_orders_in(store_id, w), Order.status != "cancelled")).one()
    return {"orders": _int(count), "service_charge": _int(charge)}


def gross_sales(s: Session, store_id: int, w: Window) -> int:
    """Line totals of orders not cancelled, voided lines left out."""
    return _int(s.execute(
        select(func.sum(OrderItem.line_total)).join(Order, Order.id == OrderItem.order_id)
        .where(_orders_in(store_id, w), _SOLD)).scalar())


def discount_totals(s: Session, store_id: int, w: Window) -> dict[str, int]:
    """Discounts given in the window, by kind (coupon, manual, …)."""
    d = discounts(store_id, w.start, w.end)
    return {kind: _int(amount) for kind, amount in s.execute(
        select(d.c.kind, func.sum(d.c.amount)).group_by(d.c.kind)).all()}


def refunds(s: Session, store_id: int, w: Window) -> int:
    """Money given back in the window (refunds that went through)."""
    return _int(s.execute(
        select(func.sum(Refund.amount)).where(Refund.store_id == store_id, Refund.status == "success",
                                              Refund.done_at >= w.start, Refund.done_at < w.end)).scalar())


def payments_by_channel(s: Session, store_id: int, w: Window) -> dict[str, int]:
    """Money taken in the window by channel, refunds not subtracted."""
    out: dict[str, int] = {}
    for channel, amount in s.execute(
            select(Payment.channel, func.sum(Payment.amount))
            .where(Payment.store_id == store_id, Payment.status == "paid",
                   Payment.paid_at >= w.start, Payment.paid_at < w.end)
            .group_by(Payment.channel)).all():
        name = channel_name(channel)
        out[name] = out.get(name, 0) + _int(amount)
    return dict(sorted(out.items()))


def _void_query(store_id: int, w: Window, *group: Any) -> Any:
    return (select(*group, func.count(OrderItem.id), func.sum(OrderItem.line_total))
            .join(Order, Order.id == OrderItem.order_id).where(_orders_in(store_id, w), _VOID))


def voids(s: Session, store_id: int, w: Window) -> dict[str, Any]:
    """Lines staff voided on the window's orders: count, amount, by reason and by person."""
    count, amount = s.execute(_void_query(store_id, w)).one()
    by_reason = [{"reason": reason or "", "count": _int(n), "amount": _int(a)} for reason, n, a in s.execute(
        _void_query(store_id, w, OrderItem.void_reason).group_by(OrderItem.void_reason)
        .order_by(func.sum(OrderItem.line_total).desc(), OrderItem.void_reason)).all()]
    by_person = [{"staff_id": sid, "name": name, "count": _int(n), "amount": _int(a)}
                 for sid, name, n, a in s.execute(
                     _void_query(store_id, w, Staff.id, Staff.name).join(Staff, Staff.id == OrderItem.cancelled_by)
                     .group_by(Staff.id, Staff.name).order_by(func.sum(OrderItem.line_total).desc(), Staff.id)).all()]
    return {"count": _int(count), "amount": _int(amount), "by_reason": by_reason, "by_person": by_person}


def items_sold(s: Session, store_id: int, w: Window) -> list[dict[str, Any]]:
    """Per dish: quantity and sales, best sellers first (by quantity, then sales)."""
    qty, sales = func.sum(OrderItem.qty), func.sum(OrderItem.line_total)
    rows = s.execute(
        select(OrderItem.item_id, func.max(OrderItem.name), qty, sales, func.max(Item.category_id),
               func.max(Category.name))
        .join(Order, Order.id == OrderItem.order_id).join(Item, Item.id == OrderItem.item_id)
        .join(Category, Category.id == Item.category_id)
        .where(_orders_in(store_id, w), _SOLD).group_by(OrderItem.item_id)
        .order_by(qty.desc(), sales.desc(), OrderItem.item_id)).all()
    return [{"item_id": item_id, "name": name, "qty": _int(q), "sales": _int(total), "category_id": cid,
             "category": cname} for item_id, name, q, total, cid, cname in rows]


def worst_sellers(s: Session, store_id: int, w: Window, limit: int = 5) -> list[dict[str, Any]]:
    """Dishes on the menu that sold least (nothing at all counts), fewest first."""
    sold = (select(OrderItem.item_id.label("item_id"), func.sum(OrderItem.qty).label("qty"),
                   func.sum(OrderItem.line_total).label("sales"))
            .join(Order, Order.id == OrderItem.order_id).where(_orders_in(store_id, w), _SOLD)
            .group_by(OrderItem.item_id).subquery())
    qty = func.coalesce(sold.c.qty, 0)
    rows = s.execute(
        select(Item.id, Item.name, qty, func.coalesce(sold.c.sales, 0)).outerjoin(sold, sold.c.item_id == Item.id)
        .where(Item.store_id == store_id, Item.active.is_(True)).order_by(qty, Item.id).limit(limit)).all()
    return [{"item_id": i, "name": n, "qty": _int(q), "sales": _int(t)} for i, n, q, t in rows]


def local_buckets(rows: list[Any], zone: ZoneInfo) -> list[tuple[datetime, tuple[Any, ...]]]:
    """(local start, values) for rows of (y, m, d, h, q, *values) grouped by UTC quarter-hour."""
    return [(quarter_to_local(int(y), int(m), int(d), int(h), int(q), zone), tuple(values))
            for y, m, d, h, q, *values in rows]


def sales_by_quarter(s: Session, store_id: int, w: Window, zone: ZoneInfo) -> list[tuple[datetime, int, int]]:
    """(local start, orders, gross sales) per UTC quarter-hour with business."""
    cols = quarter_columns(Order.created_at)
    lines = (select(OrderItem.order_id.label("order_id"), func.sum(OrderItem.line_total).label("gross"))
             .join(Order, Order.id == OrderItem.order_id).where(_orders_in(store_id, w), _SOLD)
             .group_by(OrderItem.order_id).subquery())
    rows = s.execute(select(*cols, func.count(Order.id), func.sum(func.coalesce(lines.c.gross, 0)))
                     .outerjoin(lines, lines.c.order_id == Order.id)
                     .where(_orders_in(store_id, w), Order.status != "cancelled").group_by(*cols)).all()
    return [(at, _int(v[0]), _int(v[1])) for at, v in local_buckets(list(rows), zone)]


def discounts_by_quarter(s: Session, store_id: int, w: Window, zone: ZoneInfo) -> list[tuple[datetime, int]]:
    d = discounts(store_id, w.start, w.end)
    cols = quarter_columns(d.c.at)
    rows = s.execute(select(*cols, func.sum(d.c.amount)).group_by(*cols)).all()
    return [(at, _int(v[0])) for at, v in local_buckets(list(rows), zone)]


def by_quarter(s: Session, column: Any, value: Any, where: Any, zone: ZoneInfo) -> list[tuple[datetime, int]]:
    """Any one figure (an aggregate ``value``) of rows matching ``where``, per UTC quarter-hour of ``column``."""
    cols = quarter_columns(column)
    rows = s.execute(select(*cols, value).where(where).group_by(*cols)).all()
    return [(at, _int(v[0])) for at, v in local_buckets(list(rows), zone)]


def refunds_by_quarter(s: Session, store_id: int, w: Window, zone: ZoneInfo) -> list[tuple[datetime, int]]:
    return by_quarter(s, Refund.done_at, func.sum(Refund.amount),
                      and_(Refund.store_id == store_id, Refund.status == "success",
                           Refund.done_at >= w.start, Refund.done_at < w.end), zone)


def checks_by_quarter(s: Session, store_id: int, w: Window, zone: ZoneInfo) -> list[tuple[datetime, int]]:
    return by_quarter(s, TableSession.closed_at, func.count(TableSession.id), _closed_in(store_id, w), zone)


def _closed_in(store_id: int, w: Window) -> Any:
    return and_(TableSession.store_id == store_id, TableSession.status == "closed",
                TableSession.closed_at >= w.start, TableSession.closed_at < w.end)


def closed_checks(s: Session, store_id: int, w: Window) -> int:
    return _int(s.execute(select(func.count(TableSession.id)).where(_closed_in(store_id, w))).scalar())


def active_tables(s: Session, store_id: int) -> int:
    return _int(s.execute(select(func.count(Table.id)).where(Table.store_id == store_id,
                                                             Table.active.is_(True))).scalar())


def stations(s: Session, store_id: int, w: Window, late_after_s: int, now: datetime) -> list[dict[str, Any]]:
    """Per station: tickets, prep time p50/p90 (created → bumped, seconds), late, recalls.

    Late: bumped after the store's red threshold, or still not bumped and older than it now.
    The percentiles are read with ORDER BY … LIMIT 1 OFFSET rank-1, so only two durations per
    station leave the database, however busy the day.
    """
    prep = seconds_between(Ticket.created_at, Ticket.bumped_at)
    in_window = and_(Ticket.store_id == store_id, Ticket.created_at >= w.start, Ticket.created_at < w.end,
                     Ticket.status != "cancelled")
    bumped = Ticket.bumped_at.is_not(None)
    late = case((and_(bumped, prep > late_after_s), 1),
                (and_(~bumped, Ticket.created_at < now - timedelta(seconds=late_after_s)), 1), else_=0)
    rows = s.execute(
        select(Ticket.station, func.count(Ticket.id), func.sum(case((bumped, 1), else_=0)), func.sum(late),
               func.sum(Ticket.recalls)).where(in_window).group_by(Ticket.station).order_by(Ticket.station)).all()
    out = []
    for station, tickets, bumped_n, late_n, recalls in rows:
        figures = {"station": station, "tickets": _int(tickets), "late": _int(late_n), "recalls": _int(recalls)}
        for pct in (50, 90):
            rank = percentile_rank(_int(bumped_n), pct)
            value = None
            if rank:
                value = s.execute(select(prep).where(in_window, bumped, Ticket.station == station)
                                  .order_by(prep).limit(1).offset(rank - 1)).scalar()
            figures[f"prep_p{pct}_s"] = None if value is None else int(round(float(value)))
        out.append(figures)
    return out
