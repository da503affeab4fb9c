"""Console routes under /api/v1/admin: tables and areas, table codes, settings, stations, audit.

Every route names its permission (``domain.permissions``) and works on the caller's store only."""
from __future__ import annotations

import io
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import segno
from flask import Response
from flask_smorest import Blueprint

from api.auth import permission_required, require_staff
from models import Table
from schema.admin import (
    AdminTablesResponse,
    AreaEnvelope,
    AreasEnvelope,
    NamedCreate,
    NamedPatch,
    StationCreate,
    StationEnvelope,
    StationPatch,
    StationsEnvelope,
    StoreEnvelope,
    StorePatch,
    TableCreate,
    TableEnvelope,
    TablePatch,
)
from schema.audit import AuditQuery, AuditResponse
from services import admin, audit, tables

blp = Blueprint("admin", __name__, url_prefix="/api/v1/admin", description="Store administration")


def _store_id() -> int:
    return require_staff().store_id


def _staff_id() -> int:
    return require_staff().id


def _table_view(t: Table) -> dict[str, Any]:
    return {"id": t.id, "code": t.code, "area": t.area.name if t.area else None, "area_id": t.area_id,
            "seats": t.seats, "active": t.active, "qr_url": tables.qr_url(t)}


SECURED = {"security": [{"bearer": []}]}


@blp.get("/tables")
@permission_required("tables.manage")
@blp.response(200, AdminTablesResponse)
@blp.doc(**SECURED)
def list_tables() -> dict[str, Any]:
    return {"tables": [_table_view(t) for t in tables.list_tables(_store_id())]}


@blp.post("/tables")
@permission_required("tables.manage")
@blp.arguments(TableCreate())
@blp.response(201, TableEnvelope)
@blp.doc(**SECURED)
def create_table(body: dict[str, Any]) -> Any:
    return {"table": _table_view(admin.save_table(_store_id(), body, staff_id=_staff_id()))}, 201


@blp.patch("/tables/<int:table_id>")
@permission_required("tables.manage")
@blp.arguments(TablePatch())
@blp.response(200, TableEnvelope)
@blp.doc(**SECURED)
def patch_table(body: dict[str, Any], table_id: int) -> dict[str, Any]:
    """Rename, move, resize or disable a table; a disabled table's codes stop working at once."""
    return {"table": _table_view(admin.save_table(_store_id(), body, table_id, _staff_id()))}


def _qr(table_id: int) -> segno.QRCode:
    return tables.qr_code(tables.qr_url(admin.get_table(_store_id(), table_id)))


@blp.get("/tables/<int:table_id>/qr.png")
@permission_required("tables.manage")
@blp.response(200, content_type="image/png")
@blp.doc(**SECURED)
def table_qr_png(table_id: int) -> Response:
    buf = io.BytesIO()
    _qr(table_id).save(buf, kind="png", scale=10, border=4)
    return Response(buf.getvalue(), mimetype="image/png", headers={"Cache-Control": "no-store"})


@blp.get("/tables/<int:table_id>/qr.svg")
@permission_required("tables.manage")
@blp.response(200, content_type="image/svg+xml")
@blp.doc(**SECURED)
def table_qr_svg(table_id: int) -> Response:
    buf = io.BytesIO()
    _qr(table_id).save(buf, kind="svg", scale=10, border=4, xmldecl=False)
    return Response(buf.getvalue(), mimetype="image/svg+xml", headers={"Cache-Control": "no-store"})


@blp.get("/tables/<int:table_id>/wxacode.png")
@permission_required("tables.manage")
@blp.response(200, content_type="image/png")
@blp.doc(**SECURED)
def table_wxa_code(table_id: int) -> Response:
    """The table's mini-program code from WeChat (``wxacode.getUnlimited``, scene = QR token), cached."""
    return Response(admin.wxa_code(_store_id(), table_id), mimetype="image/png",
                    headers={"Cache-Control": "no-store"})


@blp.post("/tables/<int:table_id>/rotate-qr")
@permission_required("tables.manage")
@blp.response(200, TableEnvelope)
@blp.doc(**SECURED)
def rotate_qr(table_id: int) -> dict[str, Any]:
    return {"table": _table_view(admin.rotate_qr(_store_id(), table_id, _staff_id()))}


@blp.get("/areas")
@permission_required("tables.manage")
@blp.response(200, AreasEnvelope)
@blp.doc(**SECURED)
def list_areas() -> dict[str, Any]:
    return {"areas": admin.list_areas(_store_id())}


@blp.post("/areas")
@permission_required("tables.manage")
@blp.arguments(NamedCreate())
@blp.response(201, AreaEnvelope)
@blp.doc(**SECURED)
def create_area(body: dict[str, Any]) -> Any:
    return {"area": admin.save_area(_store_id(), body, staff_id=_staff_id())}, 201


@blp.patch("/areas/<int:area_id>")
@permission_required("tables.manage")
@blp.arguments(NamedPatch())
@blp.response(200, AreaEnvelope)
@blp.doc(**SECURED)
def patch_area(body: dict[str, Any], area_id: int) -> dict[str, Any]:
    return {"area": admin.save_area(_store_id(), body, area_id)}


@blp.delete("/areas/<int:area_id>")
@permission_required("tables.manage")
@blp.response(204)
@blp.doc(**SECURED)
def delete_area(area_id: int) -> None:
    """Remove an area with no tables (409 while tables are in it)."""
    admin.delete_area(_store_id(), area_id)


@blp.get("/store")
@permission_required("settings.manage")
@blp.response(200, StoreEnvelope)
@blp.doc(**SECURED)
def get_store() -> dict[str, Any]:
    return {"store": admin.get_store(_store_id())}


@blp.patch("/store")
@permission_required("settings.manage")
@blp.arguments(StorePatch())
@blp.response(200, StoreEnvelope)
@blp.doc(**SECURED)
def patch_store(body: dict[str, Any]) -> dict[str, Any]:
    """Name, pay mode, ticket timers, ordering hours and service charge."""
    return {"store": admin.update_store(_store_id(), body, _staff_id())}


@blp.get("/stations")
@permission_required("stations.manage")
@blp.response(200, StationsEnvelope)
@blp.doc(**SECURED)
def list_stations() -> dict[str, Any]:
    return {"stations": admin.list_stations(_store_id())}


@blp.post("/stations")
@permission_required("stations.manage")
@blp.arguments(StationCreate())
@blp.response(201, StationEnvelope)
@blp.doc(**SECURED)
def create_station(body: dict[str, Any]) -> Any:
    """A kitchen station (hot, cold, bar, grill, …): items are routed to one, screens show some."""
    return {"station": admin.create_station(_store_id(), body["code"], body["name"].strip(), body["sort"])}, 201


@blp.patch("/stations/<int:station_id>")
@permission_required("stations.manage")
@blp.arguments(StationPatch())
@blp.response(200, StationEnvelope)
@blp.doc(**SECURED)
def patch_station(body: dict[str, Any], station_id: int) -> dict[str, Any]:
    return {"station": admin.update_station(_store_id(), station_id, body)}


@blp.get("/audit")
@permission_required("audit.read")
@blp.arguments(AuditQuery(), location="query")
@blp.response(200, AuditResponse)
@blp.doc(**SECURED)
def audit_log(query: dict[str, Any]) -> dict[str, Any]:
    """Who did what sensitive thing, newest first; filter by action, staff and time; page by before_id."""
    since, until = query["since"], query["until"]
    if query["date_from"] or query["date_to"]:
        zone = ZoneInfo(admin.get_store(_store_id()).timezone)
        if query["date_from"]:
            since = datetime.combine(query["date_from"], time.min, zone)
        if query["date_to"]:
            until = datetime.combine(query["date_to"] + timedelta(days=1), time.min, zone)
    rows = audit.entries(_store_id(), query["action"], query["staff_id"], since, until, query["limit"],
                         query["before_id"])
    names = audit.target_names(_store_id(), rows)
    return {"entries": [{"id": r.id, "staff_id": r.staff_id, "action": r.action, "target_type": r.target_type,
                         "target_id": r.target_id, "target_name": names.get((r.target_type, r.target_id or 0)),
                         "before": r.before, "after": r.after, "created_at": r.created_at} for r in rows]}
