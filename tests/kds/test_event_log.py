"""The kitchen event log: gapless per-store seq, and each event knows its station's previous seq."""
from __future__ import annotations

from sqlalchemy import select

from models import KitchenEvent, db
from tests.helpers import auth, diner_token, make_item, make_store, make_table, order_body


def test_events_number_gaplessly_and_chain_per_station(client, live_server):
    store = make_store()
    table = make_table(store)
    hot, bar = make_item(store, station="hot"), make_item(store, station="bar", name="柠檬茶", price=1200)
    diner = diner_token(client, live_server)
    for item in (hot, bar, hot, hot, bar):
        assert client.post("/api/v1/orders", json=order_body(table, item), headers=auth(diner)).status_code == 201
    events = db.session.execute(
        select(KitchenEvent).where(KitchenEvent.store_id == store.id).order_by(KitchenEvent.seq)
    ).scalars().all()
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    assert [(e.station, e.prev_seq) for e in events] == [("hot", 0), ("bar", 0), ("hot", 1), ("hot", 3), ("bar", 2)]
