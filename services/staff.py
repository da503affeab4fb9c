"""Staff accounts: argon2 passwords, lockout after repeated failures, signed bearer tokens."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select

from domain.errors import RateLimited, Unauthorized
from domain.tokens import TokenInvalid
from models import Staff, Store, db, utcnow
from services.context import setting, signer
from services.uow import transaction

ROLES = ("owner", "manager", "cashier", "waiter", "cook")
KITCHEN_ROLES = frozenset({"owner", "manager", "cook"})
MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)

_hasher = PasswordHasher()
# Verifying against this keeps a wrong username as slow as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


@dataclass(frozen=True)
class StaffPrincipal:
    id: int
    store_id: int
    role: str
    name: str


def login(store_slug: str, username: str, password: str) -> tuple[str, Staff]:
    """Check the password and issue a token. Raises Unauthorized, or RateLimited while locked."""
    with transaction() as tx:
        staff = tx.session.execute(
            select(Staff).join(Store, Store.id == Staff.store_id)
            .where(Store.slug == store_slug, Staff.username == username)
        ).scalar_one_or_none()
        if staff is None or not staff.active:
            _verify(_DUMMY_HASH, password)
            raise Unauthorized("wrong username or password")
        now = utcnow()
        if staff.locked_until is not None and staff.locked_until > now:
            raise RateLimited("too many failed attempts; try again later")
        if not _verify(staff.password_hash, password):
            staff.failed_logins += 1
            if staff.failed_logins >= MAX_FAILURES:
                staff.locked_until, staff.failed_logins = now + LOCKOUT, 0
        else:
            staff.failed_logins, staff.locked_until = 0, None
            if _hasher.check_needs_rehash(staff.password_hash):
                staff.password_hash = _hasher.hash(password)
            token = signer().issue("staff", {"s": staff.id, "v": staff.token_version})
            return token, staff
    raise Unauthorized("wrong username or password")


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def authenticate(token: str) -> StaffPrincipal:
    """The active staff member a token names; Unauthorized if forged, expired or revoked."""
    try:
        claims = signer().read("staff", token, setting("STAFF_TOKEN_TTL"))
    except TokenInvalid as exc:
        raise Unauthorized("invalid or expired token") from exc
    staff = db.session.get(Staff, claims.get("s"))
    if staff is None or not staff.active or staff.token_version != claims.get("v"):
        raise Unauthorized("invalid or expired token")
    return StaffPrincipal(id=staff.id, store_id=staff.store_id, role=staff.role, name=staff.name)
