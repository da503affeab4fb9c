"""Staff login."""
from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from api.limits import limiter
from schema.staff import StaffLoginRequest, StaffLoginResponse
from services import staff
from services.context import setting

blp = Blueprint("staff", __name__, url_prefix="/api/v1", description="Staff: login and administration")


@blp.post("/staff/login")
@limiter.limit("60/minute")  # per address; each account also locks after failures
@blp.arguments(StaffLoginRequest)
@blp.response(200, StaffLoginResponse)
def staff_login(body: dict[str, Any]) -> dict[str, Any]:
    token, member = staff.login(body["store"], body["username"], body["password"])
    return {"token": token, "expires_in": setting("STAFF_TOKEN_TTL"), "staff": member}
