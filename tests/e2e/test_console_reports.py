"""An owner reads the daily close with its charts on a phone and on a laptop, switches to the week,
opens a chart as a table and downloads the CSVs."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE
from tests.reports import week

pytestmark = [pytest.mark.e2e, pytest.mark.live]


def sign_in(page, live_server, slug):  # type: ignore[no-untyped-def]
    page.goto(f"{live_server}/console#reports")
    page.fill("#login-store", slug)
    page.fill("#login-username", "owner")
    page.fill("#login-password", "owner-pass")
    page.locator("#login-form button").click()
    expect(page.locator("#store-name")).to_be_visible()


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_owner_reads_todays_close_with_charts_tables_and_csv(app, browser, live_server, size):
    today = datetime.now(week.ZONE).date()
    seeded = week.seed(week.plan(seed=5, first_day=today - timedelta(days=6)))
    want = week.expected_daily(seeded, today, datetime.now(UTC))
    options = PHONE if size == "phone" else {"viewport": {"width": 1280, "height": 860}, "locale": "zh-CN"}
    context = browser.new_context(accept_downloads=True, **options)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, live_server, seeded.store.slug)
    view = page.locator("#view")
    expect(view.locator("h2")).to_have_text("报表")
    net = view.locator("[data-figure=net_sales] strong")
    expect(net).to_have_text(f"¥{want['net_sales'] / 100:.2f}")
    expect(view.locator("[data-figure=orders] strong")).to_have_text(str(want["orders"]))
    for chart in ("sales-by-hour", "payment-mix", "best-sellers", "prep-times"):
        card = view.locator(f"[data-chart={chart}]")
        expect(card.locator("canvas")).to_have_count(1)  # ECharts drew it
    sellers = view.locator("[data-chart=best-sellers]")
    sellers.locator("summary").click()
    rows = sellers.locator("tbody tr")
    expect(rows).to_have_count(len(want["items"]))
    expect(rows.first.locator("td").first).to_have_text(want["items"][0]["name"])
    with page.expect_download() as chart_csv:
        sellers.locator("[data-csv]").click()
    text = open(chart_csv.value.path(), encoding="utf-8-sig", newline="").read()
    assert want["items"][0]["name"] in text and text.count("\r\n") == len(want["items"])
    with page.expect_download() as report_csv:
        view.locator("[data-report-csv]").click()
    assert report_csv.value.suggested_filename == f"daily-{today}.csv"
    if size == "phone":  # nothing wider than the phone: no sideways scrolling
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # the week, with the week before beside it
    view.get_by_role("tab", name="时间段").click()
    expect(view.locator("[data-chart=sales-by-day] canvas")).to_have_count(1)
    week_net = sum(week.expected_day_row(seeded, today - timedelta(days=i))["net_sales"] for i in range(7))
    expect(view.locator("[data-figure=net_sales] strong")).to_have_text(f"¥{week_net / 100:.2f}")
    assert errors == []
    context.close()
