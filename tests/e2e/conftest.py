"""A real Chromium (Debian's, never a downloaded one), driven by Playwright."""
from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-quic", "--disable-sync"]
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True, "locale": "zh-CN"}


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture()
def phone(browser):
    ctx = browser.new_context(**PHONE)
    yield ctx
    ctx.close()


@pytest.fixture()
def wall_screen(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    yield ctx
    ctx.close()


def open_kitchen(context: BrowserContext, live_server: str, store_slug: str,
                 username: str = "chef", password: str = "cook-pass-1") -> Page:
    """The kitchen display, logged in as a cook of the store, showing its (empty) board."""
    page = context.new_page()
    page.goto(f"{live_server}/kds")
    page.click("#mode-staff")
    page.fill("#store", store_slug)
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#login-submit")
    expect(page.locator("#board")).to_be_visible()
    return page
