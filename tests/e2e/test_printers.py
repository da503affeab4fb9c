"""Printers in a browser: the owner adds one in the console and prints a test page, a diner
orders and the ticket comes out, the printer is switched off and the console and the kitchen
screen show it down, it comes back and catches up."""
from __future__ import annotations

import re
import uuid

import pytest
import requests
from playwright.sync_api import expect

from printers.emulator import EscposEmulator
from tests.e2e.conftest import open_kitchen
from tests.helpers import make_item, make_staff, make_store, make_table, token_of
from tests.servers import free_port, gunicorn_server

pytestmark = [pytest.mark.e2e, pytest.mark.live]


def _order(base: str, diner: str, table, item) -> int:  # type: ignore[no-untyped-def]
    body = {"table_token": token_of(table), "client_key": uuid.uuid4().hex, "remark": "",
            "items": [{"item_id": item.id, "qty": 1, "option_ids": [], "note": ""}]}
    r = requests.post(f"{base}/api/v1/orders", json=body, headers={"Authorization": f"Bearer {diner}"}, timeout=10)
    assert r.status_code == 201, r.text
    return r.json()["order"]["number"]


def test_owner_adds_a_printer_and_sees_it_go_down_and_catch_up(app, env, live_server, browser, wall_screen, tmp_path):
    store = make_store()
    table = make_table(store, "B2")
    item = make_item(store, name="水煮鱼", station="hot")
    make_staff(store, "cook", username="chef", password="cook-pass-1")
    printer = EscposEmulator()
    printer.start()
    with gunicorn_server(env | {"PRINT_WORKER": "1"}, tmp_path / "server.log", port=free_port()) as base:
        ctx = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
        page = ctx.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{base}/console")
        page.fill("#login-store", store.slug)
        page.fill("#login-username", "owner")
        page.fill("#login-password", "owner-pass")
        page.locator("#login-form button").click()
        page.locator("#nav a[data-view=printers]").click()
        page.get_by_role("button", name="添加打印机").click()
        dialog = page.locator("#dialog")
        dialog.locator("[name=name]").fill("热菜打印机")
        dialog.locator("[name=host]").fill("打印机.local")  # non-ASCII: refused with a clear message
        dialog.locator("[name=port]").fill(str(printer.port))
        dialog.locator("[name=st_hot]").check()
        dialog.locator("button[type=submit]").click()
        expect(dialog.locator(".field-error[data-for=host]")).to_be_visible()
        dialog.locator("[name=host]").fill("127.0.0.1")
        dialog.locator("button[type=submit]").click()
        expect(dialog).to_be_hidden()
        row = page.locator("#printers tr[data-printer]")
        expect(row).to_contain_text("热菜打印机")
        expect(row.locator("[data-state]")).to_have_text("在线")

        row.get_by_role("button", name="打印测试页").click()
        assert "打印测试" in printer.wait_for(1)[0].big

        # WeChat (the sandbox) is at PUBLIC_BASE_URL: the session's live server
        code = requests.post(f"{live_server}/wechat-sandbox/login", json={"user": uuid.uuid4().hex},
                             timeout=10).json()["code"]
        diner = requests.post(f"{base}/api/v1/diner/login", json={"code": code}, timeout=10).json()["token"]
        first = _order(base, diner, table, item)
        ticket = printer.wait_for(2)[1]
        assert "水煮鱼 x1" in ticket.big and "B2 桌" in ticket.big and f"单号 {first}" in ticket.text

        kitchen = open_kitchen(wall_screen, base, store.slug)
        printer.stop()  # switched off
        second = _order(base, diner, table, item)
        expect(row.locator("[data-state]")).to_have_text(re.compile("热菜打印机离线 \\d+ 分钟"), timeout=20000)
        expect(kitchen.locator("#printers-down")).to_contain_text("热菜打印机离线", timeout=20000)
        expect(row.locator("[data-queue]")).to_have_text("1")

        printer.start()  # back on: it catches up
        pages = printer.wait_for(3, timeout=30)
        assert f"单号 {second}" in pages[2].text and len(pages) == 3
        expect(row.locator("[data-state]")).to_have_text("在线", timeout=20000)
        expect(kitchen.locator("#printers-down")).to_be_hidden(timeout=20000)
        assert errors == []
        ctx.close()
    printer.stop()
