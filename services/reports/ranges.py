"""Reports over a range of business days (a week, a month, up to a year): by day with the previous
period beside each day, and per dish, per category, per station and per member of staff."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from domain.reporting import Window, check_range, days_of, days_window, previous_period, round_div
from models import Order, OrderItem, Payment, Staff, utcnow
from services.reports import figures as f
from services.reports.daily import store_zone
from services.reports.sql import discounts
from services.uow import reading

DAY_FIELDS = ("orders", "gross_sales", "discounts", "net_sales", "service_charge", "refunds", "payments",
              "voids", "checks", "average_check")


def _add(days: dict[date, dict[str, int]], rows: Iterable[tuple[datetime, int]], name: str) -> None:
    for at, value in rows:
        day = days.get(at.date())
        if day is not None:
            day[name] += value


def by_day(s: Session, store_id: int, first: date, last: date) -> dict[date, dict[str, int]]:
    """Every day from ``first`` to ``last`` (store time) with its figures, zeros where nothing happened."""
    _store, zone = store_zone(store_id)
    w = days_window(first, last, zone)
    days = {d: dict.fromkeys(DAY_FIELDS, 0) for d in days_of(first, last)}
    for at, orders, gross, charge in f.sales_by_quarter(s, store_id, w, zone):
        if at.date() in days:
            days[at.date()]["orders"] += orders
            days[at.date()]["gross_sales"] += gross
            days[at.date()]["service_charge"] += charge
    _add(days, f.discounts_by_quarter(s, store_id, w, zone), "discounts")
    _add(days, f.refunds_by_quarter(s, store_id, w, zone), "refunds")
    _add(days, f.checks_by_quarter(s, store_id, w, zone), "checks")
    _add(days, f.by_quarter(s, Payment.paid_at, func.sum(Payment.amount), and_(
        Payment.store_id == store_id, Payment.status == "paid", Payment.paid_at >= w.start,
        Payment.paid_at < w.end), w, zone), "payments")
    voided = (select(Order.created_at.label("at"), OrderItem.line_total.label("amount"))
              .join(Order, Order.id == OrderItem.order_id)
              .where(Order.store_id == store_id, Order.created_at >= w.start, Order.created_at < w.end,
                     OrderItem.status == "cancelled", OrderItem.cancelled_by.is_not(None)).subquery())
    _add(days, f.by_quarter(s, voided.c.at, func.sum(voided.c.amount), voided.c.amount.is_not(None), w, zone),
         "voids")
    for figures in days.values():
        figures["net_sales"] = figures["gross_sales"] - figures["discounts"]
        figures["average_check"] = round_div(figures["net_sales"], figures["checks"])
    return days


def _totals(days: Iterable[dict[str, int]]) -> dict[str, int]:
    out = dict.fromkeys(DAY_FIELDS, 0)
    for figures in days:
        for k in DAY_FIELDS:
            out[k] += figures[k]
    out["average_check"] = round_div(out["net_sales"], out["checks"])
    return out


def staff_figures(s: Session, store_id: int, w: Window, voids: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per member of staff: voids (count, amount) and discounts given (count, amount)."""
    people: dict[int, dict[str, Any]] = {}

    def person(staff_id: int, name: str) -> dict[str, Any]:
        return people.setdefault(staff_id, {"staff_id": staff_id, "name": name, "voids": 0, "voids_amount": 0,
                                            "discounts": 0, "discounts_amount": 0})

    for row in voids:
        p = person(row["staff_id"], row["name"])
        p["voids"], p["voids_amount"] = row["count"], row["amount"]
    d = discounts(store_id, w.start, w.end)
    for sid, name, n, amount in s.execute(
            select(Staff.id, Staff.name, func.count(), func.sum(d.c.amount)).join(Staff, Staff.id == d.c.staff_id)
            .group_by(Staff.id, Staff.name)).all():
        p = person(sid, name)
        p["discounts"], p["discounts_amount"] = int(n), int(amount or 0)
    return sorted(people.values(), key=lambda p: (-(p["voids_amount"] + p["discounts_amount"]), p["staff_id"]))


def categories(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per category, from the per-dish aggregates (already summed in SQL), biggest sales first."""
    out: dict[int, dict[str, Any]] = {}
    for row in items:
        c = out.setdefault(row["category_id"], {"category_id": row["category_id"], "name": row["category"],
                                                "qty": 0, "sales": 0})
        c["qty"] += row["qty"]
        c["sales"] += row["sales"]
    return sorted(out.values(), key=lambda c: (-c["sales"], c["category_id"]))


def range_report(store_id: int, first: date, last: date, now: datetime | None = None) -> dict[str, Any]:
    """Figures for each day from ``first`` to ``last`` with the same days of the previous period,
    totals for both, and per dish, category, station and staff over the range.

    Raises ValidationFailed (``last`` before ``first``, more than a year), NotFound (store).
    """
    check_range(first, last)
    prev_first, prev_last = previous_period(first, last)
    with reading() as s:
        store, zone = store_zone(store_id)
        figures = by_day(s, store_id, prev_first, last)
        current, previous = days_of(first, last), days_of(prev_first, prev_last)
        w = days_window(first, last, zone)
        sold = f.lines(s, store_id, w)
        items = sold["items"]
        report = {
            "from": first.isoformat(), "to": last.isoformat(), "timezone": str(zone),
            "previous": {"from": prev_first.isoformat(), "to": prev_last.isoformat()},
            "days": [{"date": d.isoformat(), **figures[d], "previous": {"date": p.isoformat(), **figures[p]}}
                     for d, p in zip(current, previous, strict=True)],
            "totals": _totals(figures[d] for d in current),
            "previous_totals": _totals(figures[p] for p in previous),
            "payments": f.payments_by_channel(s, store_id, w),
            "items": items,
            "categories": categories(items),
            "stations": f.stations(s, store_id, w, store.kds_late_minutes * 60, now or utcnow()),
            "staff": staff_figures(s, store_id, w, sold["voids"]["by_person"]),
        }
    return report
