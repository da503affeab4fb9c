"""Reports under /api/v1/admin/reports: daily close, ranges and coupons, as JSON and CSV."""
from __future__ import annotations

from typing import Any

from flask import Response
from flask_smorest import Blueprint

from api.auth import permission_required, require_staff
from schema.reports import DailyQuery, DailyReportSchema, RangeQuery, RangeReportSchema, daily_csv, range_csv
from services.reports.daily import daily_report
from services.reports.ranges import range_report

blp = Blueprint("reports", __name__, url_prefix="/api/v1/admin/reports", description="Reports (owner, manager)")
SECURED = {"security": [{"bearer": []}]}


def _csv(text: str, filename: str) -> Response:
    return Response(text, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


@blp.get("/daily")
@permission_required("reports")
@blp.arguments(DailyQuery(), location="query")
@blp.response(200, DailyReportSchema)
@blp.doc(**SECURED)
def daily(query: dict[str, Any]) -> dict[str, Any]:
    """The daily close for a business day in the store's time zone; a day without business is zeros."""
    return daily_report(require_staff().store_id, query["date"])


@blp.get("/daily.csv")
@permission_required("reports")
@blp.arguments(DailyQuery(), location="query")
@blp.response(200, content_type="text/csv")
@blp.doc(**SECURED)
def daily_as_csv(query: dict[str, Any]) -> Response:
    report = daily_report(require_staff().store_id, query["date"])
    return _csv(daily_csv(report), f"daily-{report['date']}.csv")


@blp.get("/range")
@permission_required("reports")
@blp.arguments(RangeQuery(), location="query")
@blp.response(200, RangeReportSchema)
@blp.doc(**SECURED)
def date_range(query: dict[str, Any]) -> dict[str, Any]:
    """Each day from ``from`` to ``to`` (at most a year) beside the previous period, and per dish,
    category, station and staff member."""
    return range_report(require_staff().store_id, query["from_"], query["to"])


@blp.get("/range.csv")
@permission_required("reports")
@blp.arguments(RangeQuery(), location="query")
@blp.response(200, content_type="text/csv")
@blp.doc(**SECURED)
def date_range_csv(query: dict[str, Any]) -> Response:
    report = range_report(require_staff().store_id, query["from_"], query["to"])
    return _csv(range_csv(report), f"report-{report['from']}-{report['to']}.csv")
