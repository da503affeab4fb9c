"""The start page says what each page is for, in Chinese, and reads well for everyone."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.a11y import assert_no_serious_violations

pytestmark = [pytest.mark.e2e, pytest.mark.live]


def test_the_start_page_says_what_each_page_is_for(live_server, phone):
    page = phone.new_page()
    page.goto(f"{live_server}/")
    pages = page.locator(".landing-pages li")
    expect(pages).to_have_count(3)
    expect(pages.nth(0)).to_contain_text("厨房")
    expect(pages.nth(1)).to_contain_text("收银")
    expect(pages.nth(2)).to_contain_text("操作日志")
    for i in range(3):
        assert len(pages.nth(i).locator("span").inner_text()) > 10  # a sentence, not just a link
    assert_no_serious_violations(page)
