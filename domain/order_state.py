"""Order, ticket and item state machines as transition tables."""
from __future__ import annotations

from domain.errors import N_, InvalidState

# One template per machine (the catalogue translates each); the states are the contract's codes.
CANNOT_MOVE = {
    "order": N_("order cannot go from {current} to {target}"),
    "ticket": N_("ticket cannot go from {current} to {target}"),
    "item": N_("item cannot go from {current} to {target}"),
}

ORDER_STATUSES = ("submitted", "accepted", "preparing", "ready", "served", "cancelled")
ORDER_TRANSITIONS: dict[str, frozenset[str]] = {
    "submitted": frozenset({"accepted", "preparing", "ready", "cancelled"}),
    "accepted": frozenset({"preparing", "ready", "cancelled"}),
    "preparing": frozenset({"ready", "cancelled"}),
    "ready": frozenset({"served", "preparing", "cancelled"}),  # preparing again when a ticket is recalled
    "served": frozenset(),
    "cancelled": frozenset(),
}

TICKET_STATUSES = ("new", "cooking", "done", "bumped", "cancelled")
TICKET_TRANSITIONS: dict[str, frozenset[str]] = {
    "new": frozenset({"cooking", "done", "bumped", "cancelled"}),
    "cooking": frozenset({"new", "done", "bumped", "cancelled"}),
    "done": frozenset({"cooking", "bumped", "cancelled"}),
    "bumped": frozenset({"done"}),  # recall
    "cancelled": frozenset(),  # every item on it was cancelled or voided
}

ITEM_STATUSES = ("new", "cooking", "done", "cancelled")
ITEM_TRANSITIONS: dict[str, frozenset[str]] = {
    "new": frozenset({"cooking", "done", "cancelled"}),
    "cooking": frozenset({"done", "new", "cancelled"}),
    "done": frozenset({"cooking", "cancelled"}),
    "cancelled": frozenset(),
}
# A diner may take a dish back only until the kitchen starts it; after that, staff void it.
DINER_CANCELLABLE = frozenset({"new"})


def _check(table: dict[str, frozenset[str]], what: str, current: str, target: str) -> str:
    if target not in table.get(current, frozenset()):
        raise InvalidState(CANNOT_MOVE[what], current=current, target=target)
    return target


def order_transition(current: str, target: str) -> str:
    return _check(ORDER_TRANSITIONS, "order", current, target)


def ticket_transition(current: str, target: str) -> str:
    return _check(TICKET_TRANSITIONS, "ticket", current, target)


def item_transition(current: str, target: str) -> str:
    return _check(ITEM_TRANSITIONS, "item", current, target)


def ticket_status_from_items(item_statuses: list[str]) -> str:
    """A ticket is done when every item is done, cooking once any item has started."""
    if item_statuses and all(s == "done" for s in item_statuses):
        return "done"
    if any(s in ("cooking", "done") for s in item_statuses):
        return "cooking"
    return "new"


def order_status_from_tickets(current: str, ticket_statuses: list[str]) -> str:
    """Where the kitchen's work puts the order: ready when every ticket is bumped."""
    if current in ("served", "cancelled"):
        return current
    if ticket_statuses and all(s == "bumped" for s in ticket_statuses):
        return "ready"
    if any(s != "new" for s in ticket_statuses) or current == "ready":  # a recalled order is back in the kitchen
        return "preparing"
    return current if current in ("submitted", "accepted", "preparing") else "accepted"
