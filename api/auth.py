"""Bearer tokens on API routes: who is calling, checked before the view runs.

The caller is cached per request (in the WSGI environ, not in ``g``, which outlives a request
whenever an app context was already pushed, as in tests and CLI commands).
"""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import request

from domain.errors import Forbidden, Unauthorized
from services import devices, diners, staff

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _caller(kind: str, authenticate: Callable[[str], T]) -> T | None:
    """Who the bearer token names as ``kind`` (None if nobody), worked out once per request."""
    cache = request.environ.setdefault("diancan.auth", {})
    if kind not in cache:
        token = bearer_token()
        try:
            cache[kind] = authenticate(token) if token else None
        except Unauthorized:
            cache[kind] = None
    return cache[kind]


def current_staff() -> staff.StaffPrincipal | None:
    """The staff member behind the request's token, or None if it is not a staff token."""
    return _caller("staff", staff.authenticate)


def current_diner() -> int | None:
    return _caller("diner", diners.authenticate)


def staff_required(*roles: str) -> Callable[[F], F]:
    """Allow a valid staff token whose role is in ``roles`` (any role when none given)."""

    def deco(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            who = current_staff()
            if who is None:
                raise Unauthorized("staff login required")
            if roles and who.role not in roles:
                raise Forbidden("your role may not do this")
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return deco


def diner_required(view: F) -> F:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if current_diner() is None:
            raise Unauthorized("diner login required")
        return view(*args, **kwargs)

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
    if who is not None and who.role in staff.KITCHEN_ROLES:
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

    return wrapper  # type: ignore[return-value]
