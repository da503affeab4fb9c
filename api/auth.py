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
from services import diners, staff

F = TypeVar("F", bound=Callable[..., Any])


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def current_staff() -> staff.StaffPrincipal | None:
    """The staff member behind the request's token, or None if it is not a staff token."""
    cache = request.environ.setdefault("diancan.auth", {})
    if "staff" not in cache:
        token = bearer_token()
        try:
            cache["staff"] = staff.authenticate(token) if token else None
        except Unauthorized:
            cache["staff"] = None
    return cache["staff"]


def current_diner() -> int | None:
    cache = request.environ.setdefault("diancan.auth", {})
    if "diner_id" not in cache:
        token = bearer_token()
        try:
            cache["diner_id"] = diners.authenticate(token) if token else None
        except Unauthorized:
            cache["diner_id"] = None
    return cache["diner_id"]


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
