"""Every staff route × every role: the server refuses exactly what the permission matrix says.

The routes come from the app's URL map, so a new route is walked without anyone remembering
to add it here. Requests use ids that do not exist and empty bodies: a role that may use a route
gets past the permission check (to a 404, 422 or an answer), one that may not gets 403 before
anything is read or parsed.
"""
from __future__ import annotations

import re

import pytest

from domain import permissions
from tests.helpers import auth, make_staff, make_store, staff_token

MISSING = 2**31 - 1


def staff_routes(app):  # type: ignore[no-untyped-def]
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        view = app.view_functions[rule.endpoint]
        if not hasattr(view, "permission"):
            continue
        path = re.sub(r"<(?:int:)?\w+>", str(MISSING), rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, path, view.permission, rule.endpoint


def test_every_admin_and_staff_route_names_its_permission(app):
    unguarded = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if rule.rule.startswith(("/api/v1/admin", "/api/v1/kds/t", "/api/v1/floor", "/api/v1/calls")) \
                and not hasattr(view, "permission"):
            unguarded.append(rule.rule)
    assert unguarded == []
    assert sum(1 for _ in staff_routes(app)) >= 50


@pytest.fixture(scope="module")
def role_tokens(app):  # type: ignore[no-untyped-def]
    client = app.test_client()
    store = make_store()
    tokens = {"owner": staff_token(client, store)}
    for role in permissions.ROLES:
        if role != "owner":
            member = make_staff(store, role, password="role-pass-1")
            tokens[role] = staff_token(client, store, member.username, "role-pass-1")
    return tokens


@pytest.mark.parametrize("role", permissions.ROLES)
def test_each_role_reaches_exactly_its_routes(app, client, role_tokens, role):
    wrong = []
    for method, path, permission, endpoint in staff_routes(app):
        kwargs = {"headers": auth(role_tokens[role])}
        if method in ("POST", "PATCH", "PUT"):
            kwargs["json"] = {}
        status = client.open(path, method=method, **kwargs).status_code
        allowed = permission is None or permissions.allows(role, permission)
        if allowed and status in (401, 403) or not allowed and status != 403 or status >= 500:
            wrong.append((method, path, endpoint, status, "allowed" if allowed else "forbidden"))
    assert wrong == []


def test_no_token_is_401_on_every_staff_route(app, client):
    statuses = {(m, p): client.open(p, method=m, json={} if m != "GET" else None).status_code
                for m, p, _perm, _e in staff_routes(app)}
    assert {s for s in statuses.values()} == {401}


def test_the_matrix_itself_keeps_the_rules_a_restaurant_expects():
    allows = permissions.allows
    assert all(allows("owner", p) for p in permissions.MATRIX)
    assert not allows("cook", "payments.refund") and not allows("waiter", "payments.refund")
    assert not allows("cashier", "menu.manage") and not allows("cook", "staff.manage")
    assert allows("cook", "kitchen.work") and not allows("cashier", "kitchen.work")
    assert not allows("manager", "staff.manage_managers")
    assert permissions.may_manage("manager", "cook") and not permissions.may_manage("manager", "manager")
    assert not permissions.may_manage("manager", "owner") and permissions.may_manage("owner", "manager")
    assert not permissions.may_manage("cashier", "waiter")
