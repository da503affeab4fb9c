"""Issue #11's "done when", in Chromium at 390×844: a cashier's shift on the phone.

A walk-in rung up by scanning a shelf label with the camera and paid with a WeChat payment code
that needs the password (confirmed in the sandbox while the page follows it); a table's check with
a discount within the cashier's limit and one a manager approves on the same phone, split three
ways (an Alipay payment code, cash with change, and WeChat Pay from a diner's own phone); a table
moved and two merged; a cash refund out of the drawer; and the shift closed with the right
expected cash. The camera is Chromium's fake capture device filming QR codes (tests/e2e/camera.py).
"""
from __future__ import annotations

import time
import uuid
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Page, expect
from sqlalchemy import select

from models import Payment, Refund, Shift, db
from tests.e2e.a11y import assert_no_serious_violations
from tests.e2e.camera import camera_browser, show_code
from tests.e2e.conftest import PHONE
from tests.helpers import (
    auth,
    diner_token,
    make_item,
    make_staff,
    make_store,
    make_table,
    order_body,
    staff_token,
    token_of,
)

pytestmark = [pytest.mark.e2e, pytest.mark.live]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def shot(page: Page, name: str) -> None:
    """A screenshot to look at (test-artifacts/, not kept in git)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def login(page: Page, live_server: str, slug: str) -> None:
    page.goto(f"{live_server}/pos")
    page.fill("#store", slug)
    page.fill("#username", "cash")
    page.fill("#password", "cash-pass-1")
    page.get_by_role("button", name="登录").click()
    expect(page.locator("#tables .table").first).to_be_visible()


def modal(page: Page):
    return page.locator("dialog[open]")


def submit(page: Page) -> None:
    modal(page).locator("button[type=submit]").click()
    expect(modal(page)).to_have_count(0)


def due(page: Page):
    return page.locator("#check-due")


def pay_cash(page: Page, tendered: str, change: str) -> None:
    modal(page).locator("#f-tendered").fill(tendered)
    expect(modal(page).locator(".modal-live")).to_have_text(f"找零 {change}")
    submit(page)


def paycode(live_server: str, provider: str, password: bool) -> str:
    r = requests.post(f"{live_server}/{provider}-sandbox/paycode", json={"user": f"payer-{time.time_ns()}",
                                                                         "password": password}, timeout=10)
    assert r.status_code in (200, 201), r.text
    return r.json()["auth_code"]


def open_table(page: Page, code: str) -> None:
    page.click("[data-tab=tables]")
    page.locator(".table", has_text=code).click()


def ring_up(page: Page, table: str, *dishes: str) -> None:
    open_table(page, table)
    for dish in dishes:
        page.locator(".menu-item", has_text=dish).click()
    page.click("#send-order")
    expect(page.locator("#check-title")).to_have_text(f"{table} 桌")


def test_a_cashiers_service_on_the_phone(client, live_server, browser, tmp_path):
    store = make_store()
    tables = {code: make_table(store, code=code) for code in ("A1", "A2", "A3", "A4", "A5")}
    make_item(store, name="可乐", price=500, station="bar", code="6901234567892")
    make_item(store, name="烤鱼", price=10_000)
    make_item(store, name="米饭", price=300)
    make_item(store, name="啤酒", price=1200, station="bar")
    make_staff(store, "cashier", username="cash", password="cash-pass-1")
    make_staff(store, "manager", username="boss", password="boss-pass-1")
    video = tmp_path / "camera.y4m"
    cashier_browser = camera_browser(browser, video)
    diner_ctx = browser.new_context(**PHONE)
    try:
        page = cashier_browser.new_context(**PHONE).new_page()
        login(page, live_server, store.slug)

        # The shift opens with ¥200 in the drawer.
        page.click("[data-tab=shift]")
        page.click("#open-shift")
        modal(page).locator("#f-cash").fill("200")
        submit(page)
        expect(page.locator("#close-shift")).to_be_visible()

        # A walk-in: the cola's shelf label scanned with the camera, two of them, sent to the kitchen.
        page.click("[data-tab=ringup]")
        page.select_option("#target", "takeaway")
        show_code(video, "6901234567892")
        page.click("#scan")
        expect(page.locator("#cart-lines li")).to_contain_text("可乐", timeout=15_000)
        page.locator("#cart-lines").get_by_role("button", name="增加").click()
        expect(page.locator("#cart-total")).to_have_text("合计 ¥10.00")
        page.click("#send-order")
        expect(page.locator("#check-title")).to_have_text("外带 #1")
        expect(due(page)).to_have_text("¥10.00")

        # ... paid with a WeChat payment code that needs the payer's password: scanned from the
        # payer's phone, followed while they type it, paid once the sandbox's WeChat confirms.
        code = paycode(live_server, "wechat", password=True)
        page.locator(".check-actions").get_by_role("button", name="付款码").click()
        show_code(video, code)
        modal(page).locator("#code-scan").click()
        expect(modal(page).locator(".code-state")).to_have_text("顾客正在手机上输入密码…", timeout=15_000)
        time.sleep(1)
        expect(modal(page).locator(".code-state")).to_have_text("顾客正在手机上输入密码…")  # still waiting
        shot(page, "flow-1-paying")
        r = requests.post(f"{live_server}/wechat-sandbox/pay/confirm", json={"auth_code": code}, timeout=10)
        assert r.status_code == 200, r.text
        expect(modal(page).locator(".code-state")).to_have_text("微信付款码：已收款 ¥10.00", timeout=20_000)
        shot(page, "flow-2-paid")
        modal(page).locator("#code-done").click()
        expect(due(page)).to_have_text("¥0.00")
        page.get_by_role("button", name="清台").click()  # handed over: the cola is not served yet, so it asks
        expect(modal(page)).to_contain_text("还有 1 道菜未上（可乐）。仍要清台吗？")
        submit(page)

        # Table A1: a diner orders grilled fish from their own phone.
        diner = diner_ctx.new_page()
        diner.goto(f"{live_server}/t/{token_of(tables['A1'])}")
        diner.locator("[data-item]", has_text="烤鱼").get_by_role("button", name="添加烤鱼").click()
        diner.locator("#checkout").click()
        diner.locator("#submit").click()
        expect(diner.locator("#check-due")).to_have_text("¥100.00")

        # 10 % off within the cashier's limit; 10 % more is beyond it: the manager signs in for it.
        open_table(page, "A1")
        expect(due(page)).to_have_text("¥100.00")
        page.get_by_role("button", name="折扣").click()
        modal(page).locator("#f-value").fill("10")
        modal(page).locator("#f-reason").fill("老顾客")
        submit(page)
        expect(due(page)).to_have_text("¥90.00")
        page.get_by_role("button", name="折扣").click()
        modal(page).locator("#f-value").fill("10")
        modal(page).locator("#f-reason").fill("上菜慢")
        modal(page).locator("button[type=submit]").click()
        expect(modal(page)).to_contain_text("经理授权")
        modal(page).locator("#f-username").fill("boss")
        modal(page).locator("#f-password").fill("boss-pass-1")
        submit(page)
        expect(due(page)).to_have_text("¥81.00")

        # Split three ways, ¥27 each: an Alipay payment code, cash with change, the diner's WeChat.
        page.get_by_role("button", name="分单").click()
        modal(page).locator("#f-ways").fill("3")
        submit(page)
        shares = page.locator("#shares li")
        expect(shares).to_have_count(3)
        first = paycode(live_server, "alipay", password=False)
        channel = "支付宝付款码"
        shares.nth(0).get_by_role("button", name="付款码").click()
        modal(page).locator("#f-auth_code").fill(first)  # typed: the camera's fallback
        expect(modal(page).locator(".modal-live")).to_have_text(channel)
        submit_code = modal(page).locator("button[type=submit]")
        submit_code.click()
        expect(modal(page).locator(".code-state")).to_have_text(f"{channel}：已收款 ¥27.00", timeout=20_000)
        modal(page).locator("#code-done").click()
        expect(due(page)).to_have_text("¥54.00")
        expect(shares.nth(0)).to_contain_text("✓ ¥27.00")
        shot(page, "flow-3-split")
        shares.nth(1).get_by_role("button", name="收现金").click()
        pay_cash(page, "50", "¥23.00")
        expect(due(page)).to_have_text("¥27.00")

        diner.reload()
        diner.locator("#tab-orders").click()
        expect(diner.locator("#check-due")).to_have_text("¥27.00")
        diner.locator("#pay-check").click()
        expect(diner.locator("#wx-amount")).to_have_text("¥27.00")
        diner.locator("#wx-confirm").click()
        expect(diner.locator("#wx-state")).to_have_text("支付成功，谢谢！")
        expect(due(page)).to_have_text("¥0.00", timeout=20_000)  # the cashier's check follows the floor
        payments = page.locator(".payments li")
        expect(payments).to_have_count(3)
        expect(payments.nth(2)).to_contain_text("微信支付（顾客手机）")
        shot(page, "flow-4-three-ways")

        # A2 moves to the free A3; A4 merges into it.
        ring_up(page, "A2", "米饭", "啤酒")
        page.get_by_role("button", name="换台 / 并台").click()
        modal(page).get_by_text("A3", exact=True).click()
        submit(page)
        expect(page.locator("#check-title")).to_have_text("A3 桌")
        ring_up(page, "A4", "啤酒")
        page.get_by_role("button", name="换台 / 并台").click()
        modal(page).get_by_text("A3 · 有客").click()
        modal(page).locator("button[type=submit]").click()
        expect(modal(page)).to_contain_text("将 A4 桌并入 A3 桌的账单")
        submit(page)
        expect(page.locator("#check-title")).to_have_text("A3 桌")
        expect(due(page)).to_have_text("¥27.00")
        page.click("[data-tab=tables]")
        for code in ("A2", "A4"):
            expect(page.locator(".table", has_text=code)).to_contain_text("空闲")

        # A3 pays ¥27 with ¥100; then a beer comes back: ¥12 refunded in cash out of the drawer.
        open_table(page, "A3")
        page.locator(".check-actions").get_by_role("button", name="收现金").click()
        pay_cash(page, "100", "¥73.00")
        expect(due(page)).to_have_text("¥0.00")
        page.locator(".payments li").get_by_role("button", name="退款").click()
        expect(modal(page)).to_contain_text("从钱箱退还现金")
        modal(page).locator("#f-amount").fill("12")
        modal(page).locator("#f-reason").fill("啤酒退回")
        submit(page)
        expect(page.locator(".payments li")).to_contain_text("已退 ¥12.00")
        expect(due(page)).to_have_text("¥12.00")
        beer = page.locator(".line", has_text="啤酒").last
        beer.get_by_role("button", name="退菜").click()
        modal(page).locator("#f-reason").fill("顾客退回")
        submit(page)
        expect(due(page)).to_have_text("¥0.00")

        # The drawer: ¥200 + ¥50 − ¥23 + ¥100 − ¥73 − ¥12 = ¥242; every channel as it was taken.
        page.click("[data-tab=shift]")
        report = page.locator(".report")
        expect(report).to_contain_text("¥242.00")
        page.click("#close-shift")
        expect(modal(page).locator("#f-counted")).to_have_value("242.00")
        submit(page)
        expect(page.locator("#shift-body h2")).to_have_text("Z 报表（交班）")
        shot(page, "flow-5-z-report")
        db.session.remove()
        shift = db.session.execute(select(Shift).where(Shift.store_id == store.id)).scalar_one()
        assert (shift.status, shift.counted_cash, shift.difference) == ("closed", 24_200, 0)
        assert shift.report["drawer"] == {"opening": 20_000, "cash_taken": 15_000, "change_given": 9600,
                                          "cash_refunded": 1200, "expected": 24_200}
        assert (shift.report["taken"]["wechat_code"], shift.report["taken"]["alipay_code"]) == (1000, 2700)
        assert shift.report["taken"]["wechat"] == 2700
        paid = db.session.execute(select(Payment.channel, Payment.amount).where(
            Payment.store_id == store.id, Payment.status == "paid").order_by(Payment.id)).all()
        assert [tuple(p) for p in paid] == [("wechat_code", 1000), ("alipay_code", 2700),
                                            ("cash", 2700), ("wechat_jsapi", 2700), ("cash", 2700)]
        refund = db.session.execute(select(Refund).where(Refund.store_id == store.id)).scalar_one()
        assert (refund.amount, refund.status) == (1200, "success")
        db.session.commit()
        assert_no_serious_violations(page)
    finally:
        diner_ctx.close()
        cashier_browser.close()


def _cashier_with_a_check(client, live_server, browser):
    """A cashier's phone showing table B1's check of ¥38.00 (one order rung up through the API)."""

    store = make_store()
    table = make_table(store, code="B1")
    item = make_item(store, name="宫保鸡丁", price=3800)
    make_staff(store, "cashier", username="cash", password="cash-pass-1")
    token = staff_token(client, store, "cash", "cash-pass-1")
    r = client.post("/api/v1/pos/orders", headers=auth(token), json={
        "client_key": uuid.uuid4().hex, "table_id": table.id, "items": [{"item_id": item.id, "qty": 1}]})
    assert r.status_code == 201, r.get_json()
    ctx = browser.new_context(**PHONE)
    page = ctx.new_page()
    login(page, live_server, store.slug)
    open_table(page, "B1")
    expect(due(page)).to_have_text("¥38.00")
    return ctx, page, r.get_json()["order"]["table_session_id"]


def test_the_page_follows_a_paying_code_as_the_server_says_and_resends_a_lost_answer(client, live_server, browser):
    """The page's side of a payment code: a POST whose answer is lost is sent again with the same
    client key (never a second charge), and a ``paying`` payment is asked about again only after
    the Retry-After the server gave. The server's answers are played here; the real ones are in
    the flow test above and in the codepay tests."""
    ctx, page, sid = _cashier_with_a_check(client, live_server, browser)
    try:
        posts, gets = [], []
        answers = iter(["paying", "paying", "paid"])

        def code_route(route):
            posts.append(route.request.post_data_json)
            if len(posts) == 1:
                return route.abort("connectionreset")  # the answer is lost on the way back
            return route.fulfill(status=201, json={"payment": {
                "id": 9_999_001, "channel": "wechat_code", "amount": 3800, "status": "paying"}})

        def follow_route(route):
            gets.append(time.monotonic())
            status = next(answers)
            route.fulfill(status=200, headers={"Retry-After": "3"} if status == "paying" else {}, json={
                "payment": {"id": 9_999_001, "channel": "wechat_code", "amount": 3800, "status": status}})

        page.route(f"**/api/v1/table-sessions/{sid}/payments/code", code_route)
        page.route("**/api/v1/payments/9999001", follow_route)
        page.locator(".check-actions").get_by_role("button", name="付款码").click()
        modal(page).locator("#f-auth_code").fill("134567890123456789")
        expect(modal(page).locator(".modal-live")).to_have_text("微信付款码")
        modal(page).locator("button[type=submit]").click()
        expect(modal(page).locator(".code-state")).to_have_text("顾客正在手机上输入密码…", timeout=15_000)
        shot(page, "pos-code-paying")
        expect(modal(page).locator(".code-state")).to_have_text("微信付款码：已收款 ¥38.00", timeout=20_000)
        assert len(posts) == 2 and posts[0]["client_key"] == posts[1]["client_key"]
        assert posts[1] == {"client_key": posts[0]["client_key"], "auth_code": "134567890123456789", "amount": 3800}
        assert len(gets) == 3
        assert all(b - a >= 2.9 for a, b in zip(gets, gets[1:], strict=False)), gets  # Retry-After: 3
    finally:
        ctx.close()


def test_offline_the_page_says_codes_need_the_network_and_still_takes_cash(client, live_server, browser):
    ctx, page, sid = _cashier_with_a_check(client, live_server, browser)
    try:
        posted = []
        page.route("**/payments/code", lambda route: (posted.append(1), route.continue_()))
        ctx.set_offline(True)
        page.evaluate("window.dispatchEvent(new Event('offline'))")
        expect(page.locator(".check-offline")).to_have_text(
            "离线：现金收款保存在本机并自动同步；付款码和微信支付需要网络。")
        page.locator(".check-actions").get_by_role("button", name="付款码（需联网）").click()
        expect(page.locator(".toast")).to_have_text("付款码和微信支付需要网络：未扣款。现金收款离线也可以。")
        expect(modal(page)).to_have_count(0)
        shot(page, "pos-offline-check")
        assert_no_serious_violations(page)
        page.locator(".check-actions").get_by_role("button", name="收现金").click()
        pay_cash(page, "50", "¥12.00")
        expect(page.locator("#sync-badge")).to_have_text("待同步 1")
        ctx.set_offline(False)
        page.evaluate("window.dispatchEvent(new Event('online'))")
        expect(page.locator("#sync-badge")).to_be_hidden()
        open_table(page, "B1")
        expect(due(page)).to_have_text("¥0.00")
        assert posted == []
    finally:
        ctx.close()


def test_every_view_of_the_cashier_page_passes_axe(client, live_server, browser):
    """axe-core, impact serious or critical, on each view a cashier sees: sign-in, tables with a
    call, a check with a discount, a split and a payment, its dialogs, ring-up with a cart, takeaway
    and the shift."""

    store = make_store()
    table = make_table(store, code="C1")
    make_table(store, code="C2")
    item = make_item(store, name="水煮鱼", price=6800)
    make_staff(store, "cashier", username="cash", password="cash-pass-1")
    diner = diner_token(client, live_server)
    r = client.post("/api/v1/orders", json=order_body(table, item), headers=auth(diner))
    assert r.status_code == 201, r.get_json()
    client.post(f"/api/v1/tables/{order_body(table, item)['table_token']}/calls", json={"kind": "bill"},
                headers=auth(diner))
    ctx = browser.new_context(**PHONE)
    try:
        page = ctx.new_page()
        page.goto(f"{live_server}/")
        page.get_by_role("link", name="收银台").click()  # the landing page names the till, not 楼面
        expect(page.locator("#login-form")).to_be_visible()
        assert_no_serious_violations(page)
        login(page, live_server, store.slug)
        expect(page.locator("#calls li")).to_have_count(1)
        expect(page.locator("#calls-count")).to_have_text("1")
        assert_no_serious_violations(page)
        page.locator("#calls li").get_by_role("button", name="已处理").click()
        expect(page.locator("#no-calls")).to_be_visible()
        expect(page.locator("#calls-count")).to_be_hidden()  # no empty red badge beside 呼叫

        open_table(page, "C1")
        page.get_by_role("button", name="折扣").click()
        modal(page).locator("#f-value").fill("5")
        modal(page).locator("#f-reason").fill("老顾客")
        assert_no_serious_violations(page)
        submit(page)
        page.get_by_role("button", name="分单").click()
        modal(page).locator("#f-ways").fill("2")
        submit(page)
        page.locator("#shares li").nth(0).get_by_role("button", name="收现金").click()
        pay_cash(page, "40", "¥7.70")
        expect(page.locator(".payments li")).to_have_count(1)
        assert_no_serious_violations(page)
        page.locator(".check-actions").get_by_role("button", name="付款码").click()
        modal(page).locator("#f-auth_code").fill("12")
        modal(page).locator("button[type=submit]").click()
        expect(modal(page).locator(".error")).to_be_visible()
        assert_no_serious_violations(page)
        modal(page).locator("[data-cancel]").click()
        page.locator(".payments li").get_by_role("button", name="退款").click()
        assert_no_serious_violations(page)
        modal(page).locator("[data-cancel]").click()

        page.click("[data-tab=ringup]")
        page.locator(".menu-item", has_text="水煮鱼").click()
        expect(page.locator("#cart-lines li")).to_have_count(1)
        assert_no_serious_violations(page)
        page.click("[data-tab=takeaway]")
        expect(page.locator("#takeaways .state-msg")).to_be_visible()
        assert_no_serious_violations(page)
        page.click("[data-tab=shift]")
        page.click("#open-shift")
        assert_no_serious_violations(page)
        submit(page)
        expect(page.locator("#close-shift")).to_be_visible()
        assert_no_serious_violations(page)
    finally:
        ctx.close()


def test_a_payment_code_is_refunded_through_its_provider_and_not_out_of_the_drawer(client, live_server, browser):
    """Refunds by channel: a WeChat payment code goes back through WeChat Pay (the sandbox takes the
    refund), cash out of the drawer; the shift counts only the cash one against the drawer."""
    ctx, page, sid = _cashier_with_a_check(client, live_server, browser)
    try:
        page.click("[data-tab=shift]")
        page.click("#open-shift")
        modal(page).locator("#f-cash").fill("100")
        submit(page)
        open_table(page, "B1")
        page.get_by_role("button", name="分单").click()
        modal(page).locator("#f-ways").fill("2")
        submit(page)
        page.locator("#shares li").nth(0).get_by_role("button", name="收现金").click()
        pay_cash(page, "20", "¥1.00")
        expect(due(page)).to_have_text("¥19.00")
        page.locator("#shares li").nth(1).get_by_role("button", name="付款码").click()
        modal(page).locator("#f-auth_code").fill(paycode(live_server, "wechat", password=False))
        modal(page).locator("button[type=submit]").click()
        expect(modal(page).locator(".code-state")).to_have_text("微信付款码：已收款 ¥19.00", timeout=20_000)
        modal(page).locator("#code-done").click()
        expect(due(page)).to_have_text("¥0.00")

        code_row = page.locator(".payments li", has_text="微信付款码")
        code_row.get_by_role("button", name="退款").click()
        expect(modal(page)).to_contain_text("款项原路退回顾客的微信或支付宝")
        modal(page).locator("#f-amount").fill("19.01")
        modal(page).locator("button[type=submit]").click()
        expect(modal(page).locator(".error")).to_have_text("请输入不超过 ¥19.00 的金额。")
        modal(page).locator("#f-amount").fill("10")
        modal(page).locator("#f-reason").fill("少上一份")
        submit(page)
        expect(code_row).to_contain_text("已退 ¥10.00")
        cash_row = page.locator(".payments li", has_text="现金")
        cash_row.get_by_role("button", name="退款").click()
        expect(modal(page)).to_contain_text("从钱箱退还现金")
        modal(page).locator("#f-amount").fill("3")
        modal(page).locator("#f-reason").fill("找错零钱")
        submit(page)
        expect(cash_row).to_contain_text("已退 ¥3.00")
        expect(due(page)).to_have_text("¥13.00")

        page.click("[data-tab=shift]")
        expect(page.locator(".report")).to_contain_text("¥116.00")  # ¥100 + ¥20 − ¥1 − ¥3: WeChat's ¥10 is not cash
        db.session.remove()
        refunds = db.session.execute(select(Refund.amount, Refund.status, Payment.channel).join(
            Payment, Payment.id == Refund.payment_id).where(Payment.table_session_id == sid)
            .order_by(Refund.id)).all()
        assert [tuple(r) for r in refunds] == [(1000, "success", "wechat_code"), (300, "success", "cash")]
        db.session.commit()  # the WeChat refund is "success" only once the sandbox's WeChat Pay took it
    finally:
        ctx.close()


def test_a_code_left_waiting_is_followed_again_or_cancelled_from_the_check(client, live_server, browser):
    """The cashier closes the dialog while the payer is still typing the password: the check says
    so, "查看进度" follows it again to paid, "撤销收款" stops it (never credited) so cash can be taken."""
    ctx, page, sid = _cashier_with_a_check(client, live_server, browser)
    try:
        def start_waiting_code() -> str:
            code = paycode(live_server, "wechat", password=True)
            page.locator(".check-actions").get_by_role("button", name="付款码").click()
            modal(page).locator("#f-auth_code").fill(code)
            modal(page).locator("button[type=submit]").click()
            expect(modal(page).locator(".code-state")).to_have_text("顾客正在手机上输入密码…", timeout=15_000)
            modal(page).locator("#code-done").click()  # 关闭: the payer is still typing
            expect(modal(page)).to_have_count(0)
            expect(page.locator(".check-paying")).to_contain_text("微信付款码 ¥38.00：顾客正在手机上确认",
                                                                  timeout=15_000)
            return code

        start_waiting_code()
        expect(page.locator(".check-actions").get_by_role("button", name="收现金")).to_have_count(0)
        shot(page, "pos-code-waiting-on-check")
        assert_no_serious_violations(page)
        page.locator(".check-paying").get_by_role("button", name="撤销收款").click()
        expect(modal(page)).to_contain_text("撤销 B1 这笔 ¥38.00 的付款码收款？")
        submit(page)
        expect(page.locator(".check-paying")).to_have_count(0)
        expect(page.locator(".payments li")).to_contain_text("支付失败")
        expect(due(page)).to_have_text("¥38.00")

        code = start_waiting_code()
        page.locator(".check-paying").get_by_role("button", name="查看进度").click()
        expect(modal(page).locator(".code-state")).to_have_text("顾客正在手机上输入密码…")
        r = requests.post(f"{live_server}/wechat-sandbox/pay/confirm", json={"auth_code": code}, timeout=10)
        assert r.status_code == 200, r.text
        expect(modal(page).locator(".code-state")).to_have_text("微信付款码：已收款 ¥38.00", timeout=20_000)
        modal(page).locator("#code-done").click()
        expect(due(page)).to_have_text("¥0.00")
        db.session.remove()
        rows = db.session.execute(select(Payment.status, Payment.amount).where(Payment.table_session_id == sid)
                                  .order_by(Payment.id)).all()
        assert [tuple(r) for r in rows] == [("failed", 3800), ("paid", 3800)]
        db.session.commit()
    finally:
        ctx.close()
