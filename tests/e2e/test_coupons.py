"""An owner creates a coupon in the console; a diner claims it above the menu, orders, pays with it
through the WeChat Pay sheet; the console's coupon line shows the use and what it earned."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.test_console_reports import sign_in
from tests.helpers import make_item, make_store, make_table, token_of

pytestmark = [pytest.mark.e2e, pytest.mark.live]


def test_a_coupon_from_the_console_is_claimed_and_used_by_a_diner(app, browser, live_server, phone):
    store = make_store()
    table = make_table(store, code="Q1")
    make_item(store, name="红烧肉", price=4800)
    laptop = browser.new_context(viewport={"width": 1280, "height": 860}, locale="zh-CN")
    console = laptop.new_page()
    errors: list[str] = []
    console.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(console, live_server, store.slug)
    console.get_by_role("tab", name="优惠券").click()
    expect(console.locator("#view")).to_contain_text("还没有优惠券")
    console.get_by_role("button", name="新建优惠券").click()
    dialog = console.locator("#dialog")
    dialog.locator("[name=name]").fill("满40减10")
    dialog.locator("[name=value]").fill("10")
    dialog.locator("[name=min_spend]").fill("40")
    dialog.locator("button[type=submit]").click()
    expect(dialog).to_be_hidden()
    line = console.locator("[data-coupon]", has_text="满40减10")
    expect(line).to_contain_text("进行中")

    diner = phone.new_page()
    diner.on("pageerror", lambda e: errors.append(str(e)))
    diner.goto(f"{live_server}/t/{token_of(table)}")
    offer = diner.locator("#coupons [data-coupon]", has_text="满40减10")
    offer.get_by_role("button", name="领取").click()
    expect(offer).to_contain_text("已领取")
    diner.locator("[data-item]", has_text="红烧肉").get_by_role("button", name="添加红烧肉").click()
    diner.locator("#checkout").click()
    diner.locator("#submit").click()
    expect(diner.locator("#check-due")).to_have_text("¥48.00")
    diner.locator("#coupon-select").select_option(label="满40减10 · 减 ¥10.00 · 满 ¥40.00 可用")
    diner.locator("#pay-check").click()
    expect(diner.locator("#wx-amount")).to_have_text("¥38.00")
    diner.locator("#wx-confirm").click()
    expect(diner.locator("#wx-state")).to_have_text("支付成功，谢谢！")
    expect(diner.locator("#check-due")).to_have_text("¥0.00")
    expect(diner.locator("#check-coupon")).to_have_text("-¥10.00")

    console.reload()
    line = console.locator("[data-coupon]", has_text="满40减10")
    expect(line.locator("td[data-label=已使用]")).to_have_text("1")
    expect(line.locator("td[data-label=优惠金额]")).to_have_text("¥10.00")
    expect(line.locator("td[data-label='带动净销售额（近30天）']")).to_have_text("¥38.00")
    assert errors == []
    laptop.close()
