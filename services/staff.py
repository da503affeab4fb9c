"""Staff accounts: argon2 passwords, lockout after repeated failures, signed bearer tokens."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from domain import permissions
from domain.errors import Conflict, Forbidden, RateLimited, Unauthorized, ValidationFailed
from domain.tokens import TokenInvalid
from models import RevokedStaffSession, Staff, Store, db, utcnow
from services import audit, lockout
from services.context import setting, signer
from services.scoping import owned, taken
from services.uow import keys_revoked, reading, transaction

_hasher = PasswordHasher()
# Verifying against this keeps a wrong username as slow as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-password")

LOGIN_COOKIE = "diancan_staff"
"""The console's sign-in cookie: an HttpOnly copy of a staff token."""


def normal_username(username: str) -> str:
    """Usernames are stored stripped and in lower case, and compared byte for byte at login, so
    one account has one spelling on every database (MariaDB's collation would fold case, accents
    and trailing spaces)."""
    return username.strip().lower()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


@dataclass(frozen=True)
class StaffPrincipal:
    id: int
    store_id: int
    role: str
    name: str


def login(store_slug: str, username: str, password: str, client: str = "") -> tuple[str, Staff]:
    """Check the password and issue a token. Raises Unauthorized, or RateLimited while locked.

    Failures lock the account only for the client address they came from (``services.lockout``).
    An unknown or inactive username is counted, checked against a dummy hash and answered exactly
    like a known one, so neither the answers nor their timing tell which usernames exist.
    """
    with transaction() as tx:
        staff = tx.session.execute(
            select(Staff).join(Store, Store.id == Staff.store_id)
            .where(Store.slug == store_slug, Staff.username == username)
        ).scalar_one_or_none()
        if staff is not None and not staff.active:
            staff = None
        # A new token_version (password reset, new role) starts the account's counters afresh.
        counter = (lockout.key("staff", staff.id, staff.token_version, client) if staff is not None
                   else lockout.key("name", store_slug, username, client))
        if lockout.locked(counter):
            raise RateLimited("too many failed attempts; try again later")
        if staff is not None and _verify(staff.password_hash, password):
            lockout.succeeded(counter)
            staff.failed_logins, staff.locked_until = 0, None
            if _hasher.check_needs_rehash(staff.password_hash):
                staff.password_hash = _hasher.hash(password)
            return _issue_token(staff), staff
        if staff is None:
            _verify(_DUMMY_HASH, password)
        if lockout.failed(counter) and staff is not None:
            staff.locked_until = utcnow() + lockout.PERIOD  # the console shows someone is locked out
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
    session_id = claims.get("j")
    staff = db.session.get(Staff, claims.get("s"))
    if staff is None or not staff.active or staff.token_version != claims.get("v") or not isinstance(session_id, str):
        raise Unauthorized("invalid or expired token")
    if db.session.get(RevokedStaffSession, session_id) is not None:
        raise Unauthorized("signed out")
    return principal(staff)


def principal(member: Staff) -> StaffPrincipal:
    return StaffPrincipal(id=member.id, store_id=member.store_id, role=member.role, name=member.name)


def _issue_token(member: Staff) -> str:
    """A bearer token naming this person at their current ``token_version`` and a new session id
    (``j``), which signing out revokes; it also makes two logins in one second differ."""
    return signer().issue("staff", {"s": member.id, "v": member.token_version, "j": secrets.token_hex(8)})


def end_login(token: str) -> None:
    """Sign out: the token's session is refused from now on, in every process, and its open
    sockets are cut at once (the sweep is woken). A token that is already invalid needs nothing."""
    try:
        claims = signer().read("staff", token, setting("STAFF_TOKEN_TTL"))
    except TokenInvalid:
        return
    session_id, staff_id = claims.get("j"), claims.get("s")
    if not isinstance(session_id, str) or not isinstance(staff_id, int):
        return
    now = utcnow()
    try:
        with transaction() as tx:
            # Rows past their expiry name tokens refused anyway: each sign-out sweeps a few away.
            tx.session.execute(delete(RevokedStaffSession).where(RevokedStaffSession.expires_at < now))
            if tx.session.get(RevokedStaffSession, session_id) is None:
                tx.session.add(RevokedStaffSession(session_id=session_id, staff_id=staff_id,
                                                   expires_at=now + timedelta(seconds=setting("STAFF_TOKEN_TTL"))))
            tx.emit(keys_revoked())
    except IntegrityError:  # signed out twice at once: revoked either way (transaction() rolled back)
        pass


# --- managing accounts (the console) -----------------------------------------------------------

MIN_PASSWORD = 8


def check_password(username: str, password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ValidationFailed("at least {n} characters", {"password": [f"at least {MIN_PASSWORD} characters"]},
                               n=MIN_PASSWORD)
    if password.lower() == username.lower():
        raise ValidationFailed("the password cannot be the username", {"password": ["must differ from the username"]})


def list_staff(store_id: int) -> list[Staff]:
    with reading() as db:
        rows = list(db.execute(
            select(Staff).where(Staff.store_id == store_id).order_by(Staff.active.desc(), Staff.role, Staff.username)
        ).scalars())
    return rows


def _member(db: Session, store_id: int, staff_id: int) -> Staff:
    return owned(db, Staff, store_id, staff_id, "staff member")


def _may_manage(actor: StaffPrincipal, role: str) -> None:
    if not permissions.may_manage(actor.role, role):
        raise Forbidden("your role may not manage {role} accounts", role=role)


def create_staff(actor: StaffPrincipal, username: str, name: str, role: str, password: str) -> Staff:
    """A new account in the actor's store. Conflict when the username is taken there."""
    _may_manage(actor, role)
    username = normal_username(username)
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


def _active_owners(db: Session, store_id: int) -> int:
    return db.execute(select(func.count(Staff.id)).where(
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
            tx.emit(keys_revoked(actor.store_id))  # and their open sockets, in every process
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
    """A manager sets a new password for someone (forgotten, or locked out): their sessions end.

    Not for oneself: that needs the current password (``change_own_password``), or a stolen
    session could lock its owner out. Raises Forbidden for a self-target or a role out of reach.
    """
    if staff_id == actor.id:
        raise Forbidden("change your own password with your current one")
    with transaction() as tx:
        member = _member(tx.session, actor.store_id, staff_id)
        _may_manage(actor, member.role)
        check_password(member.username, password)
        member.password_hash = hash_password(password)
        member.token_version += 1
        tx.emit(keys_revoked(actor.store_id))
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
        tx.emit(keys_revoked(who.store_id))
        audit.record(tx, who.store_id, who.id, "staff.password_change", "staff", member.id)
        token = _issue_token(member)
    return token
