"""Weak networks: answers lost on the way back, clients retrying with the same client_key."""
from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
import requests
from sqlalchemy import func, select

from models import KitchenEvent, Order, Ticket, db
from tests.chaos import AnswerDroppingProxy
from tests.helpers import auth, diner_token, make_item, make_store, make_table, token_of

SUBMISSIONS = 1000


def _submit_until_answered(base: str, token: str, body: dict) -> tuple[int, int]:
    """Retry with the same client_key until an answer arrives, like the H5 page does."""
    for attempt in range(1, 50):
        try:
            r = requests.post(f"{base}/api/v1/orders", json=body, headers=auth(token) | {"Connection": "close"},
                              timeout=30)
        except requests.ConnectionError:
            continue
        assert r.status_code in (200, 201), r.text
        return r.json()["order"]["id"], attempt
    raise AssertionError("never answered")


@pytest.mark.live
def test_a_thousand_orders_with_30_percent_of_answers_lost_are_neither_lost_nor_doubled(client, live_server):
    store = make_store()
    tables = [make_table(store, code=f"T{i}") for i in range(10)]
    dish = make_item(store, price=1800)
    diners = [diner_token(client, live_server) for _ in range(10)]
    bodies = [{"table_token": token_of(tables[i % 10]), "client_key": uuid.uuid4().hex,
               "items": [{"item_id": dish.id, "qty": 1 + i % 3, "option_ids": [], "note": ""}]}
              for i in range(SUBMISSIONS)]
    proxy = AnswerDroppingProxy(urlsplit(live_server).port, drop_rate=0.3)
    with proxy.running() as base, ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda i: _submit_until_answered(base, diners[i % 10], bodies[i]), range(SUBMISSIONS)))
    assert proxy.dropped > SUBMISSIONS * 0.2  # the network really was that bad
    assert sum(attempts > 1 for _, attempts in answers) > SUBMISSIONS * 0.2
    order_ids = [order_id for order_id, _ in answers]
    assert len(set(order_ids)) == SUBMISSIONS  # every submission got its own order, once
    count = db.session.execute(select(func.count()).select_from(Order).where(Order.store_id == store.id)).scalar()
    assert count == SUBMISSIONS
    expected_total = sum(1800 * (1 + i % 3) for i in range(SUBMISSIONS))
    total = db.session.execute(select(func.sum(Order.total)).where(Order.store_id == store.id)).scalar()
    assert total == expected_total
    tickets = db.session.execute(select(func.count()).select_from(Ticket).where(Ticket.store_id == store.id)).scalar()
    events = db.session.execute(select(KitchenEvent.seq).where(KitchenEvent.store_id == store.id)
                                .order_by(KitchenEvent.seq)).scalars().all()
    assert tickets == SUBMISSIONS and events == list(range(1, SUBMISSIONS + 1))
