"""The daily close on a busy store: 100,000 orders (bulk inserted) on MariaDB, then the daily
report for one day and the range report for the whole period, timed, with their query counts: the
range first from every row (before), then from the daily close's per-day summaries (after).

    python bench/reports.py [--orders 100000] [--days 30] [--sqlite]

Needs MariaDB on 127.0.0.1 (root, no password) unless --sqlite; creates and drops its own database.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pymysql
from sqlalchemy import delete, event, insert, select
from sqlalchemy.orm import selectinload

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app  # noqa: E402
from bench.common import bench_env  # noqa: E402
from config import Settings  # noqa: E402
from domain.reporting import day_window  # noqa: E402
from models import (  # noqa: E402
    Item,
    Order,
    OrderItem,
    Payment,
    ReportDay,
    Staff,
    Store,
    Table,
    TableSession,
    Ticket,
    db,
)
from models.migrate import upgrade  # noqa: E402
from services.demo import seed_demo  # noqa: E402
from services.reports.closing import close_days  # noqa: E402
from services.reports.daily import daily_report  # noqa: E402
from services.reports.ranges import range_report  # noqa: E402

ZONE = ZoneInfo("Asia/Shanghai")
FIRST = date(2026, 10, 1)
CHUNK = 5000


def seed(store_id: int, orders: int, days: int) -> None:
    """Bulk rows: each order its own check, two lines, a ticket per station, one payment."""
    rnd = random.Random(1)
    s = db.session()
    items = [(i.id, i.name, i.station, i.price)
             for i in s.execute(select(Item).where(Item.store_id == store_id)).scalars()]
    tables = list(s.execute(select(Table.id).where(Table.store_id == store_id)).scalars())
    staff_id = s.execute(select(Staff.id).where(Staff.store_id == store_id)).scalars().first()
    base = {m: (s.execute(select(m.id).order_by(m.id.desc()).limit(1)).scalar() or 0) + 1
            for m in (TableSession, Order, OrderItem, Ticket, Payment)}
    s.commit()
    start = datetime.combine(FIRST, datetime.min.time(), ZONE).astimezone(UTC)
    rows: dict[type, list[dict]] = {m: [] for m in base}
    line_id, ticket_id = base[OrderItem], base[Ticket]

    def flush() -> None:
        with db.engine.begin() as conn:  # type: ignore[union-attr]
            for model in (TableSession, Order, OrderItem, Ticket, Payment):
                if rows[model]:
                    conn.execute(insert(model), rows[model])
                    rows[model].clear()

    for n in range(orders):
        at = start + timedelta(days=n % days, hours=rnd.choice([11, 12, 12, 13, 17, 18, 18, 19, 20]) - 8,
                               minutes=rnd.randrange(60), seconds=rnd.randrange(60))
        check_id, order_id = base[TableSession] + n, base[Order] + n
        lines = rnd.sample(items, 2)
        total, stations = 0, {}
        cancelled = rnd.random() < 0.02
        for item_id, name, station, price in lines:
            qty = rnd.randint(1, 3)
            voided = rnd.random() < 0.03
            rows[OrderItem].append({"id": line_id, "store_id": store_id, "order_id": order_id, "item_id": item_id,
                                    "name": name, "station": station, "qty": qty, "options": [], "unit_price": price,
                                    "line_total": price * qty, "note": "", "status": "cancelled" if voided else "done",
                                    "void_reason": "上错菜" if voided else None,
                                    "cancelled_by": staff_id if voided else None})
            line_id += 1
            total += 0 if voided else price * qty
            stations[station] = 1
        rows[TableSession].append({"id": check_id, "store_id": store_id, "table_id": rnd.choice(tables),
                                   "status": "closed", "open_key": None, "paid": total, "coupon_discount": 0,
                                   "opened_at": at, "closed_at": at + timedelta(minutes=50)})
        rows[Order].append({"id": order_id, "store_id": store_id, "table_session_id": check_id,
                            "table_id": rows[TableSession][-1]["table_id"], "client_key": uuid.uuid4().hex,
                            "number": order_id, "status": "cancelled" if cancelled else "served",
                            "payment_status": "paid", "total": total, "service_charge_bp": 0, "service_charge": 0,
                            "remark": "", "created_at": at})
        for station in stations:
            rows[Ticket].append({"id": ticket_id, "store_id": store_id, "order_id": order_id, "station": station,
                                 "status": "bumped", "created_at": at, "recalls": int(rnd.random() < 0.05),
                                 "bumped_at": at + timedelta(seconds=rnd.randint(60, 1500))})
            ticket_id += 1
        rows[Payment].append({"id": base[Payment] + n, "store_id": store_id, "table_session_id": check_id,
                              "client_key": uuid.uuid4().hex, "out_trade_no": f"B{order_id:020d}", "amount": total,
                              "channel": rnd.choice(["wechat_jsapi", "cash", "other"]), "status": "paid",
                              "refunded": 0, "created_at": at + timedelta(minutes=45),
                              "paid_at": at + timedelta(minutes=45)})
        if len(rows[Order]) >= CHUNK:
            flush()
    flush()


def timed(fn, repeats: int = 5) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    """Median seconds of ``repeats`` runs, and the queries one run makes."""
    count = [0]

    def seen(*_a) -> None:  # type: ignore[no-untyped-def]
        count[0] += 1

    times = []
    for _ in range(repeats):
        count[0] = 0
        event.listen(db.engine, "before_cursor_execute", seen)
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
        event.remove(db.engine, "before_cursor_execute", seen)
        db.session.remove()
    return statistics.median(times), count[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--keep", metavar="NAME", help="MariaDB database to keep (and reuse when it exists)")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    name = args.keep or f"bench_reports_{uuid.uuid4().hex[:8]}"
    url = f"sqlite:///{tmp / 'bench.db'}"
    conn, reuse = None, False
    if not args.sqlite:
        conn = pymysql.connect(host="127.0.0.1", user="root", password="")
        with conn.cursor() as cur:
            reuse = bool(args.keep) and bool(cur.execute("SHOW DATABASES LIKE %s", (name,)))
            if not reuse:
                cur.execute(f"CREATE DATABASE {name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
        url = f"mysql+pymysql://root@127.0.0.1/{name}?charset=utf8mb4"
    try:
        env = bench_env(tmp, 0, DATABASE_URL=url)
        upgrade(url)
        app = create_app(Settings.from_env(env))
        with app.app_context():
            store = db.session.execute(select(Store).where(Store.slug == "demo")).scalar_one() if reuse else seed_demo()
            assert store is not None
            if not reuse:
                t0 = time.perf_counter()
                seed(store.id, args.orders, args.days)
                print(f"seeded {args.orders} orders over {args.days} days in {time.perf_counter() - t0:.1f} s "
                      f"({'SQLite' if args.sqlite else 'MariaDB'})")
            day = FIRST + timedelta(days=args.days // 2)
            report = daily_report(store.id, day)
            print(f"daily close {day}: {report['orders']} orders, net ¥{report['net_sales'] / 100:,.2f}, "
                  f"{len(report['stations'])} stations")
            seconds, queries = timed(lambda: daily_report(store.id, day))
            print(f"daily report: {seconds * 1000:.0f} ms (median of 5), {queries} queries")
            w = day_window(day, ZONE)
            loaded, _ = timed(lambda: db.session.execute(
                select(Order).where(Order.store_id == store.id, Order.created_at >= w.start, Order.created_at < w.end)
                .options(selectinload(Order.items))).scalars().all())
            print(f"for scale, only loading that day's orders and lines into Python: {loaded * 1000:.0f} ms "
                  f"(the report is {seconds / loaded:.2f}× that)")
            last = FIRST + timedelta(days=args.days - 1)
            with db.engine.begin() as conn:  # type: ignore[union-attr]
                conn.execute(delete(ReportDay).where(ReportDay.store_id == store.id))
            before, before_q = timed(lambda: range_report(store.id, FIRST, last), repeats=3)
            live = range_report(store.id, FIRST, last)
            print(f"range report from every row, {args.days} days and the {args.days} before: {before * 1000:.0f} ms "
                  f"(median of 3), {before_q} queries")
            t0 = time.perf_counter()
            closed = close_days(store.id)
            took = time.perf_counter() - t0
            print(f"daily close summarised {len(closed)} days in {took:.1f} s "
                  f"({took / max(len(closed), 1) * 1000:.0f} ms a day, once, at close)")
            after, after_q = timed(lambda: range_report(store.id, FIRST, last), repeats=5)
            assert range_report(store.id, FIRST, last) == live, "the summaries must answer as the rows do"
            print(f"range report from the day summaries: {after * 1000:.0f} ms (median of 5), {after_q} queries")
            print(f"range report: before {before * 1000:.0f} ms → after {after * 1000:.0f} ms "
                  f"({before / after:.0f}× faster, same answer)")
    finally:
        if conn is not None and not args.keep:
            with conn.cursor() as cur:
                cur.execute(f"DROP DATABASE IF EXISTS {name}")
            conn.close()


if __name__ == "__main__":
    main()
