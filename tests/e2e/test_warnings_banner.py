"""The console tells the manager at once when payments are stuck (and says nothing when all is well)."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from models import Payment, db, utcnow
from tests.helpers import auth, close_test_payments, diner_token, make_item, make_store, make_table, order_body

pytestmark = [pytest.mark.e2e, pytest.mark.live]


def _sign_in(browser, live_server, slug):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page.goto(f"{live_server}/console")
    page.fill("#login-store", slug)
    page.fill("#login-username", "owner")
    page.fill("#login-password", "owner-pass")
    page.locator("#login-form button").click()
    expect(page.locator("#app")).to_be_visible()
    return page


def test_the_console_shows_a_banner_for_stuck_payments(browser, live_server, client):
    store = make_store()
    quiet = _sign_in(browser, live_server, store.slug)
    expect(quiet.locator("#store-name")).to_have_text("测试小馆")
    quiet.wait_for_load_state("networkidle")
    expect(quiet.locator("#warnings")).to_be_hidden()
    quiet.close()

    table, item = make_table(store), make_item(store)
    diner = diner_token(client, live_server)
    order = client.post("/api/v1/orders", json=order_body(table, item), headers=auth(diner)).get_json()["order"]
    db.session.add(Payment(store_id=store.id, table_session_id=order["table_session_id"], client_key=uuid.uuid4().hex,
                           out_trade_no=uuid.uuid4().hex, amount=order["total"], channel="wechat_jsapi",
                           status="paying", created_at=utcnow() - timedelta(minutes=8)))
    db.session.commit()
    try:
        page = _sign_in(browser, live_server, store.slug)
        expect(page.locator("#warnings")).to_be_visible()
        expect(page.locator("#warnings")).to_contain_text("有 1 笔支付等待微信支付超过 5 分钟")
        page.close()
    finally:
        close_test_payments(store)
