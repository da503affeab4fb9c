"""Staff login: a bearer token for apps, or a cookie session for the console; one's own password."""
from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request
from flask_smorest import Blueprint

from api.auth import (
    LOGIN_COOKIE,
    clear_login_cookie,
    csrf_token,
    current_staff,
    permission_required,
    request_token,
    require_staff,
    set_login_cookie,
)
from api.limits import limiter
from domain import permissions
from domain.errors import Forbidden
from schema.staff import (
    PasswordChange,
    PasswordChanged,
    StaffLoginRequest,
    StaffLoginResponse,
    StaffSessionSchema,
)
from services import admin, staff
from services.context import setting
from services.uow import reading

blp = Blueprint("staff", __name__, url_prefix="/api/v1", description="Staff: login and administration")


@blp.post("/staff/login")
@limiter.limit("60/minute")  # per address; an account also locks for an address after its failures
@blp.arguments(StaffLoginRequest())
@blp.response(200, StaffLoginResponse)
def staff_login(body: dict[str, Any]) -> dict[str, Any]:
    token, member = staff.login(body["store"], body["username"], body["password"], request.remote_addr or "")
    return {"token": token, "expires_in": setting("STAFF_TOKEN_TTL"), "staff": member}


def _login_view(who: staff.StaffPrincipal, token: str) -> dict[str, Any]:
    with reading():
        store = admin.get_store(who.store_id)
    view = {"staff": who, "store": {"id": store.id, "name": store.name, "slug": store.slug,
                                        "timezone": store.timezone},
            "permissions": permissions.permissions_of(who.role), "csrf_token": csrf_token(token),
            "expires_in": setting("STAFF_TOKEN_TTL")}
    return view


@blp.post("/staff/session")
@limiter.limit("60/minute")
@blp.arguments(StaffLoginRequest())
@blp.response(200, StaffSessionSchema)
def open_session(body: dict[str, Any]) -> Response:
    """Console sign-in: the token goes into an HttpOnly, SameSite=Strict cookie (Secure over HTTPS),
    never into the page; the answer carries the CSRF token the page sends with every write."""
    token, member = staff.login(body["store"], body["username"], body["password"], request.remote_addr or "")
    resp = jsonify(StaffSessionSchema().dump(_login_view(staff.principal(member), token)))
    set_login_cookie(resp, token, setting("STAFF_TOKEN_TTL"))
    return resp


@blp.get("/staff/session")
@permission_required(None)
@blp.response(200, StaffSessionSchema)
@blp.doc(security=[{"bearer": []}])
def read_session() -> dict[str, Any]:
    """Who is signed in (cookie or bearer), what they may do, and the CSRF token for the cookie."""
    who, token = current_staff(), request_token()
    assert who is not None and token is not None
    return _login_view(who, token)


@blp.delete("/staff/session")
@blp.response(204)
def close_session() -> Response:
    """Sign out: the session's token (cookie or bearer) stops working at once, and the cookie is cleared."""
    try:
        token = request_token()
    except Forbidden:  # a cookie without its CSRF token: cleared, but not trusted to sign anyone out
        token = None
    if token:
        staff.end_login(token)
    resp = Response(status=204)
    clear_login_cookie(resp)
    return resp


@blp.post("/staff/me/password")
@permission_required(None)
@limiter.limit("10/minute")
@blp.arguments(PasswordChange())
@blp.response(200, PasswordChanged)
@blp.doc(security=[{"bearer": []}])
def change_password(body: dict[str, Any]) -> Response:
    """Change your own password; every other session of yours ends, this one carries on."""
    token = staff.change_own_password(require_staff(), body["current_password"], body["new_password"])
    resp = jsonify({"token": token})
    if request.cookies.get(LOGIN_COOKIE):
        set_login_cookie(resp, token, setting("STAFF_TOKEN_TTL"))
    return resp
