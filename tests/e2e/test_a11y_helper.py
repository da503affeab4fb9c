"""The axe-core helper finds what it should: it can fail, and it runs under the pages' CSP."""
from __future__ import annotations

import pytest

from tests.e2e.a11y import assert_no_serious_violations, serious_violations

LOW_CONTRAST = """<!doctype html><html lang="zh-CN"><head><title>t</title></head><body><main>
<p style="color:#fff;background:#ff6a00">白字橙底</p><button style="color:#8a8f99;background:#fff">重试</button>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
</main></body></html>"""
GOOD = """<!doctype html><html lang="zh-CN"><head><title>t</title></head><body><main>
<p style="color:#fff;background:#b34700">白字深橙底</p><button style="color:#4b5058;background:#fff">重试</button>
</main></body></html>"""


def test_low_contrast_and_missing_alt_are_found(browser) -> None:
    page = browser.new_page()
    page.set_content(LOW_CONTRAST)
    found = {v["id"]: v for v in serious_violations(page)}
    assert "color-contrast" in found and len(found["color-contrast"]["targets"]) == 2
    assert "image-alt" in found
    with pytest.raises(AssertionError, match="color-contrast"):
        assert_no_serious_violations(page)
    page.set_content(GOOD)
    assert_no_serious_violations(page)
    page.close()


def test_runs_on_a_page_with_the_content_security_policy(browser, live_server) -> None:
    page = browser.new_page()
    page.goto(f"{live_server}/kds")
    assert isinstance(serious_violations(page), list)  # injected despite script-src 'self'
    page.close()
