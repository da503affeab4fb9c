"""A week of known activity at one store, written straight through the models (fast), and the
figures a report must show, worked out here in plain Python from the same plan — never by SQL.

The plan is random but seeded, with hand-placed edges: orders just after local midnight (the
previous UTC day), cancelled orders, voids, refunds on a later day, checks closed after midnight.
"""
from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from models import (
    Category,
    Coupon,
    CouponClaim,
    Item,
    Order,
    OrderItem,
    Payment,
    Refund,
    Staff,
    Store,
    Table,
    TableSession,
    Ticket,
    db,
)
from services.staff import hash_password
from tests.helpers import make_store, unique

ZONE = ZoneInfo("Asia/Shanghai")
FIRST_DAY = date(2026, 11, 2)  # a Monday
DAYS = 7
LATE_MINUTES = 15
MENU = [("宫保鸡丁", 3800, "hot", "热菜"), ("水煮鱼", 6800, "hot", "热菜"), ("拍黄瓜", 1200, "cold", "凉菜"),
        ("酸梅汤", 800, "bar", "饮品"), ("佛跳墙", 38800, "hot", "热菜")]  # the last one never sells
CHANNELS = ["wechat_jsapi", "cash", "other", "wechat_jsapi"]
REASONS = ["上错菜", "客人不要了", "=SUM(A1)"]  # the last one: a CSV must not run it


@dataclass
class Line:
    item: int  # index in MENU
    qty: int
    void_by: int | None = None  # index in the staff list
    reason: str = ""


@dataclass
class PlannedOrder:
    at: datetime  # local
    lines: list[Line]
    cancelled: bool = False
    charge: int = 0
    prep: dict[str, int | None] = field(default_factory=dict)  # station -> seconds to bump (None: never)
    recalls: dict[str, int] = field(default_factory=dict)


@dataclass
class PlannedCheck:
    table: int
    orders: list[PlannedOrder]
    payments: list[tuple[str, int, datetime]] = field(default_factory=list)
    refunds: list[tuple[int, datetime]] = field(default_factory=list)
    closed_at: datetime | None = None
    coupon: tuple[int, datetime] | None = None  # discount, used at


def line_total(line: Line) -> int:
    return MENU[line.item][1] * line.qty


def sold(order: PlannedOrder) -> list[Line]:
    return [] if order.cancelled else [ln for ln in order.lines if ln.void_by is None]


def local(day: date, hh: int, mm: int, ss: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm, ss), ZONE)


def plan(seed: int = 7, first_day: date = FIRST_DAY) -> list[PlannedCheck]:
    rnd = random.Random(seed)
    checks: list[PlannedCheck] = []
    for d in range(DAYS):
        day = first_day + timedelta(days=d)
        for n in range(rnd.randint(3, 6)):
            start = local(day, rnd.choice([0, 11, 12, 13, 18, 19, 20, 23]), rnd.randint(0, 59), rnd.randint(0, 59))
            orders = []
            for r in range(rnd.randint(1, 3)):
                at = start + timedelta(minutes=7 * r)
                lines = [Line(rnd.randrange(4), rnd.randint(1, 3)) for _ in range(rnd.randint(1, 3))]
                if rnd.random() < 0.2:
                    lines[0].void_by, lines[0].reason = rnd.randrange(2), rnd.choice(REASONS)
                order = PlannedOrder(at, lines, cancelled=rnd.random() < 0.08,
                                     charge=rnd.choice([0, 0, 150, 420]))
                for station in {MENU[ln.item][2] for ln in lines}:
                    order.prep[station] = rnd.choice([None, 240, 300, 610, 905, 1200, 95])
                    order.recalls[station] = rnd.choice([0, 0, 0, 1, 2])
                orders.append(order)
            due = sum(line_total(ln) + 0 for o in orders for ln in sold(o)) + sum(
                o.charge for o in orders if not o.cancelled)
            check = PlannedCheck(n % 3, orders)
            end = orders[-1].at + timedelta(minutes=40)
            if due > 0 and rnd.random() < 0.85:
                coupon = rnd.random() < 0.3
                discount = min(500, due - 1) if coupon else 0
                if coupon:
                    check.coupon = (discount, end)
                first = (due - discount) // 2 if rnd.random() < 0.3 else due - discount
                check.payments.append((rnd.choice(CHANNELS), first, end))
                if first < due - discount:
                    check.payments.append((rnd.choice(CHANNELS), due - discount - first, end + timedelta(minutes=1)))
                check.closed_at = end + timedelta(minutes=2)
                if rnd.random() < 0.25:
                    check.refunds.append((min(300, first), end + timedelta(days=rnd.choice([0, 1]), minutes=5)))
            checks.append(check)
    # the edge: a check opened at 23:50 on the third day, paid and closed after midnight
    day = first_day + timedelta(days=2)
    late = PlannedOrder(local(day, 23, 50), [Line(0, 2), Line(3, 1)], charge=0, prep={"hot": 300, "bar": 60},
                        recalls={"hot": 0, "bar": 0})
    checks.append(PlannedCheck(1, [late], payments=[("cash", 8400, local(day + timedelta(days=1), 0, 20))],
                               closed_at=local(day + timedelta(days=1), 0, 25)))
    return checks


@dataclass
class Seeded:
    store: Store
    checks: list[PlannedCheck]
    items: list[int]
    categories: dict[str, int]
    staff: list[tuple[int, str]]
    tables: int
    coupon_id: int


def seed(checks: list[PlannedCheck]) -> Seeded:
    store = make_store()
    s = db.session()
    row = s.get(Store, store.id)
    assert row is not None
    row.kds_late_minutes = LATE_MINUTES
    cats: dict[str, int] = {}
    items = []
    for name, price, station, cat in MENU:
        if cat not in cats:
            c = Category(store_id=store.id, name=cat)
            s.add(c)
            s.flush()
            cats[cat] = c.id
        item = Item(store_id=store.id, category_id=cats[cat], name=name, price=price, station=station)
        s.add(item)
        s.flush()
        items.append(item.id)
    staff = []
    for role in ("cashier", "manager"):
        member = Staff(store_id=store.id, username=unique(role), name=f"{role}-name", role=role,
                       password_hash=hash_password("x-pass-word"))
        s.add(member)
        s.flush()
        staff.append((member.id, member.name))
    tables = []
    for code in ("A1", "A2", "A3", "A4"):
        t = Table(store_id=store.id, code=code)
        s.add(t)
        s.flush()
        tables.append(t.id)
    coupon = Coupon(store_id=store.id, name="满减券", kind="amount_off", value=500, min_spend=0,
                    starts_at=local(FIRST_DAY, 0, 0), ends_at=local(FIRST_DAY + timedelta(days=400), 0, 0),
                    per_diner=99, total=None, claimed=0, status="active")
    s.add(coupon)
    s.flush()
    number = 0
    for check in checks:
        ts = TableSession(store_id=store.id, table_id=tables[check.table], status="open",
                          opened_at=check.orders[0].at.astimezone(UTC), paid=sum(p[1] for p in check.payments))
        if check.closed_at:
            ts.status, ts.closed_at = "closed", check.closed_at.astimezone(UTC)
        s.add(ts)
        s.flush()
        for planned in check.orders:
            number += 1
            o = Order(store_id=store.id, table_session_id=ts.id, table_id=ts.table_id, client_key=unique("k"),
                      number=number, status="cancelled" if planned.cancelled else "served",
                      payment_status="paid" if check.payments else "unpaid", service_charge=planned.charge,
                      total=sum(line_total(ln) for ln in sold(planned)) + planned.charge,
                      created_at=planned.at.astimezone(UTC))
            o.items = [OrderItem(store_id=store.id, item_id=items[ln.item], name=MENU[ln.item][0],
                                 station=MENU[ln.item][2], qty=ln.qty, options=[], unit_price=MENU[ln.item][1],
                                 line_total=line_total(ln), status="cancelled" if ln.void_by is not None else "done",
                                 void_reason=ln.reason or None,
                                 cancelled_by=None if ln.void_by is None else staff[ln.void_by][0])
                       for ln in planned.lines]
            s.add(o)
            s.flush()
            for station, prep in planned.prep.items():
                created = planned.at.astimezone(UTC)
                s.add(Ticket(store_id=store.id, order_id=o.id, station=station,
                             status="cancelled" if planned.cancelled else "bumped" if prep is not None else "done",
                             created_at=created,
                             bumped_at=None if prep is None else created + timedelta(seconds=prep),
                             recalls=planned.recalls[station]))
        for i, (channel, amount, at) in enumerate(check.payments):
            p = Payment(store_id=store.id, table_session_id=ts.id, client_key=unique("p"),
                        out_trade_no=unique("T")[:32], amount=amount, channel=channel, status="paid",
                        created_at=at.astimezone(UTC), paid_at=at.astimezone(UTC))
            s.add(p)
            s.flush()
            if i == 0:
                for amount_back, at_back in check.refunds:
                    p.refunded += amount_back
                    s.add(Refund(store_id=store.id, payment_id=p.id, client_key=unique("r"),
                                 out_refund_no=unique("RF"), amount=amount_back, status="success",
                                 created_at=at_back.astimezone(UTC), done_at=at_back.astimezone(UTC)))
                if check.coupon:
                    discount, used = check.coupon
                    s.add(CouponClaim(store_id=store.id, coupon_id=coupon.id, diner_id=None, seq=len(checks),
                                      status="used", payment_id=p.id, table_session_id=ts.id, discount=discount,
                                      claimed_at=used.astimezone(UTC), used_at=used.astimezone(UTC)))
                    coupon.claimed += 1
    # a claim nobody used yet, and one reserved by a payment still in flight: neither is a discount
    s.add(CouponClaim(store_id=store.id, coupon_id=coupon.id, status="claimed", seq=0,
                      claimed_at=local(FIRST_DAY, 12, 0).astimezone(UTC)))
    coupon.claimed += 1
    s.commit()
    seeded = Seeded(store, checks, items, cats, staff, len(tables), coupon.id)
    db.session.remove()
    return seeded


# -- expectations, from the plan alone ------------------------------------------------------------
def on(day: date, at: datetime | None) -> bool:
    return at is not None and at.astimezone(ZONE).date() == day


def nearest_rank(values: list[int], pct: int) -> int | None:
    if not values:
        return None
    values = sorted(values)
    k = -(-pct * len(values) // 100)  # ceil
    return values[max(k, 1) - 1]


def half_up(n: int, d: int) -> int:
    if d == 0:
        return 0
    q, r = divmod(n, d)
    return q + (1 if 2 * r >= d else 0)


def expected_daily(sd: Seeded, day: date, now: datetime) -> dict[str, Any]:
    orders = [o for c in sd.checks for o in c.orders if on(day, o.at)]
    gross = sum(line_total(ln) for o in orders for ln in sold(o))
    discount = sum(c.coupon[0] for c in sd.checks if c.coupon and on(day, c.coupon[1]))
    closed = sum(1 for c in sd.checks if on(day, c.closed_at))
    payments: dict[str, int] = defaultdict(int)
    for c in sd.checks:
        for channel, amount, at in c.payments:
            if on(day, at):
                payments["wechat" if channel == "wechat_jsapi" else channel] += amount
    items: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    hours = [{"hour": h, "orders": 0, "net_sales": 0} for h in range(24)]
    voids = [ln for o in orders for ln in o.lines if ln.void_by is not None]
    for o in orders:
        if not o.cancelled:
            hours[o.at.hour]["orders"] += 1
        for ln in sold(o):
            items[ln.item][0] += ln.qty
            items[ln.item][1] += line_total(ln)
            hours[o.at.hour]["net_sales"] += line_total(ln)
    for c in sd.checks:
        if c.coupon and on(day, c.coupon[1]):
            hours[c.coupon[1].hour]["net_sales"] -= c.coupon[0]
    by_reason: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_person: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for ln in voids:
        by_reason[ln.reason][0] += 1
        by_reason[ln.reason][1] += line_total(ln)
        by_person[ln.void_by][0] += 1  # type: ignore[index]
        by_person[ln.void_by][1] += line_total(ln)  # type: ignore[index]
    stations = []
    for station in sorted({st for o in orders if not o.cancelled for st in o.prep}):
        tickets = [(o, o.prep[station]) for o in orders if station in o.prep and not o.cancelled]
        preps = [p for _o, p in tickets if p is not None]
        late = sum(1 for o, p in tickets if (p is not None and p > LATE_MINUTES * 60)
                   or (p is None and o.at < now - timedelta(minutes=LATE_MINUTES)))
        stations.append({"station": station, "tickets": len(tickets), "prep_p50_s": nearest_rank(preps, 50),
                         "prep_p90_s": nearest_rank(preps, 90), "late": late,
                         "recalls": sum(o.recalls[station] for o, _p in tickets)})
    ranked = sorted(items.items(), key=lambda kv: (-kv[1][0], -kv[1][1], sd.items[kv[0]]))
    return {
        "date": day.isoformat(), "orders": sum(1 for o in orders if not o.cancelled), "gross_sales": gross,
        "discounts": discount, "service_charge": sum(o.charge for o in orders if not o.cancelled),
        "net_sales": gross - discount, "refunds": sum(a for c in sd.checks for a, at in c.refunds if on(day, at)),
        "average_check": half_up(gross - discount, closed),
        "voids": {"count": len(voids), "amount": sum(line_total(ln) for ln in voids),
                  "by_reason": sorted(({"reason": r, "count": v[0], "amount": v[1]} for r, v in by_reason.items()),
                                      key=lambda x: (-x["amount"], x["reason"])),
                  "by_person": sorted(({"staff_id": sd.staff[p][0], "name": sd.staff[p][1], "count": v[0],
                                        "amount": v[1]} for p, v in by_person.items()),
                                      key=lambda x: (-x["amount"], x["staff_id"]))},
        "payments": dict(sorted(payments.items())),
        "items": [{"item_id": sd.items[i], "name": MENU[i][0], "qty": q, "sales": t} for i, (q, t) in ranked],
        "hours": hours,
        "stations": stations,
        "tables": {"checks": closed, "turnover": round(closed / sd.tables, 2)},
    }


def expected_day_row(sd: Seeded, day: date) -> dict[str, int]:
    """One day's row of the range report, from the daily expectations and the plan."""
    d = expected_daily(sd, day, datetime.now(UTC))
    voids = d["voids"]["amount"]
    payments = sum(d["payments"].values())
    return {"orders": d["orders"], "gross_sales": d["gross_sales"], "discounts": d["discounts"],
            "net_sales": d["net_sales"], "service_charge": d["service_charge"], "refunds": d["refunds"],
            "payments": payments, "voids": voids, "checks": d["tables"]["checks"],
            "average_check": d["average_check"]}


def expected_staff(sd: Seeded, first: date, last: date) -> list[dict[str, Any]]:
    people: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for c in sd.checks:
        for o in c.orders:
            if first <= o.at.date() <= last:
                for ln in o.lines:
                    if ln.void_by is not None:
                        people[ln.void_by][0] += 1
                        people[ln.void_by][1] += line_total(ln)
    rows = [{"staff_id": sd.staff[p][0], "name": sd.staff[p][1], "voids": n, "voids_amount": a, "discounts": 0,
             "discounts_amount": 0} for p, (n, a) in people.items()]
    return sorted(rows, key=lambda r: (-r["voids_amount"], r["staff_id"]))
