"""What each coupon earned over a range of business days: claimed, used, discount given, and the
net sales of the checks that used it — all aggregated in SQL."""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, func, select

from domain.reporting import check_range, days_window
from models import Coupon, CouponClaim, Order, OrderItem
from services.reports.daily import store_zone
from services.uow import reading


def coupon_report(store_id: int, first: date, last: date) -> list[dict[str, Any]]:
    """Every coupon of the store, newest first. Raises ValidationFailed (range), NotFound (store)."""
    check_range(first, last)
    with reading() as s:
        _store, zone = store_zone(store_id)
        w = days_window(first, last, zone)
        claimed: dict[int, Any] = dict(s.execute(
            select(CouponClaim.coupon_id, func.count()).where(
                CouponClaim.store_id == store_id, CouponClaim.claimed_at >= w.start, CouponClaim.claimed_at < w.end)
            .group_by(CouponClaim.coupon_id)).all())
        used_in = and_(CouponClaim.store_id == store_id, CouponClaim.status == "used",
                       CouponClaim.used_at >= w.start, CouponClaim.used_at < w.end)
        used = {cid: (int(n), int(d or 0)) for cid, n, d in s.execute(
            select(CouponClaim.coupon_id, func.count(), func.sum(CouponClaim.discount)).where(used_in)
            .group_by(CouponClaim.coupon_id)).all()}
        # A check counts once per coupon even if two of its payments used copies of it.
        checks = (select(CouponClaim.coupon_id.label("coupon_id"), CouponClaim.table_session_id.label("check_id"))
                  .where(used_in).distinct().subquery())
        gross: dict[int, Any] = dict(s.execute(
            select(checks.c.coupon_id, func.sum(OrderItem.line_total))
            .join(Order, Order.table_session_id == checks.c.check_id)
            .join(OrderItem, OrderItem.order_id == Order.id)
            .where(Order.status != "cancelled", OrderItem.status != "cancelled")
            .group_by(checks.c.coupon_id)).all())
        rows = s.execute(select(Coupon.id, Coupon.name, Coupon.status).where(Coupon.store_id == store_id)
                         .order_by(Coupon.id.desc())).all()
        report = [{"id": cid, "name": name, "status": status, "claimed": int(claimed.get(cid, 0)),
                   "used": used.get(cid, (0, 0))[0], "discount": used.get(cid, (0, 0))[1],
                   "net_sales_with": int(gross.get(cid) or 0) - used.get(cid, (0, 0))[1]}
                  for cid, name, status in rows]
    return report
