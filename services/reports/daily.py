"""The daily close (营业日报): one business day of a store, every figure aggregated in SQL."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from domain.errors import NotFound
from domain.reporting import day_window, round_div, turnover
from models import Store, db, utcnow
from services.reports import figures as f
from services.uow import reading


def store_zone(store_id: int) -> tuple[Store, ZoneInfo]:
    store = db.session.get(Store, store_id)
    if store is None:
        raise NotFound("no such store")
    return store, ZoneInfo(store.timezone or "Asia/Shanghai")


def daily_report(store_id: int, day: date, now: datetime | None = None) -> dict[str, Any]:
    """The contract's daily report for ``day`` in the store's zone, plus void breakdowns, worst
    sellers and discounts by kind. A day without business is all zeros. Raises NotFound (store).

    Totals are sums of the SQL aggregates by quarter-hour (orders, gross, service charge) and by
    dish (gross, voids), so each of the day's rows is read by one aggregation only.
    """
    with reading() as s:
        store, zone = store_zone(store_id)
        w = day_window(day, zone)
        sold = f.lines(s, store_id, w, zone)
        sales = f.sales_by_quarter(s, store_id, w, zone, sold["gross_by_quarter"])
        by_kind = f.discount_totals(s, store_id, w)
        discount = sum(by_kind.values())
        gross = sold["gross_sales"]
        net = gross - discount
        checks = f.closed_checks(s, store_id, w)
        report = {
            "date": day.isoformat(), "timezone": str(zone),
            "orders": sum(q[1] for q in sales), "gross_sales": gross, "discounts": discount,
            "discounts_by_kind": {"manual": by_kind.get("manual", 0), "coupon": by_kind.get("coupon", 0)} | by_kind,
            "service_charge": sum(q[3] for q in sales), "net_sales": net,
            "refunds": f.refunds(s, store_id, w), "average_check": round_div(net, checks),
            "voids": sold["voids"],
            "payments": f.payments_by_channel(s, store_id, w),
            "items": [{k: row[k] for k in ("item_id", "name", "qty", "sales")} for row in sold["items"]],
            "worst_sellers": f.worst_sellers(s, store_id, sold["items"]),
            "hours": hours(sales, f.discounts_by_quarter(s, store_id, w, zone)),
            "stations": f.stations(s, store_id, w, store.kds_late_minutes * 60, now or utcnow()),
            "tables": {"checks": checks, "turnover": turnover(checks, f.active_tables(s, store_id))},
            # Guests served: the headcounts of the day's closed checks; null when none is taken.
            "covers": f.covers(s, store_id, w) if store.ask_headcount else None,
        }
    return report


def hours(sales: list[tuple[datetime, int, int, int]], discounts: list[tuple[datetime, int]]) -> list[dict[str, int]]:
    """Hours 0-23 of store time: orders and net sales (gross less the discounts given that hour).

    On the day clocks go back an hour repeats; its two halves add into the same local hour.
    """
    out = [{"hour": h, "orders": 0, "net_sales": 0} for h in range(24)]
    for at, orders, gross, _charge in sales:
        out[at.hour]["orders"] += orders
        out[at.hour]["net_sales"] += gross
    for at, amount in discounts:
        out[at.hour]["net_sales"] -= amount
    return out
