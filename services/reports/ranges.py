"""Reports over a range of business days (a week, a month, up to a year): by day with the previous
period beside each day, and per dish, per category, per station and per member of staff."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from domain.reporting import check_range, days_of, days_window, previous_period, round_div
from models import Order, OrderItem, Payment, Staff, utcnow
from services.reports import figures as f
from services.reports import summary
from services.reports.daily import store_zone
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


def staff_figures(s: Session, store_id: int, voids: dict[int, list[int]],
                  given: dict[int, list[int]]) -> list[dict[str, Any]]:
    """Per member of staff: voids (count, amount) and discounts given (count, amount)."""
    ids = sorted(set(voids) | set(given))
    names = dict(s.execute(select(Staff.id, Staff.name).where(Staff.store_id == store_id, Staff.id.in_(ids))).all()
                 ) if ids else {}
    people = [{"staff_id": i, "name": names.get(i, ""), "voids": voids.get(i, [0, 0])[0],
               "voids_amount": voids.get(i, [0, 0])[1], "discounts": given.get(i, [0, 0])[0],
               "discounts_amount": given.get(i, [0, 0])[1]} for i in ids if i in names or i in voids]
    return sorted(people, key=lambda p: (-(p["voids_amount"] + p["discounts_amount"]), p["staff_id"]))


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

    Closed days summarised by ``summary.close_days`` are read from their summary; the other days
    (today, a day with a check still open, days never summarised) are aggregated from their rows,
    a run of consecutive days at a time. Raises ValidationFailed (``last`` before ``first``, more
    than a year), NotFound (store).
    """
    check_range(first, last)
    prev_first, prev_last = previous_period(first, last)
    now = now or utcnow()
    with reading() as s:
        store, zone = store_zone(store_id)
        late_after = store.kds_late_minutes * 60
        stored = summary.stored_days(s, store_id, prev_first, last, late_after, now, zone)
        current, previous = days_of(first, last), days_of(prev_first, prev_last)
        if not any(d in stored for d in days_of(prev_first, last)):
            return _live(s, store_id, first, last, now)
        figures: dict[date, dict[str, int]] = {}
        agg = summary.Totals()
        for d in current:
            if d in stored:
                agg.add(stored[d])
        for run_first, run_last in summary.runs([d for d in days_of(prev_first, last) if d not in stored]):
            figures |= by_day(s, store_id, run_first, run_last)
            lo, hi = max(run_first, first), min(run_last, last)
            if lo <= hi:
                agg.add(summary.day_data(s, store_id, days_window(lo, hi, zone), late_after, now, None))
        figures |= {d: dict(data["figures"]) for d, data in stored.items()}
        items = agg.items(s, store_id)
        report = _shape(first, last, prev_first, prev_last, zone, figures, current, previous)
        report |= {"payments": dict(sorted(agg.payments.items())), "items": items, "categories": categories(items),
                   "stations": f.percentiles(agg.stations),
                   "staff": staff_figures(s, store_id, agg.voids, agg.discounts)}
    return report


def _shape(first: date, last: date, prev_first: date, prev_last: date, zone: Any,
           figures: dict[date, dict[str, int]], current: list[date], previous: list[date]) -> dict[str, Any]:
    return {
        "from": first.isoformat(), "to": last.isoformat(), "timezone": str(zone),
        "previous": {"from": prev_first.isoformat(), "to": prev_last.isoformat()},
        "days": [{"date": d.isoformat(), **figures[d], "previous": {"date": p.isoformat(), **figures[p]}}
                 for d, p in zip(current, previous, strict=True)],
        "totals": _totals(figures[d] for d in current),
        "previous_totals": _totals(figures[p] for p in previous),
    }


def _live(s: Session, store_id: int, first: date, last: date, now: datetime) -> dict[str, Any]:
    """Every figure aggregated from the rows (no day summarised): exact prep-time percentiles."""
    prev_first, prev_last = previous_period(first, last)
    store, zone = store_zone(store_id)
    figures = by_day(s, store_id, prev_first, last)
    w = days_window(first, last, zone)
    sold = f.lines(s, store_id, w)
    items = sold["items"]
    report = _shape(first, last, prev_first, prev_last, zone, figures, days_of(first, last),
                    days_of(prev_first, prev_last))
    report |= {"payments": f.payments_by_channel(s, store_id, w), "items": items, "categories": categories(items),
               "stations": f.stations(s, store_id, w, store.kds_late_minutes * 60, now),
               "staff": staff_figures(s, store_id, f.voids_of(sold), f.discounts_of(s, store_id, w))}
    return report
