"""The order path written closer to the database (issue #14): what it writes is what the ORM reads
back, the pricing menu follows every console change, a forgotten diner is refused inside the
round's own transaction, and a store's rounds enter their transaction a few at a time."""
from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import select, update

from domain.errors import Unauthorized, ValidationFailed
from domain.pricing import LineRequest
from models import Diner, KitchenEvent, Order, Store, Ticket, db
from services import catalog, diners, order_gate, orders
from services.orders import Orderer
from services.views import order_view, ticket_view
from tests.helpers import make_item, make_staff, make_store, make_table, token_of, unique


def _waiter(store):  # type: ignore[no-untyped-def]
    return Orderer(staff_id=make_staff(store, "waiter").id, staff_store_id=store.id)


def test_what_the_round_wrote_is_what_the_orm_reads_back(app, emitted) -> None:  # type: ignore[no-untyped-def]
    store = make_store()
    db.session.execute(update(Store).where(Store.id == store.id).values(service_charge_bp=1000))
    db.session.commit()
    table = make_table(store, code="C3")
    hot = make_item(store, name="宫保鸡丁", price=3800, groups=[("辣度", 1, 1, [("微辣", 0), ("加辣", 200)])])
    drink = make_item(store, name="柠檬茶", price=1200, station="bar", stock=9)
    extra = next(o for g in hot.option_groups for o in g.options if o.name == "加辣")
    order, _ = orders.place_order(_waiter(store), token_of(table), unique("k"),
                                  [LineRequest(hot.id, 2, (extra.id,), "少盐"), LineRequest(drink.id, 1, (), "")],
                                  "生日")
    db.session.remove()
    loaded = db.session.get(Order, order.id)
    assert loaded is not None and order_view(loaded) == order_view(order)
    assert (loaded.total, loaded.service_charge) == (9200 + 920, 920)
    tickets = db.session.execute(select(Ticket).where(Ticket.order_id == order.id).order_by(Ticket.id)).scalars().all()
    assert [t.station for t in tickets] == ["hot", "bar"]
    events = db.session.execute(select(KitchenEvent).where(KitchenEvent.ticket_id.in_([t.id for t in tickets]))
                                .order_by(KitchenEvent.seq)).scalars().all()
    assert [e.payload for e in events] == [ticket_view(t) for t in tickets]  # the log holds what screens got
    sent = [e.payload["ticket"] for e in emitted if e.name == "ticket.created"]
    assert sent == [ticket_view(t) for t in tickets]


def test_the_pricing_menu_follows_every_console_change(app, emitted) -> None:  # type: ignore[no-untyped-def]
    store = make_store()
    table = make_table(store)
    item = make_item(store, price=1500)
    who = _waiter(store)
    first, _ = orders.place_order(who, token_of(table), unique("k"), [LineRequest(item.id, 1, (), "")])
    catalog.save_item(store.id, {"price": 1800, "name": "新名字"}, item.id)
    second, _ = orders.place_order(who, token_of(table), unique("k"), [LineRequest(item.id, 1, (), "")])
    assert (first.total, second.total) == (1500, 1800)
    assert second.items[0].name == "新名字"
    catalog.save_item(store.id, {"active": False}, item.id)
    with pytest.raises(ValidationFailed):  # taken off the menu: no longer priced
        orders.place_order(who, token_of(table), unique("k"), [LineRequest(item.id, 1, (), "")])


def test_a_diner_forgotten_since_the_token_was_issued_places_nothing(app, emitted) -> None:  # type: ignore[no-untyped-def]
    store = make_store()
    table = make_table(store)
    item = make_item(store)
    diner = Diner(openid_hash=unique("h"), openid_enc=b"x")
    db.session.add(diner)
    db.session.commit()
    diner_id = diner.id
    diners.forget(diner_id)
    emitted.clear()  # the forgetting's own "keys revoked"
    with pytest.raises(Unauthorized):
        orders.place_order(Orderer(diner_id=diner_id), token_of(table), unique("k"), [LineRequest(item.id, 1, (), "")])
    assert db.session.execute(select(Order).where(Order.store_id == store.id)).first() is None
    assert not emitted


def test_a_stores_rounds_enter_their_transaction_a_few_at_a_time(app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    busy = make_store(), make_store()
    tables = [make_table(busy[0], code="A1"), make_table(busy[0], code="A2"), make_table(busy[1], code="B1")]
    for t in tables:
        order_gate.learn(t.id, t.store_id)
    tokens = [token_of(t) for t in tables]
    app.config["ORDER_SLOTS_PER_STORE"] = 1
    inside: dict[int, int] = {}
    most: dict[int, int] = {}
    both = [0]  # the most rounds inside at once, all stores together
    guard = threading.Lock()

    def place(who, token, key, lines, remark):  # type: ignore[no-untyped-def]
        store_id = tables[tokens.index(token)].store_id
        with guard:
            inside[store_id] = inside.get(store_id, 0) + 1
            most[store_id] = max(most.get(store_id, 0), inside[store_id])
            both[0] = max(both[0], sum(inside.values()))
        time.sleep(0.05)
        with guard:
            inside[store_id] -= 1
        return None, True

    monkeypatch.setattr(orders, "_place", place)

    def run(token: str) -> None:
        with app.app_context():
            orders.place_order(Orderer(), token, unique("k"), [])

    threads = [threading.Thread(target=run, args=(tok,)) for tok in tokens * 3]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert most[busy[0].id] == 1  # two tables of one store: one round at a time
    assert most[busy[1].id] == 1
    assert both[0] == 2  # ...while the other store's rounds went on beside them
