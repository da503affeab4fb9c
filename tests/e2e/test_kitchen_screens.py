"""Two kitchen screens stay in step, and a screen that went offline catches up when it is back."""
from __future__ import annotations

import uuid

import pytest
import requests
from playwright.sync_api import expect

from tests.e2e.conftest import open_kitchen
from tests.helpers import auth, make_item, make_staff, make_store, make_table, sandbox_code, token_of

pytestmark = [pytest.mark.e2e, pytest.mark.live]


def _screen(browser, live_server, store):
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page = open_kitchen(ctx, live_server, store.slug)
    expect(page.locator("#empty")).to_be_visible()
    return ctx, page


def _order(live_server, diner, table_token, item_id):
    body = {"table_token": table_token, "client_key": uuid.uuid4().hex,
            "items": [{"item_id": item_id, "qty": 1, "option_ids": [], "note": ""}]}
    r = requests.post(f"{live_server}/api/v1/orders", json=body, headers=auth(diner), timeout=10)
    assert r.status_code == 201, r.text
    return r.json()["order"]


def test_a_bump_on_one_screen_clears_the_other_and_an_offline_screen_catches_up(client, browser, live_server):
    store = make_store()
    table_token = token_of(make_table(store, code="K1"))
    item = make_item(store, name="回锅肉")
    make_staff(store, "cook", username="chef", password="cook-pass-1")
    code = sandbox_code(live_server)
    diner = requests.post(f"{live_server}/api/v1/diner/login", json={"code": code}, timeout=10).json()["token"]
    ctx_a, a = _screen(browser, live_server, store)
    ctx_b, b = _screen(browser, live_server, store)
    try:
        _order(live_server, diner, table_token, item.id)
        expect(a.locator(".ticket")).to_have_count(1)
        expect(b.locator(".ticket")).to_have_count(1)
        a.locator(".ticket").get_by_role("button", name="出餐").click()
        expect(b.locator(".ticket")).to_have_count(0)

        ctx_b.set_offline(True)
        expect(b.locator("#offline")).to_be_visible()
        numbers = [_order(live_server, diner, table_token, item.id)["number"] for _ in range(4)]
        expect(a.locator(".ticket")).to_have_count(4)
        a.locator(".ticket").first.get_by_role("button", name="出餐").click()
        expect(a.locator(".ticket")).to_have_count(3)
        ctx_b.set_offline(False)
        expect(b.locator("#offline")).to_be_hidden(timeout=15000)
        expect(b.locator(".ticket")).to_have_count(3)
        for n in numbers[1:]:
            expect(b.locator(".ticket", has_text=f"第 {n} 单")).to_have_count(1)
    finally:
        ctx_a.close()
        ctx_b.close()


def test_a_round_sent_on_a_dropping_network_arrives_once(client, live_server, phone):
    store = make_store()
    table = make_table(store, code="W1")
    make_item(store, name="酸梅汤", price=1000, station="bar")
    page = phone.new_page()
    page.goto(f"{live_server}/t/{token_of(table)}")
    page.locator("[data-item]", has_text="酸梅汤").get_by_role("button", name="添加酸梅汤").click()
    expect(page.locator("#cart-total")).to_have_text("¥10.00")
    page.locator("#checkout").click()
    phone.set_offline(True)
    page.locator("#submit").click()
    expect(page.locator("#send-state")).to_contain_text("重试")  # honest: it says it is retrying
    pending = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('diancan.pending'))")
    assert len(pending) == 1  # the round and its client_key are kept on the phone
    phone.set_offline(False)
    expect(page.locator("#send-state")).to_contain_text("已送达厨房", timeout=20000)
    expect(page.locator("#order-list .order")).to_have_count(1)
    page.reload()  # after a reload the phone shows the one order, and sends nothing again
    page.locator("#tab-orders").click()
    expect(page.locator("#order-list .order")).to_have_count(1)
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('diancan.pending')).length") == 0


def test_a_cook_marks_a_dish_sold_out_from_the_screen_and_phones_see_it(client, browser, live_server, phone):
    store = make_store()
    table = make_table(store, code="S1")
    item = make_item(store, name="水煮鱼", price=6800)
    make_staff(store, "cook", username="chef", password="cook-pass-1")
    diner_page = phone.new_page()
    diner_page.goto(f"{live_server}/t/{token_of(table)}")
    dish = diner_page.locator("[data-item]", has_text="水煮鱼")
    expect(dish.get_by_role("button", name="添加水煮鱼")).to_be_visible()
    code = sandbox_code(live_server)
    diner = requests.post(f"{live_server}/api/v1/diner/login", json={"code": code}, timeout=10).json()["token"]
    ctx, kitchen = _screen(browser, live_server, store)
    _order(live_server, diner, token_of(table), item.id)
    try:
        kitchen.on("dialog", lambda d: d.accept())
        kitchen.locator("#toggle-allday").click()
        row = kitchen.locator("#allday-list li", has_text="水煮鱼")
        row.get_by_role("button", name="估清").click()  # 估清: the kitchen word for it
        expect(kitchen.locator(".toast")).to_contain_text("已售罄")
        expect(dish.locator(".badge")).to_have_text("已售罄")  # the phone heard it at once
    finally:
        ctx.close()
