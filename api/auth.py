"""Who is calling an API route, and what they may do, checked before the view runs.

Apps (mini-program, kitchen screens, floor phones) send a bearer token. The console signs staff in
with an HttpOnly cookie holding the same kind of token; a request that relies on that cookie and
changes something must also carry ``X-CSRF-Token``, a keyed hash of the cookie that a page of ours
reads from the session answer and another site cannot know.

The caller is cached per request (in the WSGI environ, not in ``g``, which outlives a request
whenever an app context was already pushed, as in tests and CLI commands).
"""
from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Response, current_app, request

from domain import permissions
from domain.errors import Forbidden, Unauthorized
from services import devices, diners, staff
from services.uow import reading

LOGIN_COOKIE = staff.LOGIN_COOKIE
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def csrf_token(session_token: str) -> str:
    """The CSRF token that goes with a console session cookie."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, b"csrf:" + session_token.encode(), hashlib.sha256).hexdigest()[:40]


def request_token() -> str | None:
    """The caller's staff token: a bearer header, else the console's session cookie (CSRF-checked on writes)."""
    token = bearer_token()
    if token:
        return token
    cookie = request.cookies.get(LOGIN_COOKIE)
    if not cookie:
        return None
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not hmac.compare_digest(sent.encode(), csrf_token(cookie).encode()):
            raise Forbidden("missing or wrong CSRF token; reload the page")
    return cookie


def set_login_cookie(resp: Response, token: str, max_age: int) -> None:
    secure = current_app.config["PUBLIC_BASE_URL"].startswith("https://") or request.is_secure
    resp.set_cookie(LOGIN_COOKIE, token, max_age=max_age, httponly=True, secure=secure, samesite="Strict",
                    path="/")


def clear_login_cookie(resp: Response) -> None:
    resp.delete_cookie(LOGIN_COOKIE, path="/", httponly=True, samesite="Strict")


def _caller(kind: str, authenticate: Callable[[str], T]) -> T | None:
    """Who the request's token names as ``kind`` (None if nobody), worked out once per request.

    The look-up's read ends here, so the request does not hold a database connection (SQLite's
    only one, on the embedded default) through whatever it does before its own transaction.
    """
    cache = request.environ.setdefault("diancan.auth", {})
    if kind not in cache:
        token = request_token() if kind == "staff" else bearer_token()  # only staff sign in by cookie
        try:
            with reading():
                cache[kind] = authenticate(token) if token else None
        except Unauthorized:
            cache[kind] = None
    return cache[kind]


def current_staff() -> staff.StaffPrincipal | None:
    """The staff member behind the request's token, or None if it is not a staff token."""
    return _caller("staff", staff.authenticate)


def current_diner() -> int | None:
    return _caller("diner", diners.authenticate)


def permission_required(permission: str | None) -> Callable[[F], F]:
    """Allow staff whose role holds ``permission`` in the matrix (any signed-in staff for None).

    The permission is kept on the view (``view.permission``) so tests can walk every route.
    """
    if permission is not None:
        assert permission in permissions.MATRIX, permission

    def deco(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            require_staff(permission)
            return view(*args, **kwargs)

        wrapper.permission = permission  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return deco


def require_staff(permission: str | None = None) -> staff.StaffPrincipal:
    """The signed-in staff member, checked for ``permission``; for views that decide per request."""
    who = current_staff()
    if who is None:
        raise Unauthorized("staff login required")
    if permission is not None and not permissions.allows(who.role, permission):
        raise Forbidden("your role may not do this")
    return who


def signed_diner() -> int | None:
    """The diner the request's token names, by signature alone (no query): for rate-limit keys and
    for routes whose use case checks the diner in its own transaction (``diner_signed``)."""
    cache = request.environ.setdefault("diancan.auth", {})
    if "signed diner" not in cache:
        token = bearer_token()
        try:
            cache["signed diner"] = diners.signed_diner(token) if token else None
        except Unauthorized:
            cache["signed diner"] = None
    found: int | None = cache["signed diner"]
    return found


def diner_signed(view: F) -> F:
    """``diner_required`` for a route whose use case checks in its own transaction that the diner
    still exists (placing an order): one transaction per request instead of two."""
    return _diner_route(view, signed_diner)


def diner_required(view: F) -> F:
    return _diner_route(view, current_diner)


def _diner_route(view: F, diner: Callable[[], int | None]) -> F:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if diner() is None:
            raise Unauthorized("diner login required")
        return view(*args, **kwargs)

    wrapper.diner_only = True  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def current_device() -> devices.DevicePrincipal | None:
    """The paired kitchen screen behind the request's token, if it is a screen token."""
    return _caller("device", devices.authenticate)


def kitchen_store_id() -> int | None:
    """The store of a kitchen caller: a paired screen, or staff whose role works the kitchen."""
    device = current_device()
    if device is not None:
        return device.store_id
    who = current_staff()
    if who is not None and permissions.allows(who.role, "kitchen.work"):
        return who.store_id
    return None


def kitchen_required(view: F) -> F:
    """Allow a paired screen's token or a cook's, manager's or owner's."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if kitchen_store_id() is None:
            if current_staff() is not None:
                raise Forbidden("your role may not do this")
            raise Unauthorized("kitchen login required")
        return view(*args, **kwargs)

    wrapper.permission = "kitchen.work"  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]
