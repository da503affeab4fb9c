"""Console routes for staff accounts: who works here, in which role, and who no longer does."""
from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from api.admin import SECURED, _store_id
from api.auth import permission_required, require_staff
from schema.admin import PasswordReset, StaffCreate, StaffEnvelope, StaffListEnvelope, StaffPatch
from services import staff

blp = Blueprint("admin_staff", __name__, url_prefix="/api/v1/admin", description="Store administration: staff")
PERM = "staff.manage"


@blp.get("/staff")
@permission_required(PERM)
@blp.response(200, StaffListEnvelope)
@blp.doc(**SECURED)
def list_staff() -> dict[str, Any]:
    return {"staff": staff.list_staff(_store_id())}


@blp.post("/staff")
@permission_required(PERM)
@blp.arguments(StaffCreate())
@blp.response(201, StaffEnvelope)
@blp.doc(**SECURED)
def create_staff(body: dict[str, Any]) -> Any:
    """A new account; managers may create cashiers, waiters and cooks, owners any role."""
    return {"staff": staff.create_staff(require_staff(), body["username"], body["name"].strip(), body["role"],
                                        body["password"])}, 201


@blp.patch("/staff/<int:staff_id>")
@permission_required(PERM)
@blp.arguments(StaffPatch())
@blp.response(200, StaffEnvelope)
@blp.doc(**SECURED)
def patch_staff(body: dict[str, Any], staff_id: int) -> dict[str, Any]:
    """Rename, change role, deactivate (ends their sessions at once) or reactivate."""
    return {"staff": staff.update_staff(require_staff(), staff_id, body)}


@blp.post("/staff/<int:staff_id>/password")
@permission_required(PERM)
@blp.arguments(PasswordReset())
@blp.response(200, StaffEnvelope)
@blp.doc(**SECURED)
def reset_password(body: dict[str, Any], staff_id: int) -> dict[str, Any]:
    """Set a new password for someone (and unlock them); their sessions end."""
    return {"staff": staff.reset_password(require_staff(), staff_id, body["password"])}
