"""Staff login and the owner's table list."""
from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from api.auth import current_staff, staff_required
from schema.staff import AdminTablesResponse, StaffLoginRequest, StaffLoginResponse
from services import staff, tables
from services.context import setting

blp = Blueprint("staff", __name__, url_prefix="/api/v1", description="Staff: login and administration")


@blp.post("/staff/login")
@blp.arguments(StaffLoginRequest)
@blp.response(200, StaffLoginResponse)
def staff_login(body: dict[str, Any]) -> dict[str, Any]:
    token, member = staff.login(body["store"], body["username"], body["password"])
    return {"token": token, "expires_in": setting("STAFF_TOKEN_TTL"), "staff": member}


@blp.get("/admin/tables")
@blp.response(200, AdminTablesResponse)
@blp.doc(security=[{"bearer": []}])
@staff_required("owner", "manager")
def admin_tables() -> dict[str, Any]:
    who = current_staff()
    assert who is not None
    return {"tables": [
        {"id": t.id, "code": t.code, "area": t.area.name if t.area else None, "seats": t.seats,
         "active": t.active, "qr_url": tables.qr_url(t)}
        for t in tables.list_tables(who.store_id)
    ]}
