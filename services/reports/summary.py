"""Summaries of closed business days, so a month or a year is added up from one row a day
instead of every order of it (bench/reports.py: 100,000 orders).

A day is *closed* once it is over in the store's time zone and nothing of it can change any
more: no check with one of its orders is still open (a line may still be voided, an order
cancelled) and none of its tickets is still on a kitchen screen (bumps and recalls change prep
times). Refunds, payments, discounts and closed checks count on the day they happen, so later
ones never touch a closed day. ``services.reports.closing.close_days`` writes the summaries (the
daily close, ``flask reports-close``); the range report reads them and aggregates the rest live.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.reporting import Window
from models import Category, Item, Order, ReportDay, TableSession, Ticket
from services.reports import figures as f

OPEN_TICKET = ("new", "cooking", "done")


def closed_before(s: Session, store_id: int, zone: ZoneInfo, now: datetime) -> date:
    """The first day that is not closed: today, or the day of the oldest order on a check still
    open, or of the oldest ticket still on a screen, whichever is earliest."""
    today = now.astimezone(zone).date()
    oldest = [s.execute(select(func.min(Order.created_at)).join(TableSession, TableSession.id == Order.table_session_id)
                        .where(TableSession.store_id == store_id, TableSession.status == "open")).scalar(),
              s.execute(select(func.min(Ticket.created_at)).where(Ticket.status.in_(OPEN_TICKET),
                                                                  Ticket.store_id == store_id)).scalar()]
    return min([today] + [at.astimezone(zone).date() for at in oldest if at is not None])


def stored_days(s: Session, store_id: int, first: date, last: date, late_after_s: int, now: datetime,
                zone: ZoneInfo) -> dict[date, dict[str, Any]]:
    """The summaries of closed days from ``first`` to ``last`` counted with today's red threshold."""
    rows = {r.day: r.data for r in s.execute(select(ReportDay).where(
        ReportDay.store_id == store_id, ReportDay.day >= first, ReportDay.day <= last,
        ReportDay.late_after_s == late_after_s)).scalars()}
    if not rows:
        return {}
    closed = closed_before(s, store_id, zone, now)
    return {d: data for d, data in rows.items() if d < closed}


def runs(days: list[date]) -> list[tuple[date, date]]:
    """Consecutive days as (first, last) runs."""
    out: list[tuple[date, date]] = []
    for d in sorted(days):
        if out and out[-1][1] + timedelta(days=1) == d:
            out[-1] = (out[-1][0], d)
        else:
            out.append((d, d))
    return out


def day_data(s: Session, store_id: int, w: Window, late_after_s: int, now: datetime,
             figures: dict[str, int] | None) -> dict[str, Any]:
    """What the range report adds up, for the window's rows (one day, or a run of live days)."""
    sold = f.lines(s, store_id, w)
    data: dict[str, Any] = {
        "items": [[r["item_id"], r["name"], r["qty"], r["sales"]] for r in sold["items"]],
        "voids": [[k, n, a] for k, (n, a) in f.voids_of(sold).items()],
        "discounts": [[k, n, a] for k, (n, a) in f.discounts_of(s, store_id, w).items()],
        "payments": f.payments_by_channel(s, store_id, w),
        "stations": f.station_parts(s, store_id, w, late_after_s, now),
    }
    if figures is not None:
        data["figures"] = figures
    return data


@dataclass
class Totals:
    """Day data added up."""

    sold: dict[int, list[Any]] = field(default_factory=dict)  # item -> [name, qty, sales]
    voids: dict[int, list[int]] = field(default_factory=dict)
    discounts: dict[int, list[int]] = field(default_factory=dict)
    payments: dict[str, int] = field(default_factory=dict)
    stations: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, data: dict[str, Any]) -> None:
        for item_id, name, qty, sales in data["items"]:
            row = self.sold.setdefault(int(item_id), [name, 0, 0])
            row[0], row[1], row[2] = max(row[0], name), row[1] + qty, row[2] + sales
        for into, rows in ((self.voids, data["voids"]), (self.discounts, data["discounts"])):
            _add_counts(into, rows)
        for channel, amount in data["payments"].items():
            self.payments[channel] = self.payments.get(channel, 0) + amount
        f.add_parts(self.stations, data["stations"])

    def items(self, s: Session, store_id: int) -> list[dict[str, Any]]:
        """Per dish, best sellers first, with its category (as ``figures.lines`` gives them)."""
        ranked = sorted(({"item_id": i, "name": n, "qty": q, "sales": v} for i, (n, q, v) in self.sold.items()
                         if q or v), key=lambda r: (-r["qty"], -r["sales"], r["item_id"]))
        cats = {i: (cid, cname) for i, cid, cname in s.execute(
            select(Item.id, Item.category_id, Category.name).join(Category, Category.id == Item.category_id)
            .where(Item.store_id == store_id, Item.id.in_([r["item_id"] for r in ranked])))} if ranked else {}
        for row in ranked:
            row["category_id"], row["category"] = cats.get(row["item_id"], (None, ""))
        return ranked


def _add_counts(into: dict[int, list[int]], rows: Iterable[list[int]]) -> None:
    for key, n, amount in rows:
        mine = into.setdefault(int(key), [0, 0])
        mine[0] += n
        mine[1] += amount
