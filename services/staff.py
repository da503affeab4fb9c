"""Staff accounts: argon2 passwords, lockout after repeated failures, signed bearer tokens."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain import permissions
from domain.errors import Conflict, Forbidden, RateLimited, Unauthorized, ValidationFailed
from domain.tokens import TokenInvalid
from models import Staff, Store, db, utcnow
from services import audit
from services.context import setting, signer
from services.scoping import owned, taken
from services.uow import transaction

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)

_hasher = PasswordHasher()
# Verifying against this keeps a wrong username as slow as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-password")

SESSION_COOKIE = "diancan_staff"
"""The console's sign-in cookie: an HttpOnly copy of a staff token."""


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
            return _issue_token(staff), staff
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
    return principal(staff)


def principal(member: Staff) -> StaffPrincipal:
    return StaffPrincipal(id=member.id, store_id=member.store_id, role=member.role, name=member.name)


def _issue_token(member: Staff) -> str:
    """A bearer token naming this person at their current ``token_version``."""
    return signer().issue("staff", {"s": member.id, "v": member.token_version})


# --- managing accounts (the console) -----------------------------------------------------------

MIN_PASSWORD = 8


def check_password(username: str, password: str) -> None:
    if len(password) < MIN_PASSWORD:
        message = f"at least {MIN_PASSWORD} characters"
        raise ValidationFailed(message, {"password": [message]})
    if password.lower() == username.lower():
        raise ValidationFailed("the password cannot be the username", {"password": ["must differ from the username"]})


def list_staff(store_id: int) -> list[Staff]:
    rows = list(db.session.execute(
        select(Staff).where(Staff.store_id == store_id).order_by(Staff.active.desc(), Staff.role, Staff.username)
    ).scalars())
    db.session.commit()
    return rows


def _member(session: Session, store_id: int, staff_id: int) -> Staff:
    return owned(session, Staff, store_id, staff_id, "staff member")


def _may_manage(actor: StaffPrincipal, role: str) -> None:
    if not permissions.may_manage(actor.role, role):
        raise Forbidden(f"your role may not manage {role} accounts")


def create_staff(actor: StaffPrincipal, username: str, name: str, role: str, password: str) -> Staff:
    """A new account in the actor's store. Conflict when the username is taken there."""
    _may_manage(actor, role)
    check_password(username, password)
    with transaction() as tx:
        if taken(tx.session, Staff, actor.store_id, Staff.username, username):
            raise Conflict("that username is taken", {"username": ["already used in this store"]})
        member = Staff(store_id=actor.store_id, username=username, name=name, role=role,
                       password_hash=hash_password(password), active=True, token_version=1, failed_logins=0)
        tx.session.add(member)
        tx.session.flush()
        audit.record(tx, actor.store_id, actor.id, "staff.create", "staff", member.id, None,
                     {"username": username, "name": name, "role": role})
    return member


def _active_owners(session: Session, store_id: int) -> int:
    return session.execute(select(func.count(Staff.id)).where(
        Staff.store_id == store_id, Staff.role == "owner", Staff.active.is_(True))).scalar_one()


def update_staff(actor: StaffPrincipal, staff_id: int, changes: dict[str, Any]) -> Staff:
    """Rename, change the role of, deactivate or reactivate an account.

    A new role or deactivation ends every session of that person at once (their tokens carry
    ``token_version``). Nobody changes their own role or deactivates themselves, and the store
    always keeps an active owner.
    """
    with transaction() as tx:
        member = _member(tx.session, actor.store_id, staff_id)
        _may_manage(actor, member.role)
        if "role" in changes:
            _may_manage(actor, changes["role"])
        demoting = changes.get("role", member.role) != member.role or changes.get("active") is False
        if member.id == actor.id and demoting:
            raise Forbidden("you cannot change your own role or deactivate yourself")
        fields: list[str] = [n for n in ("name", "role", "active") if n in changes]
        before = {n: getattr(member, n) for n in fields}
        for name in fields:
            setattr(member, name, changes[name])
        if member.role != before.get("role", member.role) or before.get("active", member.active) != member.active:
            member.token_version += 1  # ends their sessions now
            tx.session.flush()
            if _active_owners(tx.session, actor.store_id) == 0:
                raise Conflict("the store must keep an active owner")
        after = {n: getattr(member, n) for n in fields}
        if before != after:
            action = ("staff.deactivate" if before.get("active") and not member.active
                      else "staff.role" if "role" in before and before["role"] != member.role else "staff.update")
            audit.record(tx, actor.store_id, actor.id, action, "staff", member.id, before, after)
    return member


def reset_password(actor: StaffPrincipal, staff_id: int, password: str) -> Staff:
    """A manager sets a new password for someone (forgotten, or locked out): their sessions end."""
    with transaction() as tx:
        member = _member(tx.session, actor.store_id, staff_id)
        _may_manage(actor, member.role)
        check_password(member.username, password)
        member.password_hash = hash_password(password)
        member.token_version += 1
        member.failed_logins, member.locked_until = 0, None
        audit.record(tx, actor.store_id, actor.id, "staff.password_reset", "staff", member.id)
    return member


def change_own_password(who: StaffPrincipal, current: str, new: str) -> str:
    """Change one's own password (the current one is needed); other sessions end, this one gets a new token."""
    with transaction() as tx:
        member = _member(tx.session, who.store_id, who.id)
        if not _verify(member.password_hash, current):
            raise ValidationFailed("the current password is wrong", {"current_password": ["wrong password"]})
        check_password(member.username, new)
        member.password_hash = hash_password(new)
        member.token_version += 1
        audit.record(tx, who.store_id, who.id, "staff.password_change", "staff", member.id)
        token = _issue_token(member)
    return token
