"""Coupons: the console's (/api/v1/admin/coupons) and the diners' (claim, list)."""
from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from api.auth import current_diner, diner_required, permission_required, require_staff
from models import Coupon
from schema.promotions import (
    ClaimEnvelope,
    CouponCreate,
    CouponEnvelope,
    CouponReportQuery,
    CouponReportSchema,
    CouponsEnvelope,
    OffersEnvelope,
)
from services import coupons
from services.reports.coupons import coupon_report

blp = Blueprint("coupons", __name__, url_prefix="/api/v1", description="Coupons")
SECURED = {"security": [{"bearer": []}]}


def _view(c: Coupon, figures: dict[str, int] | None = None) -> dict[str, Any]:
    return {"id": c.id, "name": c.name, "kind": c.kind, "value": c.value, "min_spend": c.min_spend,
            "starts_at": c.starts_at, "ends_at": c.ends_at, "per_diner": c.per_diner, "total": c.total,
            "status": c.status, "claimed": c.claimed,
            **({"used": 0, "discount": 0} | {k: v for k, v in (figures or {}).items() if k != "claimed"})}


@blp.post("/admin/coupons")
@permission_required("promotions.manage")
@blp.arguments(CouponCreate())
@blp.response(201, CouponEnvelope)
@blp.doc(**SECURED)
def create(body: dict[str, Any]) -> Any:
    """Amount or percent off, a minimum spend, a validity window, per-diner and total limits."""
    who = require_staff()
    return {"coupon": _view(coupons.create_coupon(who.store_id, who.id, body))}, 201


@blp.get("/admin/coupons")
@permission_required("promotions.manage")
@blp.response(200, CouponsEnvelope)
@blp.doc(**SECURED)
def list_all() -> dict[str, Any]:
    """Every coupon of the store, newest first, with what it earned so far."""
    store_id = require_staff().store_id
    figures = coupons.claims_summary(store_id)
    return {"coupons": [_view(c, figures.get(c.id)) for c in coupons.list_coupons(store_id)]}


def _move(coupon_id: int, move: str) -> dict[str, Any]:
    who = require_staff()
    coupon = coupons.change_status(who.store_id, who.id, coupon_id, move)
    return {"coupon": _view(coupon, coupons.claims_summary(who.store_id).get(coupon.id))}


@blp.post("/admin/coupons/<int:coupon_id>/pause")
@permission_required("promotions.manage")
@blp.response(200, CouponEnvelope)
@blp.doc(**SECURED)
def pause(coupon_id: int) -> dict[str, Any]:
    """Stop claims and uses for now (409 unless active)."""
    return _move(coupon_id, "pause")


@blp.post("/admin/coupons/<int:coupon_id>/resume")
@permission_required("promotions.manage")
@blp.response(200, CouponEnvelope)
@blp.doc(**SECURED)
def resume(coupon_id: int) -> dict[str, Any]:
    return _move(coupon_id, "resume")


@blp.post("/admin/coupons/<int:coupon_id>/end")
@permission_required("promotions.manage")
@blp.response(200, CouponEnvelope)
@blp.doc(**SECURED)
def end(coupon_id: int) -> dict[str, Any]:
    """End it for good: claimed copies can no longer be used."""
    return _move(coupon_id, "end")


@blp.get("/admin/reports/coupons")
@permission_required("reports")
@blp.arguments(CouponReportQuery(), location="query")
@blp.response(200, CouponReportSchema)
@blp.doc(**SECURED)
def report(query: dict[str, Any]) -> dict[str, Any]:
    """What each coupon earned in the range: claimed, used, discount given, net sales of the checks that used it."""
    return {"coupons": coupon_report(require_staff().store_id, query["from_"], query["to"])}


@blp.get("/stores/<int:store_id>/coupons")
@blp.response(200, OffersEnvelope)
def offers(store_id: int) -> dict[str, Any]:
    """Coupons a diner can claim now; with a diner's token, also how many they hold."""
    diner_id = current_diner()
    return {"coupons": [{"id": o.coupon.id, "name": o.coupon.name, "kind": o.coupon.kind, "value": o.coupon.value,
                         "min_spend": o.coupon.min_spend, "ends_at": o.coupon.ends_at, "per_diner": o.coupon.per_diner,
                         "claimed": o.claimed, "usable": o.usable}
                        for o in coupons.on_offer(store_id, diner_id)]}


@blp.post("/coupons/<int:coupon_id>/claim")
@diner_required
@blp.response(201, ClaimEnvelope)
@blp.doc(**SECURED)
def claim(coupon_id: int) -> Any:
    """Take one copy (needs only the diner's login); beyond per_diner or total: 409 conflict."""
    diner_id = current_diner()
    assert diner_id is not None
    return {"claim": coupons.claim(diner_id, coupon_id)}, 201
