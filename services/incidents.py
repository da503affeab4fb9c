"""What staff must be told now (warnings) and what went wrong in the last day (incidents).

Warnings are worked out when asked, from the database: a paired kitchen screen away for more
than a minute during opening hours, payments still paying after five minutes, WeChat Pay not
answering (payments whose prepay never came back), a printer down (reported by the printers'
part through ``services.status.provide_printers_down``). Incidents of the last day are the
notifies that moved money but did not match (payment anomalies) and the warnings' own traces.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update

from domain.pricing import within_hours
from models import KitchenDevice, Payment, PaymentAnomaly, Store, utcnow
from services.menu import store_clock
from services.status import printers_down
from services.uow import reading, transaction

SCREEN_AWAY = timedelta(minutes=1)
STUCK_PAYING = timedelta(minutes=5)
PREPAY_LATE = timedelta(minutes=1)  # a prepay answer takes seconds; a row still "created" after this failed
PREPAY_WINDOW = timedelta(minutes=15)
SEEN_EVERY = timedelta(seconds=15)  # last_seen_at is refreshed at most this often (a write per screen)


@dataclass(frozen=True)
class StaffWarning:
    kind: str  # screen_offline | payments_stuck | wechat_pay_failing | printer_down
    count: int
    since: datetime | None
    detail: str = ""


@dataclass(frozen=True)
class Incident:
    kind: str
    at: datetime
    detail: str


def mark_screens_seen(device_ids: set[int]) -> None:
    """The paired screens connected to this process are alive (a few writes a minute at most)."""
    if not device_ids:
        return
    now = utcnow()
    stale = KitchenDevice.last_seen_at.is_(None) | (KitchenDevice.last_seen_at < now - SEEN_EVERY)
    with transaction() as tx:
        tx.session.execute(
            update(KitchenDevice).where(KitchenDevice.id.in_(sorted(device_ids)), stale)
            .values(last_seen_at=now).execution_options(synchronize_session=False))


def store_warnings(store_id: int) -> list[StaffWarning]:
    """Everything staff of this store should see a banner about right now. Raises nothing."""
    now = utcnow()
    warnings: list[StaffWarning] = []
    with reading() as db:
        store = db.get(Store, store_id)
        if store is not None and within_hours(store_clock(store), store.opens_at, store.closes_at):
            away = db.execute(
                select(KitchenDevice.name, KitchenDevice.last_seen_at).where(
                    KitchenDevice.store_id == store_id, KitchenDevice.paired_at.is_not(None),
                    KitchenDevice.revoked_at.is_(None), KitchenDevice.last_seen_at < now - SCREEN_AWAY)
                .order_by(KitchenDevice.last_seen_at)
            ).all()
            if away:
                names = ", ".join(name for name, _ in away)
                warnings.append(StaffWarning("screen_offline", len(away), away[0][1], names))
        stuck = db.execute(
            select(func.count(), func.min(Payment.created_at)).where(
                Payment.store_id == store_id, Payment.status == "paying", Payment.created_at < now - STUCK_PAYING)
        ).one()
        if stuck[0]:
            warnings.append(StaffWarning("payments_stuck", int(stuck[0]), stuck[1]))
        failed = db.execute(
            select(func.count(), func.min(Payment.created_at)).where(
                Payment.store_id == store_id, Payment.channel == "wechat_jsapi", Payment.status == "created",
                Payment.created_at < now - PREPAY_LATE, Payment.created_at > now - PREPAY_WINDOW)
        ).one()
        if failed[0]:
            warnings.append(StaffWarning("wechat_pay_failing", int(failed[0]), failed[1]))
    down = printers_down().get(str(store_id), 0)
    if down:
        warnings.append(StaffWarning("printer_down", down, None))
    return warnings


def recent_incidents(store_id: int, hours: int = 24) -> list[Incident]:
    """The last day's incidents for the owner, newest first."""
    with reading() as db:
        rows = db.execute(
            select(PaymentAnomaly.created_at, PaymentAnomaly.reason)
            .where(PaymentAnomaly.store_id == store_id, PaymentAnomaly.created_at > utcnow() - timedelta(hours=hours))
            .order_by(PaymentAnomaly.created_at.desc()).limit(200)
        ).all()
    return [Incident("payment_mismatch", at, reason) for at, reason in rows]
