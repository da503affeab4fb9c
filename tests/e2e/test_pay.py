"""A diner pays the table's check in the H5 page through the sandbox's WeChat Pay sheet."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from models import TableSession, db
from tests.helpers import make_item, make_store, make_table, token_of

pytestmark = [pytest.mark.e2e, pytest.mark.live]


def test_paying_the_check_in_the_sheet_shows_it_paid(client, live_server, phone):
    store = make_store()
    table = make_table(store, code="P1")
    make_item(store, name="红烧肉", price=4800)
    page = phone.new_page()
    page.goto(f"{live_server}/t/{token_of(table)}")
    page.locator("[data-item]", has_text="红烧肉").get_by_role("button", name="添加红烧肉").click()
    page.locator("#checkout").click()
    page.locator("#submit").click()
    expect(page.locator("#order-list .order")).to_have_count(1)
    expect(page.locator("#check-due")).to_have_text("¥48.00")
    page.locator("#pay-check").click()
    expect(page.locator("#pay-sheet")).to_be_visible()
    expect(page.locator("#wx-amount")).to_have_text("¥48.00")
    page.locator("#wx-confirm").click()
    expect(page.locator("#wx-state")).to_have_text("支付成功，谢谢！")
    expect(page.locator("#check-due")).to_have_text("¥0.00")
    expect(page.locator("#check-paid")).to_have_text("¥48.00")
    db.session.remove()
    session = db.session.query(TableSession).filter_by(table_id=table.id).one()
    assert (session.paid, session.due) == (4800, 0)
    db.session.commit()
