"""Who may do what: the one permission matrix every staff route and socket is checked against.

A route names the permission it needs (``api.auth.permission_required``); the page hides what a
role cannot do, but the server is what refuses. Roles never inherit implicitly: the matrix below
is the whole truth, and ``tests/api/test_role_matrix.py`` walks every route with every role.
"""
from __future__ import annotations

ROLES = ("owner", "manager", "cashier", "waiter", "cook")

# permission -> roles that hold it
MATRIX: dict[str, frozenset[str]] = {
    # the floor
    "floor.view": frozenset({"owner", "manager", "cashier", "waiter"}),
    "calls.handle": frozenset({"owner", "manager", "cashier", "waiter"}),
    "checks.close": frozenset({"owner", "manager", "cashier", "waiter"}),
    "orders.void": frozenset({"owner", "manager", "cashier"}),
    "payments.take": frozenset({"owner", "manager", "cashier"}),
    "payments.refund": frozenset({"owner", "manager", "cashier"}),
    "orders.take": frozenset({"owner", "manager", "cashier", "waiter"}),
    "checks.move": frozenset({"owner", "manager", "cashier", "waiter"}),
    "discounts.give": frozenset({"owner", "manager", "cashier"}),
    "shifts.run": frozenset({"owner", "manager", "cashier"}),
    "print.reprint": frozenset({"owner", "manager", "cashier"}),  # reprints, receipts, printer states
    # the kitchen
    "kitchen.work": frozenset({"owner", "manager", "cook"}),
    # the console
    "console.use": frozenset({"owner", "manager"}),
    "tables.manage": frozenset({"owner", "manager"}),
    "menu.manage": frozenset({"owner", "manager"}),
    "stations.manage": frozenset({"owner", "manager"}),
    "screens.manage": frozenset({"owner", "manager"}),
    "printers.manage": frozenset({"owner", "manager"}),
    "settings.manage": frozenset({"owner", "manager"}),
    "audit.read": frozenset({"owner", "manager"}),
    "reports": frozenset({"owner", "manager"}),
    "promotions.manage": frozenset({"owner", "manager"}),
    "stock.manage": frozenset({"owner", "manager"}),  # ingredients, recipes, deliveries, counts
    "staff.manage": frozenset({"owner", "manager"}),
    # owners and managers are made, changed and ended by an owner only
    "staff.manage_managers": frozenset({"owner"}),
}

# Roles a holder of staff.manage may hand out or change without staff.manage_managers.
JUNIOR_ROLES = frozenset({"cashier", "waiter", "cook"})


def allows(role: str, permission: str) -> bool:
    """True when ``role`` holds ``permission``; an unknown permission is a programming error."""
    return role in MATRIX[permission]


def permissions_of(role: str) -> list[str]:
    """Every permission a role holds, sorted: what the console uses to show only what works."""
    return sorted(p for p, roles in MATRIX.items() if role in roles)


def may_manage(actor_role: str, target_role: str) -> bool:
    """May someone with ``actor_role`` create, change or end an account with ``target_role``?"""
    if not allows(actor_role, "staff.manage"):
        return False
    return target_role in JUNIOR_ROLES or allows(actor_role, "staff.manage_managers")
