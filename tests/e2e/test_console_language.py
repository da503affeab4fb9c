"""The console speaks Chinese, server errors included; the menu list marks a dish 估清 in one tap and
finds a dish by name; the audit log reads as people write (names, ¥, only what changed, the cook's
估清, new tables, table clears); no serious accessibility violation at laptop or phone size."""
from __future__ import annotations

import pytest
import requests
from playwright.sync_api import expect

from services.stores import create_store
from tests.e2e.a11y import assert_no_serious_violations
from tests.e2e.test_console import dialog_save
from tests.helpers import auth, make_item, make_staff, make_table, unique

pytestmark = [pytest.mark.e2e, pytest.mark.live]

LAPTOP = {"viewport": {"width": 1280, "height": 860}, "locale": "zh-CN"}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True,
         "locale": "zh-CN"}


def _sign_in(browser, live_server, slug: str, size: dict):
    ctx = browser.new_context(**size)
    page = ctx.new_page()
    page.goto(f"{live_server}/console")
    page.fill("#login-store", slug)
    page.fill("#login-username", "boss")
    page.fill("#login-password", "boss-pass-123")
    page.locator("#login-form button").click()
    expect(page.locator("#store-name")).to_be_visible()
    return ctx, page


def _store(app):
    slug = unique("lang")
    store = create_store(slug, "语言小馆", "boss", "boss-pass-123")
    make_table(store, code="A1")
    return store, slug


def test_server_errors_are_chinese_in_the_console(app, browser, live_server):
    store, slug = _store(app)
    ctx, page = _sign_in(browser, live_server, slug, LAPTOP)
    try:
        page.locator("#nav a[data-view=tables]").click()
        page.get_by_role("button", name="新建桌台").click()
        dialog = page.locator("#dialog")
        dialog.locator("[name=code]").fill("A1")
        dialog.locator("button[type=submit]").click()
        expect(dialog).to_contain_text("已有相同桌号的桌台")
        expect(dialog).not_to_contain_text("exists")
        dialog.locator("[name=code]").fill("A2")
        dialog.locator("[name=seats]").fill("500")
        dialog.locator("button[type=submit]").click()
        expect(dialog.locator(".field-error[data-for=seats]")).to_contain_text("1 到 99")
        expect(dialog).not_to_contain_text("Must be")
        ctx.set_offline(True)
        dialog.locator("[name=seats]").fill("4")
        dialog.locator("button[type=submit]").click()
        expect(page.locator("body")).to_contain_text("网络")
        expect(page.locator("body")).not_to_contain_text("Failed to fetch")
        ctx.set_offline(False)
    finally:
        ctx.close()


def test_one_tap_sold_out_search_and_an_audit_log_people_can_read(app, browser, live_server):
    store, slug = _store(app)
    pork = make_item(store, name="回锅肉", price=3800, groups=[("辣度", 1, 1, [("微辣", 0), ("特辣", 0)])])
    make_item(store, name="拍黄瓜", price=1200, station="cold")
    make_staff(store, "cook", username="chef", password="cook-pass-1")
    cook = requests.post(f"{live_server}/api/v1/staff/login", timeout=10,
                         json={"store": slug, "username": "chef", "password": "cook-pass-1"}).json()["token"]
    ctx, page = _sign_in(browser, live_server, slug, LAPTOP)
    try:
        page.locator("#nav a[data-view=menu]").click()
        page.locator("#menu-search").fill("黄瓜")
        expect(page.locator("tr[data-item=回锅肉]")).to_be_hidden()
        expect(page.locator("tr[data-item=拍黄瓜]")).to_be_visible()
        page.locator("#menu-search").fill("")
        row = page.locator("tr[data-item=回锅肉]")
        row.get_by_role("button", name="估清").click()  # one tap
        expect(row.locator(".tag.err")).to_have_text("已售罄")
        row.get_by_role("button", name="恢复供应").click()
        expect(row.locator(".tag.err")).to_have_count(0)
        row.get_by_role("link", name="编辑").click()
        expect(page.locator("#view h3", has_text="规格")).to_have_count(1)
        expect(page.locator("#view h3", has_text="选规格")).to_have_count(0)
        # The price changes, the cook marks it sold out from the kitchen, a table is added.
        page.locator("#item-form [name=price]").fill("39.00")
        page.locator("#item-form button[type=submit]").click()
        expect(page.locator("#toast")).to_be_visible()
        r = requests.post(f"{live_server}/api/v1/kds/items/{pork.id}/sold-out", json={"sold_out": True},
                          headers=auth(cook), timeout=10)
        assert r.status_code == 200, r.text
        page.locator("#nav a[data-view=tables]").click()
        page.get_by_role("button", name="新建桌台").click()
        dialog_save(page, {"code": "B2", "seats": "2"})
        page.locator("#nav a[data-view=audit]").click()
        log = page.locator("#view table.data tbody")
        price = log.locator("tr[data-action='item.price']")
        expect(price).to_contain_text("回锅肉")
        expect(price).to_contain_text("¥38.00")
        expect(price).to_contain_text("¥39.00")
        expect(price).not_to_contain_text("3800")
        cook_row = log.locator("tr[data-action='item.sold_out']").first
        expect(cook_row).to_contain_text("回锅肉")
        expect(cook_row).to_contain_text("cook")  # the cook who did it, by name
        expect(cook_row).to_contain_text("否 → 是")
        expect(log.locator("tr[data-action='table.create']")).to_contain_text("B2 桌")
        for row in log.locator("tr").all():
            assert "item " not in row.inner_text()
        tag = log.locator(".tag").first
        box = tag.bounding_box()
        assert box and box["height"] < 30  # one line, not one character per line
    finally:
        ctx.close()


@pytest.mark.parametrize("size", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_console_pages_have_no_serious_accessibility_violation(app, browser, live_server, size):
    store, slug = _store(app)
    make_item(store, name="回锅肉", price=3800, sold_out=True, stock=3)
    ctx = browser.new_context(**size)
    try:
        login = ctx.new_page()
        login.goto(f"{live_server}/console")
        expect(login.locator("#login")).to_be_visible()
        assert_no_serious_violations(login)
        login.close()
        ctx.close()
        ctx, page = _sign_in(browser, live_server, slug, size)
        for view in ("tables", "menu", "staff", "settings", "audit", "printers", "screens"):
            page.goto(f"{live_server}/console#{view}")
            page.wait_for_timeout(600)
            expect(page.locator("#view")).not_to_be_empty()
            assert_no_serious_violations(page)
    finally:
        ctx.close()
