"""Bearer tokens on API routes: who is calling, checked before the view runs."""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import g, request

from domain.errors import Forbidden, Unauthorized
from services import diners, staff

F = TypeVar("F", bound=Callable[..., Any])


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def current_staff() -> staff.StaffPrincipal | None:
    """The staff member behind the request's token, or None if it is not a staff token."""
    if "staff" not in g:
        token = bearer_token()
        try:
            g.staff = staff.authenticate(token) if token else None
        except Unauthorized:
            g.staff = None
    return g.staff


def current_diner() -> int | None:
    if "diner_id" not in g:
        token = bearer_token()
        try:
            g.diner_id = diners.authenticate(token) if token else None
        except Unauthorized:
            g.diner_id = None
    return g.diner_id


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
