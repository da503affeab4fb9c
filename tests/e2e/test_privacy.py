"""A diner sees what we keep about them, downloads it, and deletes it, from the phone page."""
from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.helpers import make_item, make_store, make_table, token_of

pytestmark = [pytest.mark.e2e, pytest.mark.live]


def test_a_diner_reads_downloads_and_deletes_their_data(app, live_server, phone):
    store = make_store()
    table = make_table(store, code="P3")
    make_item(store, name="酸梅汤", price=800, station="bar")
    page = phone.new_page()
    page.goto(f"{live_server}/t/{token_of(table)}")
    page.locator("[data-item]", has_text="酸梅汤").get_by_role("button", name="添加酸梅汤").click()
    page.locator("#checkout").click()
    page.locator("#submit").click()
    expect(page.locator("#send-state")).to_contain_text("已送达厨房")
    if page.locator("#cart-sheet").is_visible():
        page.locator("#cart-sheet [data-close]").click()
    page.locator("#tab-orders").click()
    page.locator("#open-privacy").click()
    facts = page.locator("#privacy-facts")
    expect(facts).to_contain_text("订单数")
    expect(facts.locator("dd").nth(2)).to_have_text("1")
    with page.expect_download() as got:
        page.locator("#privacy-export").click()
    data = json.loads(open(got.value.path(), encoding="utf-8").read())
    assert data["orders"][0]["items"][0]["name"] == "酸梅汤"
    assert "openid" not in json.dumps(data)
    token = page.evaluate("localStorage.getItem('diancan.diner')")
    page.on("dialog", lambda d: d.accept())
    page.locator("#privacy-delete").click()
    expect(page.locator("#privacy-state")).to_contain_text("已删除")
    assert page.evaluate("localStorage.getItem('diancan.diner')") is None
    gone = page.request.get(f"{live_server}/api/v1/diner/me/data", headers={"Authorization": f"Bearer {token}"})
    assert gone.status == 401
