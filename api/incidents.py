"""Staff warnings (banners on /pos and /console) and the owner's last day of incidents."""
from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from api.auth import current_staff, permission_required
from schema.incidents import IncidentsResponse, WarningsResponse
from services import incidents

blp = Blueprint("incidents", __name__, url_prefix="/api/v1", description="Warnings for staff, incidents")


@blp.get("/floor/warnings")
@permission_required("floor.view")
@blp.response(200, WarningsResponse)
@blp.doc(security=[{"bearer": []}])
def floor_warnings() -> dict[str, Any]:
    """What the floor must know now: a kitchen screen offline, payments stuck, WeChat Pay failing, a printer down."""
    who = current_staff()
    assert who is not None
    return {"warnings": incidents.store_warnings(who.store_id)}


@blp.get("/admin/incidents")
@permission_required("audit.read")
@blp.response(200, IncidentsResponse)
@blp.doc(security=[{"bearer": []}])
def admin_incidents() -> dict[str, Any]:
    """The warnings now, and the last day's incidents (notifies that moved money but did not match)."""
    who = current_staff()
    assert who is not None
    return {"warnings": incidents.store_warnings(who.store_id), "incidents": incidents.recent_incidents(who.store_id)}
