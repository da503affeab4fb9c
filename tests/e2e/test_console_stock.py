"""The console's ingredients view on a phone: a new ingredient, a dish's recipe, the low-stock list
with what to reorder, a sale taking the last eggs and selling the dish out, a delivery bringing it
back, a count with its variance; and the cashier's low-stock badge."""
from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.a11y import serious_violations
from tests.e2e.conftest import PHONE
from tests.helpers import auth, make_item, make_staff, make_store, staff_token

pytestmark = [pytest.mark.e2e, pytest.mark.live]


def test_owner_keeps_ingredient_stock_on_a_phone(app, client, browser, live_server):
    store = make_store()
    dish = make_item(store, name="番茄炒蛋", price=2200).id
    ctx = browser.new_context(**PHONE)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server}/console#stock")
    page.fill("#login-store", store.slug)
    page.fill("#login-username", "owner")
    page.fill("#login-password", "owner-pass")
    page.locator("#login-form button").click()
    expect(page.locator("#view h2")).to_contain_text("原料库存")
    expect(page.locator("#view")).to_contain_text("还没有原料")

    page.get_by_role("button", name="新建原料").click()
    dialog = page.locator("#dialog")
    dialog.locator("[name=name]").fill("鸡蛋")
    dialog.locator("[name=unit]").select_option("pcs")
    dialog.locator("[name=on_hand]").fill("3")
    dialog.locator("[name=low_at]").fill("6")
    dialog.locator("[name=reorder_qty]").fill("30")
    dialog.locator("button[type=submit]").click()
    expect(dialog).to_be_hidden()
    low = page.locator("#low-stock [data-low=鸡蛋]")
    expect(low).to_contain_text("3 个")
    expect(low).to_contain_text("30 个")  # what to reorder

    page.goto(f"{live_server}/console#menu/item/{dish}")
    page.locator("#edit-recipe").click()
    expect(page.locator("#recipe h3")).to_contain_text("番茄炒蛋")
    page.get_by_role("button", name="添加原料").click()
    page.locator("#recipe [name=qty]").fill("2")
    page.locator("#recipe").get_by_role("button", name="保存").click()
    expect(page.locator("#recipe h3")).to_contain_text("还够做 1 份")
    # colour contrast of the console's shared orange .btn.primary is being fixed console-wide (wall, #18)
    assert serious_violations(page, include="#view", disable=("color-contrast",)) == []

    owner = staff_token(client, store)
    r = client.post("/api/v1/pos/orders", headers=auth(owner), json={
        "client_key": uuid.uuid4().hex, "takeaway": True, "items": [{"item_id": dish, "qty": 1}]})
    assert r.status_code == 201
    page.goto(f"{live_server}/console#stock")
    expect(low).to_contain_text("番茄炒蛋")  # sold out because of it: one egg left, two a portion
    assert serious_violations(page, include="#view", disable=("color-contrast",)) == []

    cashier_page = ctx.new_page()
    make_staff(store, "cashier", username="cash", password="cash-pass-1")
    cashier_page.goto(f"{live_server}/pos")
    cashier_page.fill("#store", store.slug)
    cashier_page.fill("#username", "cash")
    cashier_page.fill("#password", "cash-pass-1")
    cashier_page.locator("#login-form button").click()
    expect(cashier_page.locator("#stock-badge")).to_have_text("低库存 1")

    low.get_by_role("button", name="到货").click()
    expect(dialog.locator("[name=qty]")).to_have_value("30")
    dialog.locator("button[type=submit]").click()
    expect(dialog).to_be_hidden()
    expect(page.locator("#low-stock")).to_contain_text("没有低库存原料")
    row = page.locator("#ingredients [data-ingredient=鸡蛋]")
    expect(row).to_contain_text("31 个")
    row.get_by_role("button", name="盘点").click()
    expect(dialog).to_contain_text("账面：31 个")
    dialog.locator("[name=qty]").fill("29")
    dialog.locator("[name=note]").fill("碎了两个")
    dialog.locator("button[type=submit]").click()
    expect(page.locator(".toast")).to_contain_text("差异：-2 个")
    expect(row).to_contain_text("29 个")
    menu = client.get(f"/api/v1/stores/{store.id}/menu").get_json()
    assert [i["sold_out"] for c in menu["categories"] for i in c["items"]] == [False]
    assert errors == []
    ctx.close()
