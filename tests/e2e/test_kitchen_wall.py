"""The kitchen wall from two metres: keys that stay on their tickets, a count of what is off screen,
big type, and bumps that survive a dropped network."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests
from playwright.sync_api import expect
from sqlalchemy import select

from models import KitchenEvent, Order, Ticket, db
from tests.e2e.conftest import open_kitchen
from tests.helpers import auth, diner_token_in_process, make_item, make_staff, make_store, make_table, token_of

pytestmark = [pytest.mark.e2e, pytest.mark.live]


def _kitchen(client, n_tables: int = 1):
    store = make_store()
    tables = [token_of(make_table(store, code=f"K{i + 1}")) for i in range(n_tables)]
    item = make_item(store, name="回锅肉")
    make_staff(store, "cook", username="chef", password="cook-pass-1")
    return store, tables, item, diner_token_in_process(client)


def _order(live_server, diner, table_token, item_id) -> int:
    body = {"table_token": table_token, "client_key": uuid.uuid4().hex,
            "items": [{"item_id": item_id, "qty": 1, "option_ids": [], "note": ""}]}
    r = requests.post(f"{live_server}/api/v1/orders", json=body, headers=auth(diner), timeout=10)
    assert r.status_code == 201, r.text
    return int(r.json()["order"]["number"])


def _screen(browser, live_server, store, width=1280, height=800):
    ctx = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    return ctx, open_kitchen(ctx, live_server, store.slug)


def test_bump_keys_stay_on_their_tickets_until_they_leave(client, browser, live_server):
    store, (table,), item, diner = _kitchen(client)
    ctx, page = _screen(browser, live_server, store)
    try:
        numbers = [_order(live_server, diner, table, item.id) for _ in range(3)]
        expect(page.locator(".ticket")).to_have_count(3)
        card = {n: page.locator(".ticket", has_text=f"第 {n} 单") for n in numbers}
        for key, n in enumerate(numbers, start=1):
            expect(card[n].locator(".key")).to_have_text(str(key))  # the key is shown on its card
        page.keyboard.press("1")
        expect(page.locator(".ticket")).to_have_count(2)
        # The second and third tickets keep keys 2 and 3 (by position they would now be 1 and 2).
        expect(card[numbers[1]].locator(".key")).to_have_text("2")
        page.keyboard.press("3")
        expect(page.locator(".ticket")).to_have_count(1)
        expect(card[numbers[1]]).to_have_count(1)
        later = _order(live_server, diner, table, item.id)
        expect(page.locator(".ticket", has_text=f"第 {later} 单").locator(".key")).to_have_text("1")  # lowest free key
        expect(card[numbers[1]].locator(".key")).to_have_text("2")
    finally:
        ctx.close()


def test_a_ticket_after_a_lost_event_waits_for_the_replay_so_keys_follow_the_orders(client, browser, live_server):
    """The first order's event never reaches the screen; the second's shows the gap. The screen
    replays before drawing, so the first order still comes first and takes key 1."""
    store, (table,), item, diner = _kitchen(client)
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    dropped: list[str] = []
    acks: list[str] = []

    def route(ws):
        server = ws.connect_to_server()

        def from_server(message):
            if isinstance(message, str) and message.startswith("43/kds"):
                acks.append(message)  # the answer to a resume
            if not dropped and isinstance(message, str) and '"ticket.created"' in message:
                dropped.append(message)  # lost on its way
                return
            ws.send(message)
        server.on_message(from_server)

    ctx.route_web_socket("**/socket.io/**", route)
    try:
        page = open_kitchen(ctx, live_server, store.slug)
        while not acks:  # connected and caught up before the first order
            page.wait_for_timeout(50)
        first = _order(live_server, diner, table, item.id)
        second = _order(live_server, diner, table, item.id)
        expect(page.locator(".ticket")).to_have_count(2)
        assert dropped, "the first order's event was not held back"
        expect(page.locator(".ticket", has_text=f"第 {first} 单").locator(".key")).to_have_text("1")
        expect(page.locator(".ticket", has_text=f"第 {second} 单").locator(".key")).to_have_text("2")
        expect(page.locator(".ticket").first).to_contain_text(f"第 {first} 单")
    finally:
        ctx.close()


def test_25_open_tickets_at_1280_by_800_show_how_many_are_off_screen(client, browser, live_server):
    store, tables, item, diner = _kitchen(client, n_tables=5)
    for i in range(25):
        _order(live_server, diner, tables[i % 5], item.id)
    ctx, page = _screen(browser, live_server, store)
    try:
        expect(page.locator(".ticket")).to_have_count(25)
        expect(page.locator("#more")).to_be_visible()
        hidden = page.evaluate("[...document.querySelectorAll('#tickets .ticket')]"
                               ".filter(c => c.getBoundingClientRect().bottom > innerHeight + 1).length")
        assert hidden > 0
        expect(page.locator("#more")).to_have_text(f"+{hidden} 单")
        page.locator("#more").click()  # pages down: fewer are left below
        expect(page.locator("#more")).not_to_have_text(f"+{hidden} 单")
    finally:
        ctx.close()


def test_the_wall_is_readable_from_two_metres(client, browser, live_server):
    store, (table,), item, diner = _kitchen(client)
    ctx, page = _screen(browser, live_server, store, 1920, 1080)
    try:
        _order(live_server, diner, table, item.id)
        expect(page.locator(".ticket")).to_have_count(1)
        # the board may redraw its cards meanwhile: read the size from one that is still on the page
        size = lambda sel: page.wait_for_function(  # noqa: E731
            "sel => { const n = document.querySelector(sel); return n && n.isConnected"
            " && parseFloat(getComputedStyle(n).fontSize); }", arg=sel).json_value()
        assert size(".ticket .name") >= 28
        assert size(".ticket .onum") >= 22  # the order number is not small grey print
        page.locator(".ticket li").first.click()  # new -> cooking
        expect(page.locator(".ticket .cooking")).to_have_text("制作中")
    finally:
        ctx.close()


def test_a_bump_made_offline_is_kept_shown_as_pending_and_applied_once_when_back(client, browser, live_server):
    store, (table,), item, diner = _kitchen(client)
    ctx, page = _screen(browser, live_server, store)
    try:
        n = _order(live_server, diner, table, item.id)
        expect(page.locator(".ticket")).to_have_count(1)
        ctx.set_offline(True)
        page.locator(".ticket").get_by_role("button", name="出餐").click()
        expect(page.locator(".ticket.pending")).to_have_count(1)
        expect(page.locator(".toast")).to_contain_text("网络断开")
        expect(page.locator("body")).not_to_contain_text("Failed to fetch")
        queued = page.evaluate("JSON.parse(localStorage.getItem('diancan.kds.pending-bumps'))")
        assert len(queued) == 1
        ctx.set_offline(False)
        expect(page.locator(".ticket")).to_have_count(0, timeout=15000)
        assert page.evaluate("JSON.parse(localStorage.getItem('diancan.kds.pending-bumps'))") == []
        page.wait_for_timeout(500)  # a second send would land now, if there were one
        db.session.rollback()  # read what the server wrote, not this session's cache
        ticket = db.session.execute(select(Ticket).join(Order).where(Order.store_id == store.id,
                                                                      Order.number == n)).scalar_one()
        assert ticket.status == "bumped"
        bumps = db.session.execute(select(KitchenEvent).where(KitchenEvent.ticket_id == ticket.id)).scalars()
        assert [e.payload["status"] for e in bumps].count("bumped") == 1  # applied once
        db.session.rollback()
    finally:
        ctx.close()


def test_the_same_dish_from_two_diners_shows_once_as_2x(client, browser, live_server):
    store, (table,), item, diner = _kitchen(client)
    ctx, page = _screen(browser, live_server, store)
    try:
        line = {"item_id": item.id, "qty": 1, "option_ids": [], "note": ""}
        r = requests.post(f"{live_server}/api/v1/orders", headers=auth(diner), timeout=10, json={
            "table_token": table, "client_key": uuid.uuid4().hex, "items": [line, dict(line)]})
        assert r.status_code == 201, r.text
        assert len(r.json()["order"]["items"]) == 2  # two diners' lines, kept apart on the order
        expect(page.locator(".ticket li")).to_have_count(1)
        expect(page.locator(".ticket li .qty")).to_have_text("2×")
        page.locator(".ticket li").click()  # both lines start cooking together
        expect(page.locator(".ticket li .qty")).to_have_text(["2×"])  # one line again, once both are sent
        expect(page.locator(".ticket li.it-cooking")).to_have_count(1)
    finally:
        ctx.close()


def test_sold_out_from_the_all_day_panel_shows_its_state_and_can_be_undone(client, browser, live_server):
    store, (table,), item, diner = _kitchen(client)
    other = make_item(store, name="酸菜鱼")
    ctx, page = _screen(browser, live_server, store)
    try:
        page.on("dialog", lambda d: d.accept())
        _order(live_server, diner, table, item.id)
        _order(live_server, diner, table, other.id)
        page.locator("#toggle-allday").click()
        row = page.locator("#allday-list li", has_text="回锅肉")
        expect(page.locator("#allday-list li")).to_have_count(2)
        expect(page.locator("#allday-list .sold-tag")).to_have_count(0)  # nothing reads as sold out yet
        row.get_by_role("button", name="估清", exact=True).click()
        expect(row.locator(".sold-tag")).to_have_text("已售罄")
        expect(row.get_by_role("button", name="撤销估清")).to_have_attribute("aria-pressed", "true")
        expect(page.locator("#allday-list li", has_text="酸菜鱼").locator(".sold-tag")).to_have_count(0)
        db.session.rollback()
        assert db.session.get(type(item), item.id).sold_out is True
        db.session.rollback()  # end the read: on SQLite an open read holds off the server's write
        row.get_by_role("button", name="撤销估清").click()
        expect(row.get_by_role("button", name="估清", exact=True)).to_have_attribute("aria-pressed", "false")
        expect(row.locator(".sold-tag")).to_have_count(0)
        db.session.rollback()
        assert db.session.get(type(item), item.id).sold_out is False
        db.session.rollback()
    finally:
        ctx.close()


def test_the_clock_shows_the_stores_time_not_the_kitchen_pcs(client, browser, live_server):
    """A kitchen PC left on another zone (here New York, 12 or 13 hours behind) still shows the
    store's time (Shanghai)."""
    store, _, _, _ = _kitchen(client)
    assert store.timezone == "Asia/Shanghai"
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN", timezone_id="America/New_York")
    try:
        page = open_kitchen(ctx, live_server, store.slug)
        now = datetime.now(ZoneInfo("Asia/Shanghai"))
        shanghai = [f"{now + timedelta(minutes=m):%H:%M}" for m in (-1, 0, 1)]  # a minute may turn meanwhile
        page.wait_for_function("(times) => times.includes(document.getElementById('clock').textContent.trim())",
                               arg=shanghai, timeout=5000)
    finally:
        ctx.close()
