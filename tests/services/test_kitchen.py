"""The kitchen's use cases: one ticket per station, gapless per-store sequence, bump and recall."""
from __future__ import annotations

from domain.pricing import LineRequest
from services import kitchen, orders
from services.orders import Orderer
from tests.helpers import make_item, make_staff, make_store, make_table, token_of, unique


def _order(store, *items):  # type: ignore[no-untyped-def]
    member = make_staff(store, "waiter")
    who = Orderer(staff_id=member.id, staff_store_id=store.id)
    order, _ = orders.place_order(who, token_of(make_table(store, code=unique("T")[:8])), unique("k"),
                                  [LineRequest(i.id, 1, (), "") for i in items])
    return order


def test_a_round_makes_one_ticket_per_station_with_consecutive_sequence_numbers(app, emitted) -> None:  # type: ignore[no-untyped-def]
    store = make_store()
    hot, cold = make_item(store, station="hot"), make_item(store, name="拍黄瓜", station="cold", price=1200)
    _order(store, hot, cold)
    _order(store, hot)
    seq, tickets = kitchen.open_tickets(store.id)
    assert sorted(t["station"] for t in tickets) == ["cold", "hot", "hot"]
    seqs = [e.payload["seq"] for e in emitted if e.audience == "kds"]
    assert seqs == list(range(1, len(seqs) + 1)) and seq == seqs[-1]
    _, cold_only = kitchen.open_tickets(store.id, ["cold"])
    assert [t["items"][0]["name"] for t in cold_only] == ["拍黄瓜"]


def test_a_bumped_ticket_leaves_the_open_list_and_a_recall_brings_it_back(app, emitted) -> None:  # type: ignore[no-untyped-def]
    store = make_store()
    order = _order(store, make_item(store))
    _, (ticket,) = kitchen.open_tickets(store.id)
    assert ticket["order_id"] == order.id
    assert kitchen.bump_ticket(store.id, ticket["id"]).status == "bumped"
    assert kitchen.open_tickets(store.id)[1] == []
    assert kitchen.recall_ticket(store.id, ticket["id"]).status != "bumped"
    assert [t["id"] for t in kitchen.open_tickets(store.id)[1]] == [ticket["id"]]


def test_a_screen_resuming_gets_exactly_the_events_it_missed(app, emitted) -> None:  # type: ignore[no-untyped-def]
    store = make_store()
    _order(store, make_item(store))
    _order(store, make_item(store))
    events = kitchen.events_after(store.id, 1, None, 100)
    assert events is not None and [e.seq for e in events] == [2]



def test_a_recall_restores_each_item_as_it_was_before_the_bump(app, emitted) -> None:  # type: ignore[no-untyped-def]
    """A bump marks everything done; taking it back must not leave every dish struck through."""
    from services.kitchen_recall import recently_bumped

    store = make_store()
    _order(store, make_item(store, name="回锅肉"), make_item(store, name="水煮鱼"), make_item(store, name="麻婆豆腐"))
    _, (ticket,) = kitchen.open_tickets(store.id)
    first, second, _third = (i["id"] for i in ticket["items"])
    kitchen.set_item_status(store.id, first, "cooking")
    kitchen.set_item_status(store.id, second, "cooking")
    kitchen.set_item_status(store.id, second, "done")
    kitchen.bump_ticket(store.id, ticket["id"])
    assert [t["id"] for t in recently_bumped(store.id)] == [ticket["id"]]
    assert recently_bumped(store.id, ["cold"]) == []
    back = kitchen.undo_last_bump(store.id)
    assert back.status == "cooking"
    _, (again,) = kitchen.open_tickets(store.id)
    assert [i["status"] for i in again["items"]] == ["cooking", "done", "new"]
    assert recently_bumped(store.id) == []
