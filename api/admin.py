"""Owner and manager routes under /api/v1/admin, always scoped to the caller's store."""
from __future__ import annotations

import io
from typing import Any

import segno
from flask import Response
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from api.auth import current_staff, staff_required
from models import Table
from schema import RequestSchema
from schema.admin import (
    AdminTablesResponse,
    ItemEnvelope,
    ItemPatch,
    StationCreate,
    StationEnvelope,
    StationPatch,
    StationsEnvelope,
    StoreEnvelope,
    StorePatch,
    TableEnvelope,
)
from services import admin, audit, tables

blp = Blueprint("admin", __name__, url_prefix="/api/v1/admin", description="Store administration")
MANAGERS = ("owner", "manager")


def _store_id() -> int:
    who = current_staff()
    assert who is not None
    return who.store_id


def _staff_id() -> int:
    who = current_staff()
    assert who is not None
    return who.id


def _table_view(t: Table) -> dict[str, Any]:
    return {"id": t.id, "code": t.code, "area": t.area.name if t.area else None, "seats": t.seats,
            "active": t.active, "qr_url": tables.qr_url(t)}


@blp.get("/tables")
@blp.response(200, AdminTablesResponse)
@blp.doc(security=[{"bearer": []}])
@staff_required(*MANAGERS)
def list_tables() -> dict[str, Any]:
    return {"tables": [_table_view(t) for t in tables.list_tables(_store_id())]}


def _qr(table_id: int) -> segno.QRCode:
    return segno.make(tables.qr_url(admin.get_table(_store_id(), table_id)), error="m")


@blp.get("/tables/<int:table_id>/qr.png")
@blp.response(200, content_type="image/png")
@blp.doc(security=[{"bearer": []}])
@staff_required(*MANAGERS)
def table_qr_png(table_id: int) -> Response:
    buf = io.BytesIO()
    _qr(table_id).save(buf, kind="png", scale=10, border=2)
    return Response(buf.getvalue(), mimetype="image/png", headers={"Cache-Control": "no-store"})


@blp.get("/tables/<int:table_id>/qr.svg")
@blp.response(200, content_type="image/svg+xml")
@blp.doc(security=[{"bearer": []}])
@staff_required(*MANAGERS)
def table_qr_svg(table_id: int) -> Response:
    buf = io.BytesIO()
    _qr(table_id).save(buf, kind="svg", scale=10, border=2, xmldecl=False)
    return Response(buf.getvalue(), mimetype="image/svg+xml", headers={"Cache-Control": "no-store"})


@blp.post("/tables/<int:table_id>/rotate-qr")
@blp.response(200, TableEnvelope)
@blp.doc(security=[{"bearer": []}])
@staff_required(*MANAGERS)
def rotate_qr(table_id: int) -> dict[str, Any]:
    return {"table": _table_view(admin.rotate_qr(_store_id(), table_id, _staff_id()))}


@blp.patch("/store")
@blp.arguments(StorePatch)
@blp.response(200, StoreEnvelope)
@blp.doc(security=[{"bearer": []}])
@staff_required(*MANAGERS)
def patch_store(body: dict[str, Any]) -> dict[str, Any]:
    return {"store": admin.update_store(_store_id(), body, _staff_id())}


@blp.patch("/items/<int:item_id>")
@blp.arguments(ItemPatch)
@blp.response(200, ItemEnvelope)
@blp.doc(security=[{"bearer": []}])
@staff_required(*MANAGERS)
def patch_item(body: dict[str, Any], item_id: int) -> dict[str, Any]:
    return {"item": admin.update_item(_store_id(), item_id, body, _staff_id())}


@blp.get("/stations")
@blp.response(200, StationsEnvelope)
@blp.doc(security=[{"bearer": []}])
@staff_required(*MANAGERS)
def list_stations() -> dict[str, Any]:
    return {"stations": admin.list_stations(_store_id())}


@blp.post("/stations")
@blp.arguments(StationCreate)
@blp.response(201, StationEnvelope)
@blp.doc(security=[{"bearer": []}])
@staff_required(*MANAGERS)
def create_station(body: dict[str, Any]) -> dict[str, Any]:
    """A kitchen station (hot, cold, bar, grill, …): items are routed to one, screens show some."""
    return {"station": admin.create_station(_store_id(), body["code"], body["name"].strip(), body["sort"])}


@blp.patch("/stations/<int:station_id>")
@blp.arguments(StationPatch)
@blp.response(200, StationEnvelope)
@blp.doc(security=[{"bearer": []}])
@staff_required(*MANAGERS)
def patch_station(body: dict[str, Any], station_id: int) -> dict[str, Any]:
    return {"station": admin.update_station(_store_id(), station_id, body)}


class AuditQuery(RequestSchema):
    action = fields.Str(load_default=None, validate=validate.Length(max=40))
    staff_id = fields.Int(load_default=None, validate=validate.Range(1, 2**31 - 1))
    since = fields.AwareDateTime(load_default=None)
    until = fields.AwareDateTime(load_default=None)
    before_id = fields.Int(load_default=None, validate=validate.Range(1, 2**31 - 1))
    limit = fields.Int(load_default=50, validate=validate.Range(1, 200))


class AuditEntrySchema(Schema):
    id = fields.Int()
    staff_id = fields.Int(allow_none=True)
    action = fields.Str()
    target_type = fields.Str()
    target_id = fields.Int(allow_none=True)
    before = fields.Dict(allow_none=True)
    after = fields.Dict(allow_none=True)
    created_at = fields.DateTime()


class AuditResponse(Schema):
    entries = fields.List(fields.Nested(AuditEntrySchema))


@blp.get("/audit")
@blp.arguments(AuditQuery, location="query")
@blp.response(200, AuditResponse)
@blp.doc(security=[{"bearer": []}])
@staff_required(*MANAGERS)
def audit_log(query: dict[str, Any]) -> dict[str, Any]:
    """Who did what sensitive thing, newest first; filter by action, staff and time; page by before_id."""
    return {"entries": audit.entries(_store_id(), query["action"], query["staff_id"], query["since"], query["until"],
                                     query["limit"], query["before_id"])}
