"""A new owner sets the store up in the console: an area and a table, a category and a dish with a
photo, a waiter; prints the QR sheet; a phone scanning the printed code sees the dish, sees an edit to it
without reloading, and orders it at the new price."""
from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from services.stores import create_store
from tests.helpers import unique

pytestmark = [pytest.mark.e2e, pytest.mark.live]


def photo_file(tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "rice.jpg"
    Image.new("RGB", (900, 600), (240, 200, 80)).save(path, format="JPEG")
    return path


def dialog_save(page, values: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    dialog = page.locator("#dialog")
    expect(dialog).to_be_visible()
    for name, value in values.items():
        field = dialog.locator(f"[name='{name}']")
        if field.evaluate("n => n.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)
    dialog.locator("button[type=submit]").click()
    expect(dialog).to_be_hidden()


def test_an_owner_sets_up_a_table_and_a_dish_and_a_diner_orders_from_the_printed_code(
        app, browser, live_server, phone, tmp_path):
    slug = unique("new")
    create_store(slug, "新开小馆", "boss", "boss-pass-123")
    laptop = browser.new_context(viewport={"width": 1280, "height": 860}, locale="zh-CN")
    console = laptop.new_page()
    errors: list[str] = []
    console.on("pageerror", lambda e: errors.append(str(e)))
    console.goto(f"{live_server}/console")
    console.fill("#login-store", slug)
    console.fill("#login-username", "boss")
    console.fill("#login-password", "wrong-password")
    console.locator("#login-form button").click()
    expect(console.locator("#login-error")).to_contain_text("不正确")
    console.fill("#login-password", "boss-pass-123")
    console.locator("#login-form button").click()
    expect(console.locator("#store-name")).to_have_text("新开小馆")

    # tables: an area, then a table in it (a bad code first: the form says what is wrong)
    expect(console.locator("#view")).to_contain_text("还没有桌台")
    console.get_by_role("button", name="新建区域").click()
    dialog_save(console, {"name": "大厅"})
    console.get_by_role("button", name="新建区域").click()
    dialog_save(console, {"name": "露台"})
    terrace = console.locator(".chip", has_text="露台")
    terrace.get_by_role("button", name="×").click()
    console.locator("#dialog button[type=submit]").click()  # the confirmation
    expect(console.locator("#toast")).to_have_text("已删除。")
    expect(terrace).to_have_count(0)
    console.get_by_role("button", name="新建桌台").click()
    dialog = console.locator("#dialog")
    dialog.locator("[name=code]").fill("M 8!")
    dialog.locator("[name=area_id]").select_option(label="大厅")
    dialog.locator("button[type=submit]").click()
    expect(dialog.locator(".field-error[data-for=code]")).to_be_visible()
    dialog_save(console, {"code": "M8", "seats": "6"})
    row = console.locator("tr[data-table=M8]")
    expect(row).to_contain_text("大厅")
    expect(row).to_contain_text("使用中")

    # the menu: a category and a dish with a photo
    console.locator("#nav a[data-view=menu]").click()
    console.get_by_role("button", name="新建分类").click()
    dialog_save(console, {"name": "主食"})
    console.locator("[data-category=主食]").get_by_role("button", name="新建菜品").click()
    dialog_save(console, {"name": "蛋炒饭", "price": "18.00", "station": "热菜"})
    expect(console.locator("#item-form")).to_be_visible()
    console.locator("#photo-input").set_input_files(photo_file(tmp_path))
    expect(console.locator("img.photo")).to_be_visible()

    # a waiter joins; the form refuses a password that is too short
    console.locator("#nav a[data-view=staff]").click()
    console.get_by_role("button", name="新建员工").click()
    dialog.locator("[name=name]").fill("小李")
    dialog.locator("[name=username]").fill("xiaoli")
    dialog.locator("[name=role]").select_option(label="服务员")
    dialog.locator("[name=password]").fill("short")
    dialog.locator("button[type=submit]").click()
    expect(dialog.locator(".field-error[data-for=password]")).to_be_visible()
    dialog_save(console, {"password": "waiter-pass-1"})
    expect(console.locator("tr[data-staff=xiaoli]")).to_contain_text("服务员")

    # the printed sheet: its code, read back from the rendered page, is the table's link
    with laptop.expect_page() as opened:
        console.locator("#nav a[data-view=tables]").click()
        console.locator("#print-sheet").click()
    sheet = opened.value
    card = sheet.locator(".card[data-table=M8]")
    expect(card).to_contain_text("新开小馆")
    expect(card).to_contain_text("M8 桌")
    png = card.locator("svg").screenshot()
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert len(decoded) == 1 and decoded[0].text.startswith(f"{live_server}/t/")

    # a diner scans it and sees the new dish with its photo
    diner = phone.new_page()
    diner.goto(decoded[0].text)
    expect(diner.locator("#table-code")).to_have_text("M8 桌")
    dish = diner.locator("[data-item]", has_text="蛋炒饭")
    expect(dish).to_contain_text("¥18.00")
    expect(dish.locator("img.dish-thumb")).to_be_visible()

    # the owner renames the dish and raises the price; the open phone page follows at once
    console.locator("#nav a[data-view=menu]").click()
    console.locator("tr[data-item=蛋炒饭]").get_by_role("link", name="编辑").click()
    console.locator("#item-form [name=name]").fill("扬州炒饭")
    console.locator("#item-form [name=price]").fill("21.5x")
    console.locator("#item-form button[type=submit]").click()
    expect(console.locator("#item-form .field-error[data-for=price]")).to_be_visible()
    console.locator("#item-form [name=price]").fill("21.50")
    console.locator("#item-form button[type=submit]").click()
    expect(console.locator("#toast")).to_have_text("已保存。")
    dish = diner.locator("[data-item]", has_text="扬州炒饭")
    expect(dish).to_contain_text("¥21.50")

    dish.get_by_role("button", name="添加扬州炒饭").click()
    expect(diner.locator("#cart-total")).to_have_text("¥21.50")
    diner.locator("#checkout").click()
    diner.locator("#submit").click()
    expect(diner.locator("#send-state")).to_contain_text("已送达厨房")
    expect(diner.locator("#order-list .order")).to_contain_text("¥21.50")
    assert errors == []
    laptop.close()


def test_a_cook_cannot_use_the_console_and_the_page_says_so(browser, live_server, client):
    from tests.helpers import make_staff, make_store

    store = make_store()
    make_staff(store, "cook", username="chef", password="cook-pass-1")
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page.goto(f"{live_server}/console")
    page.fill("#login-store", store.slug)
    page.fill("#login-username", "chef")
    page.fill("#login-password", "cook-pass-1")
    page.locator("#login-form button").click()
    expect(page.locator("#login-error")).to_contain_text("不能使用管理后台")
    expect(page.locator("#app")).to_be_hidden()
    page.wait_for_timeout(300)
    assert not [c for c in page.context.cookies() if c["name"] == "diancan_staff"]  # signed out again
    page.close()
