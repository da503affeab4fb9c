"""The diner page at 390×844 as a table of friends uses it: table-mates who see and pay every round,
thumb-sized controls that stay put, the orders view with everything the kitchen was told, calls with
reasons, an unknown table that says what to do, photo thumbnails, and the headcount."""
from __future__ import annotations

import io
import os
import time
from datetime import timedelta

import pytest
import requests
from PIL import Image
from playwright.sync_api import Page, expect
from sqlalchemy import update

from models import Order, Store, TableSession, WaiterCall, db, utcnow
from tests.e2e.conftest import PHONE
from tests.helpers import auth, make_item, make_store, make_table, staff_token, token_of

pytestmark = [pytest.mark.e2e, pytest.mark.live]
SHOTS = os.environ.get("DINER_SHOTS")  # a folder: keep the screenshots to look at


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"))


def _open(browser, url: str) -> Page:
    page = browser.new_context(**PHONE).new_page()
    page.goto(url)
    expect(page.locator("[data-item]").first).to_be_visible()
    expect(page.locator("#app[data-ready]")).to_be_attached()  # logged in, cart and orders loaded
    return page


def _box(locator) -> dict:  # type: ignore[no-untyped-def]
    """Where an element is; the cards are redrawn as the cart changes, so ask until one is there."""
    for _ in range(50):
        box = locator.bounding_box()
        if box is not None:
            return box
    raise AssertionError(f"{locator} never laid out")


def _until(page: Page, done, what: str, seconds: float = 10) -> None:  # type: ignore[no-untyped-def]
    """Let the page run (and Playwright's handlers with it) until ``done()``; fail after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, what
        page.wait_for_timeout(50)


def _add(page: Page, name: str) -> None:
    page.locator("[data-item]", has_text=name).get_by_role("button", name=f"添加{name}").click()


def test_two_phones_at_a_table_both_see_the_round_after_a_reload_and_the_second_pays(client, live_server, browser):
    store = make_store()
    table = make_table(store, code="A1")
    make_item(store, name="红烧肉", price=4800)
    make_item(store, name="米饭", price=300)
    url = f"{live_server}/t/{token_of(table)}"
    first, second = _open(browser, url), _open(browser, url)
    expect(first.locator("#table-code")).to_have_text("A1 桌")
    _add(first, "红烧肉")
    _add(first, "米饭")
    _add(first, "米饭")
    expect(second.locator("#cart-count")).to_have_text("3")  # one shared cart
    first.locator("#checkout").click()
    first.locator("#remark").fill("先上凉菜")
    first.locator("#submit").click()
    expect(first.locator("#order-list .order")).to_have_count(1)
    expect(first.locator("#order-list .order header b")).to_have_text("第 1 单")
    # the other phone's cart emptied: it is told why, not left guessing
    expect(second.locator("#banner")).to_have_text("同桌已下单：3 道菜")
    expect(second.locator("#cart-count")).to_have_text("0")
    _shot(second, "diner-mate-banner")
    second.reload()
    expect(second.locator("#call-waiter")).to_be_visible()
    second.locator("#tab-orders").click()
    order = second.locator("#order-list .order")
    expect(order).to_have_count(1)
    expect(order.locator("header b")).to_have_text("第 1 单")
    expect(order.locator(".status")).to_have_text("已接单")
    expect(order.locator(".remark")).to_have_text("整单备注：先上凉菜")
    expect(second.locator("#no-orders")).to_be_hidden()
    expect(second.locator("#check-due")).to_have_text("¥54.00")
    _shot(second, "diner-mate-orders")
    second.locator("#pay-check").click()
    expect(second.locator("#wx-amount")).to_have_text("¥54.00")
    second.locator("#wx-confirm").click()
    expect(second.locator("#wx-state")).to_have_text("支付成功，谢谢！")
    expect(second.locator("#check-due")).to_have_text("¥0.00")
    first.locator("#tab-orders").click()
    expect(first.locator("#check-due")).to_have_text("¥0.00")  # the first phone sees it paid, live
    db.session.remove()
    check = db.session.query(TableSession).filter_by(table_id=table.id).one()
    assert (check.paid, check.due) == (5400, 0)
    db.session.commit()
    first.context.close()
    second.context.close()


def test_a_cart_that_arrives_late_never_replaces_a_newer_one(client, live_server, browser):
    """Two taps on one phone; the other phone hears their carts in the opposite order (two requests
    in flight, two processes, a slow network). It keeps the newer cart: three dishes, not two."""
    store = make_store()
    table = make_table(store, code="C3")
    for name, price in (("红烧肉", 4800), ("米饭", 300), ("酸梅汤", 800)):
        make_item(store, name=name, price=price)
    url = f"{live_server}/t/{token_of(table)}"
    first = _open(browser, url)
    _add(first, "红烧肉")  # the check is open before the other phone arrives
    expect(first.locator("#cart-count")).to_have_text("1")
    ctx = browser.new_context(**PHONE)
    joined: list[str] = []
    held: list[str] = []
    swapped: list[str] = []

    def route(ws):  # type: ignore[no-untyped-def]
        server = ws.connect_to_server()

        def from_server(message):  # type: ignore[no-untyped-def]
            if isinstance(message, str) and message.startswith("40/table"):
                joined.append(message)
            if isinstance(message, str) and '"cart.updated"' in message and len(swapped) < 2:
                held.append(message)
                if len(held) == 2:  # the later change reaches the phone first
                    swapped.extend(reversed(held))
                    for late in swapped:
                        ws.send(late)
                return
            ws.send(message)
        server.on_message(from_server)

    ctx.route_web_socket("**/socket.io/**", route)
    second = ctx.new_page()
    second.goto(url)
    expect(second.locator("#app[data-ready]")).to_be_attached()
    expect(second.locator("#cart-count")).to_have_text("1")
    _until(second, lambda: joined, "the table's socket never joined")
    seen = int(second.locator("#app").get_attribute("data-carts") or 0)
    _add(first, "米饭")
    expect(first.locator("#cart-count")).to_have_text("2")
    _add(first, "酸梅汤")
    expect(first.locator("#cart-count")).to_have_text("3")
    _until(second, lambda: len(swapped) == 2, "the two carts never reached the phone")
    # both frames handled, the older one last
    second.wait_for_function("(n) => Number(document.getElementById('app').dataset.carts) >= n", arg=seen + 2)
    expect(second.locator("#cart-count")).to_have_text("3")
    second.locator("#open-cart").click()
    expect(second.locator("#cart-lines .line")).to_have_count(3)
    first.context.close()
    ctx.close()


def test_a_check_answer_older_than_a_live_payment_is_asked_for_again(client, live_server, browser):
    """The check was on its way to the phone when the cashier took the money: the late answer
    (¥48 due) must not overwrite the ¥0.00 the payment's live event already showed."""
    store = make_store()
    table = make_table(store, code="D4")
    make_item(store, name="红烧肉", price=4800)
    page = _open(browser, f"{live_server}/t/{token_of(table)}")
    _add(page, "红烧肉")
    expect(page.locator("#cart-count")).to_have_text("1")
    page.locator("#checkout").click()
    page.locator("#submit").click()
    expect(page.locator("#order-list .order")).to_have_count(1)
    expect(page.locator("#check-due")).to_have_text("¥48.00")
    owner = requests.post(f"{live_server}/api/v1/staff/login", timeout=10,
                          json={"store": store.slug, "username": "owner", "password": "owner-pass"}).json()["token"]
    held: list = []
    answers: list[int] = []

    def check(route):  # type: ignore[no-untyped-def]
        if route.request.method != "GET":
            return route.continue_()
        if not held:  # the first answer, read now, reaches the phone only later
            held.append((route, route.fetch()))
            return None
        route.fulfill(response=route.fetch())
        answers.append(1)  # on its way to the phone
        return None

    page.route("**/api/v1/table-sessions/*", check)
    tickets = requests.get(f"{live_server}/api/v1/kds/tickets?status=open", headers=auth(owner), timeout=10).json()
    item_id = tickets["tickets"][0]["items"][0]["id"]
    r = requests.post(f"{live_server}/api/v1/kds/ticket-items/{item_id}/status", headers=auth(owner), timeout=10,
                      json={"status": "cooking"})  # order.updated: the phone asks for its check
    assert r.status_code == 200, r.text
    _until(page, lambda: held, "the phone never asked for its check")
    sid = db.session.query(Order).filter_by(store_id=store.id).one().table_session_id
    db.session.remove()
    r = requests.post(f"{live_server}/api/v1/table-sessions/{sid}/payments/offline", headers=auth(owner), timeout=10,
                      json={"client_key": "cash-d4-0001", "channel": "cash"})
    assert r.status_code in (200, 201), r.text
    expect(page.locator("#check-due")).to_have_text("¥0.00")  # the payment, live
    _until(page, lambda: answers, "the payment's order event set off no refresh")  # answered: it passed through
    route, stale = held[0]
    assert stale.json()["session"]["due"] == 4800
    with page.expect_request(lambda r: "/table-sessions/" in r.url and r.method == "GET", timeout=5000):
        route.fulfill(response=stale)  # read before the payment, answered after everything else: asked again
    expect(page.locator("#check-due")).to_have_text("¥0.00")
    page.unroute_all(behavior="ignoreErrors")  # a refresh still on its way must not fail the next test
    page.context.close()


SMALL = """() => [...document.querySelectorAll('button, a[href], select, input')]
  .filter((e) => e.offsetParent !== null && e.getClientRects().length)
  .map((e) => [e.id || e.className || e.tagName, e.getBoundingClientRect()])
  .filter(([, r]) => r.width < 44 || r.height < 44)
  .map(([name, r]) => `${name} ${Math.round(r.width)}×${Math.round(r.height)}`)"""


def test_touch_targets_are_44px_and_nothing_moves_after_the_first_plus(client, live_server, browser):
    store = make_store()
    table = make_table(store, code="B2")
    make_item(store, name="宫保鸡丁", price=3800)
    make_item(store, name="小炒肉", price=4200, groups=[("辣度", 1, 1, [("微辣", 0), ("特辣", 0)])])
    page = _open(browser, f"{live_server}/t/{token_of(table)}")
    assert page.evaluate(SMALL) == []
    card = page.locator("[data-item]", has_text="宫保鸡丁")
    plus = card.get_by_role("button", name="添加宫保鸡丁")
    before, list_top = _box(plus), _box(page.locator("[data-item]").first)
    plus.click()
    expect(page.locator("#banner")).to_have_text("已加入：宫保鸡丁")
    expect(card.locator(".in-cart")).to_have_text("1")
    assert _box(plus) == before  # the second tap lands where the first did
    assert _box(page.locator("[data-item]").first) == list_top  # the banner pushes nothing down
    _shot(page, "diner-after-plus")
    plus.click()
    expect(card.locator(".in-cart")).to_have_text("2")
    card.get_by_role("button", name="减少一份宫保鸡丁").click()
    expect(card.locator(".in-cart")).to_have_text("1")
    expect(page.locator("#cart-count")).to_have_text("1")
    assert page.evaluate(SMALL) == []  # with the card's "−" and count too
    page.get_by_role("button", name="添加小炒肉").click()
    expect(page.locator("#option-sheet")).to_be_visible()
    assert page.evaluate(SMALL) == []
    page.locator("#option-sheet [data-close]").click()
    page.locator("#checkout").click()
    expect(page.locator("#cart-sheet")).to_be_visible()
    assert page.evaluate(SMALL) == []
    page.locator("#cart-sheet [data-close]").click()
    page.locator("#call-waiter").click()
    expect(page.locator("#call-sheet")).to_be_visible()
    assert page.evaluate(SMALL) == []
    _shot(page, "diner-call-sheet")
    page.context.close()


def test_orders_view_shows_options_notes_progress_and_calls_with_reasons(client, live_server, browser):
    store = make_store()
    table = make_table(store, code="C3")
    make_item(store, name="水煮鱼", price=6800, groups=[("辣度", 1, 1, [("微辣", 0), ("特辣", 200)])])
    page = _open(browser, f"{live_server}/t/{token_of(table)}")
    page.get_by_role("button", name="添加水煮鱼").click()
    page.get_by_role("button", name="特辣").click()
    page.locator("#opt-note").fill("不要香菜")
    page.locator("#opt-add").click()
    page.locator("#checkout").click()
    page.locator("#remark").fill("一起上")
    page.locator("#submit").click()
    line = page.locator("#order-list .dish-line")
    expect(line).to_have_count(1)
    expect(line.locator("small")).to_have_text("特辣 · 备注：不要香菜")
    expect(line.locator(".progress")).to_have_text("待制作")
    expect(page.locator("#order-list .remark")).to_have_text("整单备注：一起上")
    expect(page.locator(".hurry")).to_have_count(0)  # not late yet
    # twenty minutes later (the store's late mark is 15): 催单 for that round
    db.session.execute(update(Order).where(Order.table_id == table.id)
                       .values(created_at=utcnow() - timedelta(minutes=20)))
    db.session.commit()
    page.reload()
    page.locator("#tab-orders").click()
    page.get_by_role("button", name="催第 1 单").click()
    expect(page.locator("#banner")).to_have_text("已为您催单：第 1 单。")
    page.locator("#call-waiter").click()
    page.locator("#call-sheet").get_by_role("button", name="加水").click()
    expect(page.locator("#banner")).to_have_text("好的，马上为您加水。")
    page.locator("#ask-bill").click()
    expect(page.locator("#banner")).to_have_text("马上为您结账。")
    _shot(page, "diner-orders-detail")
    db.session.remove()
    calls = sorted((c.kind, c.reason) for c in db.session.query(WaiterCall).filter_by(table_id=table.id))
    assert calls == [("bill", ""), ("waiter", "hurry"), ("waiter", "water")]
    db.session.commit()
    page.context.close()


def test_an_unknown_table_says_what_to_do_and_offers_nothing_useless(client, live_server, browser):
    page = browser.new_context(**PHONE).new_page()
    page.goto(f"{live_server}/t/not-a-real-code")
    expect(page.locator("#error-text")).to_contain_text("请扫描桌上最新的二维码")
    expect(page).to_have_title("桌码无法使用")
    expect(page.locator("#store-name")).to_have_text("桌码无法使用")
    expect(page.locator("#retry")).to_be_hidden()
    expect(page.locator("#call-waiter")).to_be_hidden()
    assert page.locator("button:visible").count() == 0
    _shot(page, "diner-unknown-table")
    page.context.close()


def _photo(colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), colour).save(out, format="JPEG")
    return out.getvalue()


def test_thumbnails_are_at_most_twice_their_displayed_size(client, live_server, browser):
    from services import catalog

    store = make_store()
    table = make_table(store, code="D4")
    for name, colour in (("麻婆豆腐", "#c0392b"), ("清蒸鲈鱼", "#2980b9")):
        catalog.set_photo(store.id, make_item(store, name=name, price=2800).id, _photo(colour))
    page = _open(browser, f"{live_server}/t/{token_of(table)}")
    imgs = page.locator("img.dish-thumb")
    expect(imgs).to_have_count(2)
    page.wait_for_function("[...document.querySelectorAll('img.dish-thumb')]"
                           ".every((i) => i.complete && i.naturalWidth)")
    # naturalWidth of a srcset image is divided by its density: decode the file chosen to get its pixels
    sizes = page.evaluate("""() => Promise.all([...document.querySelectorAll('img.dish-thumb')].map(async (img) => {
      const file = new Image(); file.src = img.currentSrc; await file.decode();
      return [file.naturalWidth, file.naturalHeight, img.getBoundingClientRect().width, img.currentSrc]; }))""")
    for natural_w, natural_h, shown, src in sizes:
        assert natural_w <= 2 * shown and natural_h <= 2 * shown, (natural_w, shown, src)
        assert natural_w >= shown * PHONE["device_scale_factor"] * 0.99  # and sharp on this 2× screen
    _shot(page, "diner-thumbnails")
    page.context.close()


def test_headcount_is_asked_once_per_check_and_the_cashier_sees_it(client, live_server, browser):
    store = make_store()
    db.session.execute(update(Store).where(Store.id == store.id).values(ask_headcount=True))
    db.session.commit()
    table = make_table(store, code="E5")
    make_item(store, name="酸菜鱼", price=8800)
    url = f"{live_server}/t/{token_of(table)}"
    first = browser.new_context(**PHONE).new_page()
    first.goto(url)
    expect(first.locator("#headcount-sheet")).to_be_visible()
    expect(first.locator("#headcount-title")).to_have_text("请问您几位用餐？")
    _shot(first, "diner-headcount")
    first.get_by_role("button", name="4 位", exact=True).click()
    expect(first.locator("#headcount-sheet")).to_be_hidden()
    expect(first.locator("#banner")).to_have_text("已记下：4 位用餐。")
    second = browser.new_context(**PHONE).new_page()
    second.goto(url)
    expect(second.locator("#call-waiter")).to_be_visible()
    expect(second.locator("#headcount-sheet")).to_be_hidden()  # the table answered already
    first.reload()
    expect(first.locator("#call-waiter")).to_be_visible()
    expect(first.locator("#headcount-sheet")).to_be_hidden()
    floor = client.get("/api/v1/floor", headers=auth(staff_token(client, store))).get_json()
    assert next(t for t in floor["tables"] if t["code"] == "E5")["session"]["headcount"] == 4
    first.context.close()
    second.context.close()


def test_axe_finds_nothing_serious_on_any_view_of_the_diner_page(client, live_server, browser):
    from tests.e2e.a11y import serious_violations

    store = make_store()
    db.session.execute(update(Store).where(Store.id == store.id).values(ask_headcount=True))
    db.session.commit()
    table = make_table(store, code="F6")
    make_item(store, name="小炒肉", price=4200, groups=[("辣度", 1, 1, [("微辣", 0), ("特辣", 0)])])
    make_item(store, name="米饭", price=300)
    page = browser.new_context(**PHONE, reduced_motion="reduce").new_page()  # sheets without their rise
    page.goto(f"{live_server}/t/{token_of(table)}")
    expect(page.locator("#headcount-sheet")).to_be_visible()
    seen = {"headcount": serious_violations(page)}
    page.get_by_role("button", name="2 位", exact=True).click()
    _add(page, "米饭")
    expect(page.locator("#cart-count")).to_have_text("1")
    seen["menu"] = serious_violations(page)
    page.get_by_role("button", name="添加小炒肉").click()
    expect(page.locator("#option-sheet")).to_be_visible()
    seen["options"] = serious_violations(page)
    page.locator("#option-sheet [data-close]").click()
    page.locator("#checkout").click()
    expect(page.locator("#cart-sheet")).to_be_visible()
    seen["cart"] = serious_violations(page)
    page.locator("#submit").click()
    expect(page.locator("#order-list .order")).to_have_count(1)
    expect(page.locator("#cart-sheet")).to_be_hidden()
    seen["orders"] = serious_violations(page)
    page.locator("#call-waiter").click()
    expect(page.locator("#call-sheet")).to_be_visible()
    seen["calls"] = serious_violations(page)
    page.goto(f"{live_server}/t/no-such-table")
    expect(page.locator("#error-text")).to_be_visible()
    seen["unknown table"] = serious_violations(page)
    found = {view: [(v["id"], v["targets"][:4], v["summary"][:1]) for v in f] for view, f in seen.items() if f}
    assert found == {}
    page.context.close()
