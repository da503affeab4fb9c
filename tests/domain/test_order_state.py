"""The order, ticket and item state machines."""
from __future__ import annotations

import pytest

from domain import order_state as s
from domain.errors import InvalidState


@pytest.mark.parametrize(("current", "target"), [
    ("submitted", "accepted"), ("accepted", "preparing"), ("preparing", "ready"), ("ready", "served"),
    ("ready", "preparing"), ("submitted", "cancelled"), ("preparing", "cancelled")])
def test_allowed_order_moves(current, target):
    assert s.order_transition(current, target) == target


@pytest.mark.parametrize(("current", "target"), [
    ("served", "preparing"), ("cancelled", "accepted"), ("ready", "submitted"), ("accepted", "served")])
def test_forbidden_order_moves(current, target):
    with pytest.raises(InvalidState):
        s.order_transition(current, target)


def test_a_bumped_ticket_can_only_be_recalled_and_a_cancelled_one_nowhere():
    assert s.ticket_transition("bumped", "done") == "done"
    for target in ("new", "cooking", "bumped"):
        with pytest.raises(InvalidState):
            s.ticket_transition("bumped", target)
    with pytest.raises(InvalidState):
        s.ticket_transition("cancelled", "new")


def test_a_cancelled_item_stays_cancelled():
    with pytest.raises(InvalidState):
        s.item_transition("cancelled", "cooking")
    assert s.DINER_CANCELLABLE == {"new"}


@pytest.mark.parametrize(("items", "ticket"), [
    (["new", "new"], "new"), (["cooking", "new"], "cooking"), (["done", "new"], "cooking"), (["done", "done"], "done")])
def test_ticket_status_follows_its_items(items, ticket):
    assert s.ticket_status_from_items(items) == ticket


@pytest.mark.parametrize(("current", "tickets", "order"), [
    ("accepted", ["new", "new"], "accepted"), ("accepted", ["cooking", "new"], "preparing"),
    ("preparing", ["bumped", "new"], "preparing"), ("preparing", ["bumped", "bumped"], "ready"),
    ("ready", ["bumped", "done"], "preparing"), ("preparing", ["new"], "preparing"),
    ("served", ["bumped"], "served"), ("cancelled", ["new"], "cancelled")])
def test_order_status_follows_the_kitchen(current, tickets, order):
    assert s.order_status_from_tickets(current, tickets) == order
