"""A diner orders on the phone page; the ticket appears on the kitchen display; bumping removes it."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import open_kitchen
from tests.helpers import make_item, make_staff, make_store, make_table, token_of

pytestmark = [pytest.mark.e2e, pytest.mark.live]


def test_a_phone_order_reaches_the_kitchen_and_a_bump_clears_it(client, live_server, phone, wall_screen):
    store = make_store()
    table = make_table(store, code="B7")
    make_item(store, name="宫保鸡丁", price=3800, groups=[("辣度", 1, 1, [("微辣", 0), ("特辣", 0)])])
    make_item(store, name="柠檬茶", price=1200, station="bar", category="饮品")
    make_staff(store, "cook", username="chef", password="cook-pass-1")
    kitchen = open_kitchen(wall_screen, live_server, store.slug)
    expect(kitchen.locator("#empty")).to_be_visible()

    diner = phone.new_page()
    diner.goto(f"{live_server}/t/{token_of(table)}")
    expect(diner.locator("#table-code")).to_have_text("B7 桌")
    dish = diner.locator("[data-item]", has_text="宫保鸡丁")
    dish.get_by_role("button", name="添加宫保鸡丁").click()
    expect(diner.locator("#option-sheet")).to_be_visible()
    expect(diner.locator("#opt-add")).to_be_disabled()  # spice level is required
    diner.get_by_role("button", name="特辣").click()
    diner.fill("#opt-note", "不要花生")
    diner.locator("#opt-add").click()
    diner.locator("[data-item]", has_text="柠檬茶").get_by_role("button", name="添加柠檬茶").click()
    expect(diner.locator("#cart-total")).to_have_text("¥50.00")
    diner.locator("#checkout").click()
    expect(diner.locator("#cart-lines .line")).to_have_count(2)
    diner.locator("#submit").click()
    expect(diner.locator("#send-state")).to_contain_text("已送达厨房")
    expect(diner.locator("#order-list .order")).to_have_count(1)
    expect(diner.locator("#order-list .status")).to_have_text("已接单")

    tickets = kitchen.locator(".ticket")
    expect(tickets).to_have_count(1)  # one card per order on the all-stations wall, its dishes by station
    card = tickets.first
    expect(card.locator(".station-group h3")).to_have_text(["热菜", "饮品"])
    expect(card).to_contain_text("B7 桌")
    expect(card).to_contain_text("特辣")
    expect(card.locator(".note")).to_contain_text("不要花生")
    card.get_by_role("button", name="出餐").click()
    expect(tickets).to_have_count(0)
    expect(diner.locator("#order-list .status")).to_have_text("已出餐")


def test_an_unknown_table_code_shows_a_clear_error(live_server, phone):
    page = phone.new_page()
    page.goto(f"{live_server}/t/1.1.not-a-real-code")
    expect(page.locator("#error")).to_be_visible()
    expect(page.locator("#error-text")).to_contain_text("桌码已失效")
