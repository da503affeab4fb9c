"""A diner's cart suggests what this store's diners often order with what is in it (常一起点)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from models import TableSession, db
from tests.helpers import make_item, make_store, make_table, token_of
from tests.reports.test_often_with import _round

pytestmark = [pytest.mark.e2e, pytest.mark.live]


def test_the_cart_suggests_dishes_often_ordered_with_it(app, live_server, phone):
    store = make_store()
    table = make_table(store, code="W1")
    fish, rice = make_item(store, name="水煮鱼", price=6800), make_item(store, name="米饭", price=300)
    check = TableSession(store_id=store.id, table_id=table.id, status="closed")
    db.session.add(check)
    db.session.flush()
    for _ in range(2):
        _round(store, table, check, [(fish.id, 1), (rice.id, 2)], datetime.now(UTC) - timedelta(days=1))
    db.session.commit()
    db.session.remove()  # on SQLite an open transaction would hold the live server's write lock
    page = phone.new_page()
    page.goto(f"{live_server}/t/{token_of(table)}")
    page.locator("[data-item]", has_text="水煮鱼").get_by_role("button", name="添加水煮鱼").click()
    page.locator("#checkout").click()
    expect(page.locator("#cart-together")).to_have_text("常一起点：米饭")
