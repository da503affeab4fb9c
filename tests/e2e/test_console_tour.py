"""The rest of the console in a browser: option groups, settings, staff, screens and the audit log."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.helpers import make_item, make_staff, make_store

pytestmark = [pytest.mark.e2e, pytest.mark.live]


def test_a_manager_tours_the_console(app, browser, live_server):
    store = make_store()
    make_item(store, name="担担面", price=2200)
    make_staff(store, "manager", username="li", password="manager-pass-1")
    make_staff(store, "waiter", username="xiao", password="waiter-pass-1")
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True, has_touch=True)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server}/console")
    page.fill("#login-store", store.slug)
    page.fill("#login-username", "li")
    page.fill("#login-password", "manager-pass-1")
    page.locator("#login-form button").click()
    dialog = page.locator("#dialog")

    # an option group with two options on a dish
    page.locator("#nav a[data-view=menu]").click()
    page.locator("tr[data-item=担担面]").get_by_role("link", name="编辑").click()
    page.get_by_role("button", name="新建规格组").click()
    dialog.locator("[name=name]").fill("辣度")
    dialog.locator("[name=min]").fill("2")
    dialog.locator("[name=max]").fill("1")
    dialog.locator("button[type=submit]").click()
    expect(dialog.locator(".field-error[data-for=min]")).to_be_visible()
    dialog.locator("[name=min]").fill("1")
    dialog.locator("button[type=submit]").click()
    expect(dialog).to_be_hidden()
    group = page.locator("[data-group=辣度]")
    for name, extra in (("微辣", "0"), ("特辣", "1.50")):
        group.get_by_role("button", name="新建选项").click()
        dialog.locator("[name=name]").fill(name)
        dialog.locator("[name=price_delta]").fill(extra)
        dialog.locator("button[type=submit]").click()
        expect(dialog).to_be_hidden()
    expect(page.locator("[data-group=辣度] li")).to_have_count(2)
    expect(page.locator("[data-group=辣度]")).to_contain_text("+¥1.50")

    # settings: a 10% service charge and ordering hours
    page.locator("#nav a[data-view=settings]").click()
    form = page.locator("#settings-form")
    form.locator("[name=service_charge_bp]").fill("10")
    form.locator("[name=opens_at]").fill("10:00")
    form.locator("button[type=submit]").click()
    expect(form.locator(".field-error[data-for=closes_at]")).to_be_visible()  # both or neither
    form.locator("[name=closes_at]").fill("22:00")
    form.locator("[name=max_portions_round]").fill("40")
    form.locator("[name=max_portions_check]").fill("30")
    form.locator("button[type=submit]").click()
    expect(form.locator(".field-error[data-for=max_portions_round]")).to_be_visible()  # a round within a check
    form.locator("[name=max_portions_check]").fill("120")
    form.locator("button[type=submit]").click()
    expect(page.locator("#toast")).to_have_text("已保存。")

    # staff: a manager cannot make managers, and deactivates a waiter after confirming
    page.locator("#nav a[data-view=staff]").click()
    page.get_by_role("button", name="新建员工").click()
    assert "店长" not in dialog.locator("[name=role]").inner_text()
    dialog.get_by_role("button", name="取消").click()
    row = page.locator("tr[data-staff=xiao]")
    row.get_by_role("button", name="停用").click()
    expect(dialog).to_contain_text("停用")
    dialog.locator("button[type=submit]").click()
    expect(page.locator("tr[data-staff=xiao]")).to_contain_text("已停用")
    owner_row = page.locator("tr[data-staff=owner]")
    expect(owner_row.get_by_role("button", name="编辑")).to_have_count(0)  # an owner is not the manager's to change

    # a kitchen screen: the one-time pairing code
    page.locator("#nav a[data-view=screens]").click()
    page.get_by_role("button", name="配对屏幕").click()
    dialog.locator("[name=name]").fill("热菜屏")
    dialog.locator("[name=st_hot]").check()
    dialog.locator("button[type=submit]").click()
    expect(page.locator("#pairing-code")).to_have_text(re.compile(r"^\d{8}$"))
    dialog.get_by_role("button", name="关闭").click()
    expect(page.locator("#view")).to_contain_text("等待配对")

    # the audit log shows what happened, filtered
    page.locator("#nav a[data-view=audit]").click()
    expect(page.locator("tr[data-action]").first).to_be_visible()
    page.locator("[name=action]").select_option("staff.deactivate")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("tr[data-action]")).to_have_count(1)
    expect(page.locator("tr[data-action]")).to_contain_text("停用员工")
    assert errors == []
    ctx.close()
