"""The daily close writes each closed business day's summary once (``summary`` says what closed
means); the range report then reads one row a day. Run by ``flask reports-close`` after closing
time, and safe to run any time: open days are left alone and a day is summarised only once."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import delete, func, select

from domain.reporting import day_window
from models import Order, ReportDay, Store, utcnow
from services.reports import summary
from services.reports.daily import store_zone
from services.reports.ranges import by_day
from services.uow import reading, transaction

MAX_DAYS = 400  # one run summarises at most this many days (a year and a bit), oldest missing first


def close_days(store_id: int, now: datetime | None = None, since: date | None = None) -> list[date]:
    """Summarise every closed day (from ``since``, default the store's first order) that has no
    summary yet, or one counted with another red threshold. Returns the days written."""
    now = now or utcnow()
    with transaction() as tx:
        s = tx.session
        store, zone = store_zone(store_id)
        late_after = store.kds_late_minutes * 60
        closed = summary.closed_before(s, store_id, zone, now)
        if since is None:
            oldest = s.execute(select(func.min(Order.created_at)).where(Order.store_id == store_id)).scalar()
            if oldest is None:
                return []
            since = oldest.astimezone(zone).date()
        done = set(s.execute(select(ReportDay.day).where(
            ReportDay.store_id == store_id, ReportDay.day >= since, ReportDay.late_after_s == late_after)).scalars())
        todo = [since + timedelta(days=i) for i in range((closed - since).days)]
        todo = [d for d in todo if d not in done][:MAX_DAYS]
        for d in todo:
            s.execute(delete(ReportDay).where(ReportDay.store_id == store_id, ReportDay.day == d))
            data = summary.day_data(s, store_id, day_window(d, zone), late_after, now,
                                    by_day(s, store_id, d, d)[d])
            s.add(ReportDay(store_id=store_id, day=d, late_after_s=late_after, data=data, computed_at=now))
        return todo


def close_all(now: datetime | None = None) -> list[tuple[str, list[date]]]:
    """``close_days`` for every store, one transaction each."""
    with reading() as s:
        stores = list(s.execute(select(Store.id, Store.slug).order_by(Store.id)).all())
    return [(slug, close_days(store_id, now)) for store_id, slug in stores]
