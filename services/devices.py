"""Pairing kitchen screens: a manager makes a one-time code, the screen trades it for its token.

The code is 8 digits, valid 10 minutes, single use; the token is 32 random bytes. Both are kept
only as SHA-256 hashes (they are random, so a keyed hash adds nothing). Revoking a screen
voids its token at once; ``kds`` then disconnects it.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from domain.errors import InvalidState, NotFound, Unauthorized, ValidationFailed
from models import KitchenDevice, Station, db, utcnow
from services import audit
from services.uow import Outgoing, reading, transaction

CODE_TTL = timedelta(minutes=10)
TOKEN_PREFIX = "kds_"  # noqa: S105 - marks a screen token; not a secret


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class DevicePrincipal:
    id: int
    store_id: int
    name: str
    stations: list[str]


def create_device(store_id: int, staff_id: int, name: str, stations: list[str]) -> tuple[KitchenDevice, str]:
    """A new screen awaiting pairing, and its one-time code. Raises ValidationFailed (station)."""
    with transaction() as tx:
        known = set(tx.session.execute(select(Station.code).where(Station.store_id == store_id)).scalars())
        unknown = sorted(set(stations) - known)
        if unknown:
            raise ValidationFailed("unknown station", {"stations": [f"not stations of this store: {unknown}"]})
        code = f"{secrets.randbelow(10**8):08d}"
        device = KitchenDevice(store_id=store_id, name=name, stations=sorted(set(stations)), created_by=staff_id,
                               pairing_code_hash=_hash(code), code_expires_at=utcnow() + CODE_TTL)
        tx.session.add(device)
        tx.session.flush()
        audit.record(tx, store_id, staff_id, "kds.device.create", "kitchen_device", device.id, None,
                     {"name": name, "stations": device.stations})
    return device, code


def pair(code: str) -> tuple[KitchenDevice, str]:
    """Trade a pairing code for the screen's own token, once. Raises Unauthorized."""
    with transaction() as tx:
        device = tx.session.execute(
            select(KitchenDevice).where(KitchenDevice.pairing_code_hash == _hash(code)).with_for_update()
        ).scalar_one_or_none()
        if (device is None or device.revoked_at is not None or device.code_expires_at is None
                or device.code_expires_at < utcnow()):
            raise Unauthorized("this pairing code is wrong, used or expired")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        device.pairing_code_hash, device.code_expires_at = None, None
        device.token_hash, device.paired_at = _hash(token), utcnow()
    return device, token


def authenticate(token: str) -> DevicePrincipal:
    if not token.startswith(TOKEN_PREFIX):
        raise Unauthorized("not a screen token")
    device = db.session.execute(
        select(KitchenDevice).where(KitchenDevice.token_hash == _hash(token))
    ).scalar_one_or_none()
    if device is None or device.revoked_at is not None:
        raise Unauthorized("this screen is not paired")
    return DevicePrincipal(id=device.id, store_id=device.store_id, name=device.name, stations=list(device.stations))


def list_devices(store_id: int) -> list[KitchenDevice]:
    return list(db.session.execute(
        select(KitchenDevice).where(KitchenDevice.store_id == store_id).order_by(KitchenDevice.id)
    ).scalars())


def revoke(store_id: int, device_id: int, staff_id: int | None = None) -> KitchenDevice:
    """Void the screen's token and disconnect it. Raises NotFound, InvalidState (already revoked)."""
    with transaction() as tx:
        device = tx.session.execute(
            select(KitchenDevice).where(KitchenDevice.id == device_id, KitchenDevice.store_id == store_id)
        ).scalar_one_or_none()
        if device is None:
            raise NotFound("no such screen")
        if device.revoked_at is not None:
            raise InvalidState("this screen is already revoked")
        device.revoked_at, device.token_hash, device.pairing_code_hash = utcnow(), None, None
        audit.record(tx, store_id, staff_id, "kds.device.revoke", "kitchen_device", device.id,
                     {"name": device.name}, {"revoked": True})
        tx.emit(Outgoing("device", "device.revoked", {"device_id": device.id}, store_id, device_id=device.id))
    return device


def revoked_among(device_ids: set[int]) -> set[int]:
    """Which of these screens are revoked (or gone)."""
    with reading() as db:
        live = set(db.execute(
            select(KitchenDevice.id).where(KitchenDevice.id.in_(device_ids), KitchenDevice.revoked_at.is_(None))
        ).scalars())
    return set(device_ids) - live
