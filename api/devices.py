"""Managers pair and revoke kitchen screens: /api/v1/admin/kds/devices."""
from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from api.auth import current_staff, permission_required
from schema.devices import DeviceCreated, DeviceCreateRequest, DeviceEnvelope, DevicesEnvelope
from services import devices

blp = Blueprint("kds_devices", __name__, url_prefix="/api/v1/admin/kds/devices",
                description="Kitchen screens: pairing codes and revocation")


def _who():  # type: ignore[no-untyped-def]
    who = current_staff()
    assert who is not None
    return who


@blp.post("")
@permission_required("screens.manage")
@blp.arguments(DeviceCreateRequest())
@blp.response(201, DeviceCreated)
@blp.doc(security=[{"bearer": []}])
def create_device(body: dict[str, Any]) -> dict[str, Any]:
    """A new kitchen screen and the one-time code to type on it."""
    who = _who()
    device, code = devices.create_device(who.store_id, who.id, body["name"].strip(), body["stations"])
    return {"device": device, "pairing_code": code, "expires_in": int(devices.CODE_TTL.total_seconds())}


@blp.get("")
@permission_required("screens.manage")
@blp.response(200, DevicesEnvelope)
@blp.doc(security=[{"bearer": []}])
def list_devices() -> dict[str, Any]:
    return {"devices": devices.list_devices(_who().store_id)}


@blp.post("/<int:device_id>/revoke")
@permission_required("screens.manage")
@blp.response(200, DeviceEnvelope)
@blp.doc(security=[{"bearer": []}])
def revoke_device(device_id: int) -> dict[str, Any]:
    """Void the screen's token; it is disconnected at once."""
    who = _who()
    return {"device": devices.revoke(who.store_id, device_id, who.id)}
