"""Placing a round: priced by the server, idempotent on its key, stock never below zero, events after commit."""
from __future__ import annotations

import pytest

from domain.errors import SoldOut
from domain.pricing import LineRequest
from models import Item, Order, db
from services import orders
from services.orders import Orderer
from tests.helpers import make_item, make_staff, make_store, make_table, token_of, unique


def _waiter(store):  # type: ignore[no-untyped-def]
    member = make_staff(store, "waiter")
    return Orderer(staff_id=member.id, staff_store_id=store.id)


def test_a_round_is_priced_from_the_menu_with_its_options(app, emitted) -> None:  # type: ignore[no-untyped-def]
    store = make_store()
    table = make_table(store)
    item = make_item(store, price=3800, groups=[("辣度", 1, 1, [("微辣", 0), ("加辣", 200)])])
    hot = next(o for g in item.option_groups for o in g.options if o.name == "加辣")
    order, created = orders.place_order(_waiter(store), token_of(table), unique("k"),
                                        [LineRequest(item.id, 2, (hot.id,), "少盐")], "生日")
    assert created and order.total == 2 * (3800 + 200) and order.remark == "生日"
    assert [(i.qty, i.unit_price, i.note) for i in order.items] == [(2, 4000, "少盐")]
    kinds = [(e.audience, e.name) for e in emitted]
    assert ("kds", "ticket.created") in kinds and ("table", "order.updated") in kinds


def test_the_same_client_key_returns_the_first_order_and_places_nothing_more(app, emitted) -> None:  # type: ignore[no-untyped-def]
    store = make_store()
    table = make_table(store)
    item = make_item(store, stock=5)
    who, key = _waiter(store), unique("k")
    first, created = orders.place_order(who, token_of(table), key, [LineRequest(item.id, 2, (), "")])
    events = len(emitted)
    again, created_again = orders.place_order(who, token_of(table), key, [LineRequest(item.id, 2, (), "")])
    assert created and not created_again and again.id == first.id
    assert len(emitted) == events  # a replay tells nobody anything new
    assert db.session.query(Order).filter_by(store_id=store.id).count() == 1
    assert db.session.get(Item, item.id).stock == 3  # taken once


def test_a_round_beyond_the_stock_is_refused_and_takes_nothing(app, emitted) -> None:  # type: ignore[no-untyped-def]
    store = make_store()
    table = make_table(store)
    item = make_item(store, stock=1)
    with pytest.raises(SoldOut):
        orders.place_order(_waiter(store), token_of(table), unique("k"), [LineRequest(item.id, 2, (), "")])
    assert emitted == []
    assert db.session.get(Item, item.id).stock == 1
    assert db.session.query(Order).filter_by(store_id=store.id).count() == 0
