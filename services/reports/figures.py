"""One SQL aggregation per figure, over one store's rows in a UTC window.

Each function takes the session, the store and the window, and returns plain numbers or rows;
nothing here loads orders into Python. The daily close and the ranges are built from these.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, literal, or_, select
from sqlalchemy.orm import Session

from domain.reporting import Window, channel_name, quarter_start
from models import Category, Item, Order, OrderItem, Payment, Refund, Staff, Table, TableSession, Ticket
from services.reports.sql import discounts, quarter_columns, seconds_between


def _int(value: Any) -> int:
    return int(value or 0)


def _orders_in(store_id: int, w: Window) -> Any:
    return and_(Order.store_id == store_id, Order.created_at >= w.start, Order.created_at < w.end)


_SOLD = and_(Order.status != "cancelled", OrderItem.status != "cancelled")  # what gross sales count
_VOID = and_(OrderItem.status == "cancelled", OrderItem.cancelled_by.is_not(None))  # staff took it off


def lines(s: Session, store_id: int, w: Window, zone: ZoneInfo | None = None) -> dict[str, Any]:
    """The window's order lines in one aggregation: what sold (per dish, best sellers first, and
    gross sales) and what staff voided (count, amount, by reason, by person); with ``zone``, also
    gross sales per quarter-hour (a day's report reads its lines once).

    Grouped by dish, void reason and voider (and quarter-hour), with CASE columns telling sold
    lines from voids; the groups are then added up here. Dishes' categories are read apart: with
    the menu joined in, MariaDB starts from the menu and walks every line each dish ever sold.
    """
    sold = case((_SOLD, 1), else_=0)
    void = case((_VOID, 1), else_=0)
    keys = [OrderItem.item_id, OrderItem.void_reason, OrderItem.cancelled_by]
    quarter = quarter_columns(Order.created_at, w.start) if zone is not None else [literal(0).label("qi")]
    rows = s.execute(
        select(*quarter, OrderItem.item_id, func.max(OrderItem.name), OrderItem.void_reason, OrderItem.cancelled_by,
               func.sum(OrderItem.qty * sold), func.sum(OrderItem.line_total * sold),
               func.sum(void), func.sum(OrderItem.line_total * void))
        .join(Order, Order.id == OrderItem.order_id).where(_orders_in(store_id, w))
        .group_by(*(quarter if zone is not None else []), *keys)).all()
    items: dict[int, dict[str, Any]] = {}
    reasons: dict[str, list[int]] = {}
    people: dict[int, list[int]] = {}
    by_quarter: dict[int, int] = {}
    for group in rows:
        qi, item_id, name, reason, voider, qty, sales, voids, voided = tuple(group)
        by_quarter[int(qi)] = by_quarter.get(int(qi), 0) + _int(sales)
        if _int(qty) or _int(sales):
            row = items.setdefault(item_id, {"item_id": item_id, "name": name, "qty": 0, "sales": 0})
            row["qty"] += _int(qty)
            row["sales"] += _int(sales)
        if _int(voids):
            for figures in (reasons.setdefault(reason or "", [0, 0]), people.setdefault(voider, [0, 0])):
                figures[0] += _int(voids)
                figures[1] += _int(voided)
    ranked = sorted(items.values(), key=lambda r: (-r["qty"], -r["sales"], r["item_id"]))
    categories = {item_id: (cid, cname) for item_id, cid, cname in s.execute(
        select(Item.id, Item.category_id, Category.name).join(Category, Category.id == Item.category_id)
        .where(Item.store_id == store_id, Item.id.in_(list(items))))} if items else {}
    for row in ranked:
        row["category_id"], row["category"] = categories.get(row["item_id"], (None, ""))
    names = {sid: name for sid, name in s.execute(select(Staff.id, Staff.name).where(
        Staff.store_id == store_id, Staff.id.in_(list(people)))).all()} if people else {}
    return {
        "items": ranked, "gross_sales": sum(r["sales"] for r in ranked),
        "gross_by_quarter": {} if zone is None else {quarter_start(w.start, qi, zone): gross
                                                     for qi, gross in by_quarter.items()},
        "voids": {"count": sum(v[0] for v in reasons.values()), "amount": sum(v[1] for v in reasons.values()),
                  "by_reason": [{"reason": k, "count": n, "amount": a} for k, (n, a) in
                                sorted(reasons.items(), key=lambda kv: (-kv[1][1], kv[0]))],
                  "by_person": [{"staff_id": k, "name": names.get(k, ""), "count": n, "amount": a} for k, (n, a) in
                                sorted(people.items(), key=lambda kv: (-kv[1][1], kv[0]))]},
    }






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








def worst_sellers(s: Session, store_id: int, sold: list[dict[str, Any]], limit: int = 5) -> list[dict[str, Any]]:
    """Dishes on the menu that sold least (nothing at all counts), fewest first: the menu beside
    ``items_sold``'s figures (already summed in SQL)."""
    figures = {row["item_id"]: row for row in sold}
    menu = s.execute(select(Item.id, Item.name).where(Item.store_id == store_id, Item.active.is_(True))).all()
    rows = [{"item_id": i, "name": n, "qty": figures[i]["qty"] if i in figures else 0,
             "sales": figures[i]["sales"] if i in figures else 0} for i, n in menu]
    return sorted(rows, key=lambda r: (r["qty"], r["item_id"]))[:limit]


def local_buckets(rows: list[Any], w: Window, zone: ZoneInfo) -> list[tuple[datetime, tuple[Any, ...]]]:
    """(local start, values) for rows of (quarter index, *values) grouped by quarter-hour of ``w``."""
    return [(quarter_start(w.start, int(qi), zone), tuple(values)) for qi, *values in rows]


def sales_by_quarter(s: Session, store_id: int, w: Window, zone: ZoneInfo,
                     gross: dict[datetime, int] | None = None) -> list[tuple[datetime, int, int, int]]:
    """(local start, orders, gross sales, service charge) per quarter-hour with business (orders
    not cancelled; gross from their lines not voided, summed here unless ``gross`` is given)."""
    cols = quarter_columns(Order.created_at, w.start)
    orders = s.execute(select(*cols, func.count(Order.id), func.sum(Order.service_charge))
                       .where(_orders_in(store_id, w), Order.status != "cancelled").group_by(*cols)).all()
    if gross is None:
        gross = {at: v[0] for at, v in local_buckets(list(s.execute(
            select(*cols, func.sum(OrderItem.line_total)).join(Order, Order.id == OrderItem.order_id)
            .where(_orders_in(store_id, w), _SOLD).group_by(*cols)).all()), w, zone)}
    return [(at, _int(v[0]), _int(gross.get(at)), _int(v[1])) for at, v in local_buckets(list(orders), w, zone)]


def discounts_by_quarter(s: Session, store_id: int, w: Window, zone: ZoneInfo) -> list[tuple[datetime, int]]:
    d = discounts(store_id, w.start, w.end)
    cols = quarter_columns(d.c.at, w.start)
    rows = s.execute(select(*cols, func.sum(d.c.amount)).group_by(*cols)).all()
    return [(at, _int(v[0])) for at, v in local_buckets(list(rows), w, zone)]


def by_quarter(s: Session, column: Any, value: Any, where: Any, w: Window,
               zone: ZoneInfo) -> list[tuple[datetime, int]]:
    """Any one figure (an aggregate ``value``) of rows matching ``where``, per quarter-hour of ``column``."""
    cols = quarter_columns(column, w.start)
    rows = s.execute(select(*cols, value).where(where).group_by(*cols)).all()
    return [(at, _int(v[0])) for at, v in local_buckets(list(rows), w, zone)]


def refunds_by_quarter(s: Session, store_id: int, w: Window, zone: ZoneInfo) -> list[tuple[datetime, int]]:
    return by_quarter(s, Refund.done_at, func.sum(Refund.amount),
                      and_(Refund.store_id == store_id, Refund.status == "success",
                           Refund.done_at >= w.start, Refund.done_at < w.end), w, zone)


def checks_by_quarter(s: Session, store_id: int, w: Window, zone: ZoneInfo) -> list[tuple[datetime, int]]:
    return by_quarter(s, TableSession.closed_at, func.count(TableSession.id), _closed_in(store_id, w), w, zone)


def _closed_in(store_id: int, w: Window) -> Any:
    return and_(TableSession.store_id == store_id, TableSession.status == "closed",
                TableSession.closed_at >= w.start, TableSession.closed_at < w.end)


def closed_checks(s: Session, store_id: int, w: Window) -> int:
    return _int(s.execute(select(func.count(TableSession.id)).where(_closed_in(store_id, w))).scalar())


def covers(s: Session, store_id: int, w: Window) -> int:
    """Guests of the day: the headcounts (用餐人数) of the checks closed that day, summed in SQL;
    a check whose diners never answered counts none."""
    return _int(s.execute(select(func.coalesce(func.sum(TableSession.headcount), 0))
                          .where(_closed_in(store_id, w))).scalar())


def active_tables(s: Session, store_id: int) -> int:
    return _int(s.execute(select(func.count(Table.id)).where(Table.store_id == store_id,
                                                             Table.active.is_(True))).scalar())


def stations(s: Session, store_id: int, w: Window, late_after_s: int, now: datetime) -> list[dict[str, Any]]:
    """Per station: tickets, prep time p50/p90 (created → bumped, seconds), late, recalls.

    Late: bumped after the store's red threshold, or still not bumped and older than it now.
    The percentiles are picked in SQL (ROW_NUMBER over each station's sorted prep times; the
    nearest rank k of p% of n is the row with 100(k-1) < p·n ≤ 100k), so only the two
    durations per station leave the database, however busy the day.
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
    ranked = select(Ticket.station.label("station"), prep.label("prep"),
                    func.row_number().over(partition_by=Ticket.station, order_by=(prep, Ticket.id)).label("k"),
                    func.count().over(partition_by=Ticket.station).label("n")).where(in_window, bumped).subquery()
    picks: dict[tuple[str, int], float] = {}
    nearest = [and_(100 * (ranked.c.k - 1) < pct * ranked.c.n, pct * ranked.c.n <= 100 * ranked.c.k)
               for pct in PERCENTILES]
    for station, value, k, n in s.execute(select(ranked.c.station, ranked.c.prep, ranked.c.k, ranked.c.n)
                                          .where(or_(*nearest))).all():
        for pct in PERCENTILES:
            if 100 * (k - 1) < pct * n <= 100 * k:
                picks[(station, pct)] = float(value)
    return [{"station": station, "tickets": _int(tickets), "late": _int(late_n), "recalls": _int(recalls),
             **{f"prep_p{pct}_s": (int(round(picks[(station, pct)])) if (station, pct) in picks else None)
                for pct in PERCENTILES}} for station, tickets, _bumped, late_n, recalls in rows]


PERCENTILES = (50, 90)


def station_parts(s: Session, store_id: int, w: Window, late_after_s: int,
                  now: datetime) -> dict[str, dict[str, Any]]:
    """Per station: tickets, late, recalls and a histogram of prep times in whole seconds
    ({seconds: tickets}), which add up across days (``percentiles`` reads p50/p90 from it)."""
    prep = seconds_between(Ticket.created_at, Ticket.bumped_at)
    in_window = and_(Ticket.store_id == store_id, Ticket.created_at >= w.start, Ticket.created_at < w.end,
                     Ticket.status != "cancelled")
    bumped = Ticket.bumped_at.is_not(None)
    late = case((and_(bumped, prep > late_after_s), 1),
                (and_(~bumped, Ticket.created_at < now - timedelta(seconds=late_after_s)), 1), else_=0)
    out: dict[str, dict[str, Any]] = {}
    for station, tickets, late_n, recalls in s.execute(
            select(Ticket.station, func.count(Ticket.id), func.sum(late), func.sum(Ticket.recalls))
            .where(in_window).group_by(Ticket.station)).all():
        out[station] = {"tickets": _int(tickets), "late": _int(late_n), "recalls": _int(recalls), "prep": {}}
    second = func.floor(prep + 0.5)
    for station, sec, n in s.execute(select(Ticket.station, second, func.count())
                                     .where(in_window, bumped).group_by(Ticket.station, second)).all():
        out[station]["prep"][str(int(sec))] = _int(n)
    return out


def percentiles(parts: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """``stations``' rows from ``station_parts`` (added up over days): nearest-rank p50/p90 over
    the whole-second prep times."""
    rows = []
    for station in sorted(parts):
        part = parts[station]
        hist = sorted((int(sec), n) for sec, n in part["prep"].items())
        total = sum(n for _sec, n in hist)
        picks: dict[int, int | None] = {}
        for pct in PERCENTILES:
            rank, seen, picks[pct] = -(-pct * total // 100), 0, None
            for sec, n in hist:
                seen += n
                if total and seen >= rank:
                    picks[pct] = sec
                    break
        rows.append({"station": station, "tickets": part["tickets"], "late": part["late"],
                     "recalls": part["recalls"], **{f"prep_p{p}_s": picks[p] for p in PERCENTILES}})
    return rows


def add_parts(into: dict[str, dict[str, Any]], parts: dict[str, dict[str, Any]]) -> None:
    for station, part in parts.items():
        mine = into.setdefault(station, {"tickets": 0, "late": 0, "recalls": 0, "prep": {}})
        for k in ("tickets", "late", "recalls"):
            mine[k] += part[k]
        for sec, n in part["prep"].items():
            mine["prep"][sec] = mine["prep"].get(sec, 0) + n


def voids_of(sold: dict[str, Any]) -> dict[int, list[int]]:
    return {row["staff_id"]: [row["count"], row["amount"]] for row in sold["voids"]["by_person"]}


def discounts_of(s: Session, store_id: int, w: Window) -> dict[int, list[int]]:
    """Discounts staff gave in the window: staff id -> [count, amount]."""
    d = discounts(store_id, w.start, w.end)
    return {int(sid): [int(n), int(amount or 0)] for sid, n, amount in s.execute(
        select(d.c.staff_id, func.count(), func.sum(d.c.amount)).where(d.c.staff_id.is_not(None))
        .group_by(d.c.staff_id)).all()}
