"""Floor staff on /pos: a diner's call arrives live and once; cash settles a check; the table is cleared
(after saying yes to clearing with food not yet served)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.helpers import make_item, make_staff, make_store, make_table, token_of

pytestmark = [pytest.mark.e2e, pytest.mark.live]


def test_calls_cash_and_clearing_the_table(client, live_server, browser, phone):
    store = make_store()
    table = make_table(store, code="F2")
    make_item(store, name="酸辣粉", price=1600)
    make_staff(store, "cashier", username="cash", password="cash-pass-1")
    staff_ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    try:
        pos = staff_ctx.new_page()
        pos.on("dialog", lambda d: d.accept())
        pos.goto(f"{live_server}/pos")
        pos.fill("#store", store.slug)
        pos.fill("#username", "cash")
        pos.fill("#password", "cash-pass-1")
        pos.get_by_role("button", name="登录").click()
        expect(pos.locator("#no-calls")).to_be_visible()
        expect(pos.locator(".table", has_text="F2")).to_contain_text("空闲")

        diner = phone.new_page()
        diner.goto(f"{live_server}/t/{token_of(table)}")
        diner.locator("[data-item]", has_text="酸辣粉").get_by_role("button", name="添加酸辣粉").click()
        diner.locator("#checkout").click()
        diner.locator("#submit").click()
        expect(diner.locator("#order-list .order")).to_have_count(1)
        for _ in range(3):  # the call sheet's plain call: pressed again while open, still one call
            diner.locator("#call-waiter").click()
            diner.locator("#call-sheet").get_by_role("button", name="呼叫服务员").click()
            expect(diner.locator("#call-sheet")).to_be_hidden()
        expect(pos.locator("#calls li")).to_have_count(1)  # pressed three times, one call
        expect(pos.locator("#calls li")).to_contain_text("F2")
        pos.locator("#calls li").get_by_role("button", name="已处理").click()
        expect(pos.locator("#no-calls")).to_be_visible()

        pos.reload()
        card = pos.locator(".table", has_text="F2")
        expect(card).to_contain_text("¥16.00")
        card.click()
        pos.locator(".check-actions").get_by_role("button", name="收现金").click()
        pos.locator("dialog[open] button[type=submit]").click()
        expect(pos.locator("#check-due")).to_have_text("¥0.00")
        pos.get_by_role("button", name="清台").click()
        pos.locator("dialog[open] button[type=submit]").click()  # the noodles are not served yet: asked first
        expect(pos.locator(".table", has_text="F2")).to_contain_text("空闲")
    finally:
        staff_ctx.close()


def test_a_wechat_payment_in_flight_holds_the_cash_button_until_the_cashier_stops_it(client, live_server, browser):
    import uuid

    import requests

    from tests.helpers import auth, diner_token, order_body

    store = make_store()
    table = make_table(store, code="F3")
    item = make_item(store, name="酸辣粉", price=1600)
    make_staff(store, "cashier", username="cash", password="cash-pass-1")
    diner = diner_token(client, live_server)
    order = requests.post(f"{live_server}/api/v1/orders", json=order_body(table, item), headers=auth(diner),
                          timeout=10).json()["order"]
    started = requests.post(f"{live_server}/api/v1/table-sessions/{order['table_session_id']}/payments",
                            json={"client_key": uuid.uuid4().hex}, headers=auth(diner), timeout=10)
    assert started.status_code == 201
    staff_ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    try:
        pos = staff_ctx.new_page()
        pos.on("dialog", lambda d: d.accept())
        pos.goto(f"{live_server}/pos")
        pos.fill("#store", store.slug)
        pos.fill("#username", "cash")
        pos.fill("#password", "cash-pass-1")
        pos.get_by_role("button", name="登录").click()
        card = pos.locator(".table", has_text="F3")
        expect(card).to_contain_text("微信支付中 ¥16.00")
        card.click()
        expect(pos.locator(".check-paying")).to_contain_text("微信支付中 ¥16.00")
        actions = pos.locator(".check-actions")
        expect(actions.get_by_role("button", name="收现金")).to_have_count(0)  # the diner's sheet holds what is due
        pos.locator(".check-paying").get_by_role("button", name="停止微信支付").click()
        pos.locator("dialog[open] button[type=submit]").click()
        actions.get_by_role("button", name="收现金").click()
        pos.locator("dialog[open] button[type=submit]").click()
        expect(pos.locator("#check-due")).to_have_text("¥0.00")
        confirmed = requests.post(f"{live_server}/wechat-sandbox/pay/confirm",
                                  json={"package": started.json()["request_payment"]["package"]}, timeout=10)
        assert confirmed.status_code == 409  # the sheet left on the phone can no longer take money
    finally:
        staff_ctx.close()
