"""The all-stations wall shows one card per order (items grouped by station) while a station's screen
keeps its own tickets; a recall brings a ticket back as the cook left it; recent bumps can be recalled;
the wall has no serious accessibility violation."""
from __future__ import annotations

import uuid

import pytest
import requests
from playwright.sync_api import expect
from sqlalchemy import select

from models import Order, Ticket, db
from tests.e2e.a11y import assert_no_serious_violations
from tests.e2e.conftest import open_kitchen
from tests.helpers import auth, diner_token_in_process, make_item, make_staff, make_store, make_table, token_of

pytestmark = [pytest.mark.e2e, pytest.mark.live]


def _kitchen(client, n_tables: int = 1):
    store = make_store()
    tables = [token_of(make_table(store, code=f"K{i + 1}")) for i in range(n_tables)]
    dishes = [make_item(store, name="回锅肉", station="hot"), make_item(store, name="拍黄瓜", station="cold"),
              make_item(store, name="酸梅汤", station="bar")]
    make_staff(store, "cook", username="chef", password="cook-pass-1")
    return store, tables, dishes, diner_token_in_process(client)


def _order(live_server, diner, table_token, dishes) -> int:
    body = {"table_token": table_token, "client_key": uuid.uuid4().hex,
            "items": [{"item_id": d.id, "qty": 1, "option_ids": [], "note": ""} for d in dishes]}
    r = requests.post(f"{live_server}/api/v1/orders", json=body, headers=auth(diner), timeout=10)
    assert r.status_code == 201, r.text
    return int(r.json()["order"]["number"])


def _tickets(store_id: int, number: int) -> list[Ticket]:
    db.session.rollback()
    rows = list(db.session.execute(select(Ticket).join(Order).where(Order.store_id == store_id, Order.number == number)
                                   .order_by(Ticket.id)).scalars())
    for t in rows:
        list(t.items)
    db.session.rollback()  # end the read: on SQLite an open read holds off the server's writes
    return rows


def test_all_stations_show_one_card_per_order_and_a_station_screen_its_own(client, browser, live_server):
    store, (table,), dishes, diner = _kitchen(client)
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    try:
        page = open_kitchen(ctx, live_server, store.slug)
        first = _order(live_server, diner, table, dishes)
        second = _order(live_server, diner, table, dishes[:2])
        expect(page.locator(".ticket")).to_have_count(2)  # 5 tickets, 2 orders: 2 cards
        card = page.locator(".ticket", has_text=f"第 {first} 单")
        expect(card.locator(".station-group h3")).to_have_text(["热菜", "凉菜", "饮品"])
        expect(card.locator(".tcode")).to_have_text("K1 桌")
        # A station screen (paired for hot) keeps one card per ticket, its own only.
        station = ctx.new_page()
        station.goto(f"{live_server}/kds")
        station.evaluate("localStorage.setItem('diancan.kds.stations', JSON.stringify(['hot']))")
        station.reload()
        expect(station.locator(".ticket")).to_have_count(2)
        expect(station.locator(".ticket li .name")).to_have_text(["回锅肉", "回锅肉"])
        # The all-stations card bumps the whole order: its three tickets leave every screen.
        card.get_by_role("button", name="出餐").click()
        expect(page.locator(".ticket")).to_have_count(1)
        expect(station.locator(".ticket")).to_have_count(1)
        assert [t.status for t in _tickets(store.id, first)] == ["bumped"] * 3
        assert [t.status for t in _tickets(store.id, second)] == ["new", "new"]
    finally:
        ctx.close()


def test_a_recall_brings_the_ticket_back_as_the_cook_left_it_and_recent_bumps_can_be_recalled(
        client, browser, live_server):
    store, (table,), dishes, diner = _kitchen(client)
    hot = [dishes[0], make_item(store, name="水煮鱼", station="hot"), make_item(store, name="麻婆豆腐", station="hot")]
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    try:
        page = open_kitchen(ctx, live_server, store.slug)
        n = _order(live_server, diner, table, hot)
        card = page.locator(".ticket", has_text=f"第 {n} 单")
        card.locator("li", has_text="回锅肉").click()  # cooking
        expect(card.locator("li.it-cooking")).to_have_count(1)
        expect(card.locator(".state-cooking")).to_have_text("制作中")
        card.locator("li", has_text="水煮鱼").click()
        expect(card.locator("li.it-cooking")).to_have_count(2)
        card.locator("li", has_text="水煮鱼").click()  # cooking -> done
        expect(card.locator("li.it-done")).to_have_count(1)
        card.get_by_role("button", name="出餐").click()
        expect(page.locator(".ticket")).to_have_count(0)
        page.locator("#undo").click()
        expect(page.locator(".ticket")).to_have_count(1)
        # Back as it was: one cooking, one done, one not started — not all struck through.
        expect(card.locator("li.it-cooking .name")).to_contain_text("回锅肉")
        expect(card.locator("li.it-done .name")).to_contain_text("水煮鱼")
        expect(card.locator("li.it-new .name")).to_contain_text("麻婆豆腐")
        # The list of recent bumps: bump again, recall from the list.
        card.get_by_role("button", name="出餐").click()
        expect(page.locator(".ticket")).to_have_count(0)
        page.locator("#toggle-recent").click()
        row = page.locator("#recent-list li", has_text=f"第 {n} 单")
        expect(row).to_contain_text("K1 桌")
        row.get_by_role("button", name="召回").click()
        expect(page.locator(".ticket")).to_have_count(1)
        expect(card.locator("li.it-cooking")).to_have_count(1)
        expect(page.locator("#recent-list li", has_text=f"第 {n} 单")).to_have_count(0)
    finally:
        ctx.close()


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 800)])
def test_25_orders_with_the_panels_open_show_how_many_are_off_screen(client, browser, live_server, size):
    store, tables, dishes, diner = _kitchen(client, n_tables=5)
    for i in range(25):
        _order(live_server, diner, tables[i % 5], dishes[: 1 + i % 3])
    ctx = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale="zh-CN")
    try:
        page = open_kitchen(ctx, live_server, store.slug)
        expect(page.locator(".ticket")).to_have_count(25)  # one per order
        page.locator("#toggle-allday").click()
        expect(page.locator("#allday-list li")).to_have_count(3)
        hidden = page.evaluate("[...document.querySelectorAll('#tickets .ticket')]"
                               ".filter(c => c.getBoundingClientRect().bottom > innerHeight + 1).length")
        assert 0 < hidden < 25
        expect(page.locator("#more")).to_have_text(f"+{hidden} 单")
        box = page.locator("#more").bounding_box()
        assert box and box["y"] + box["height"] <= size[1] and box["height"] >= 44  # always in view, a real target
    finally:
        ctx.close()


def test_the_kitchen_pages_have_no_serious_accessibility_violation(client, browser, live_server):
    store, (table,), dishes, diner = _kitchen(client)
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    try:
        login = ctx.new_page()
        login.goto(f"{live_server}/kds")
        expect(login.locator("#login")).to_be_visible()
        assert_no_serious_violations(login)
        page = open_kitchen(ctx, live_server, store.slug)
        n = _order(live_server, diner, table, dishes)
        card = page.locator(".ticket", has_text=f"第 {n} 单")
        card.locator("li", has_text="回锅肉").click()
        expect(card.locator("li.it-cooking")).to_have_count(1)
        page.locator("#toggle-allday").click()
        page.locator("#toggle-recent").click()
        expect(page.locator("#allday-list li")).to_have_count(3)
        page.wait_for_timeout(1300)  # the new card's arrival animation is over: axe reads the colours at rest
        assert_no_serious_violations(page)
    finally:
        ctx.close()
