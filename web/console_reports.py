"""Strings of the console's reports and coupons (web/static/console_reports.js), from the catalogue."""
from __future__ import annotations

from flask_babel import gettext as _


def report_strings() -> dict[str, str]:
    return {
        "reports": _("Reports"), "daily_close": _("Daily close"), "date_range": _("Date range"), "show": _("Show"),
        "date": _("Date"), "download_csv": _("CSV"), "download_report_csv": _("Download report (CSV)"),
        "show_table": _("As a table"), "no_business": _("No business on these days yet."),
        "sales_by_hour": _("Sales by hour"), "sales_by_day": _("Sales by day"), "payment_mix": _("Payment mix"),
        "best_sellers": _("Best sellers"), "prep_times": _("Prep time per station (minutes)"),
        "hour": _("Hour"), "orders": _("Orders"), "net_sales": _("Net sales"), "net_sales_yuan": _("Net sales (¥)"),
        "gross_sales": _("Gross sales"), "discounts": _("Discounts"), "service_charge": _("Service charge"),
        "refunds": _("Refunds"), "average_check": _("Average check"), "voids": _("Voids"),
        "voids_line": _("{count} · {amount}"), "checks_turnover": _("Checks · turnover"),
        "previous_date": _("Previous period's day"), "previous_net_sales_yuan": _("Previous net sales (¥)"),
        "this_period": _("This period"), "previous_period": _("Previous period"),
        "compared_with": _("Compared with {from} to {to}."), "channel": _("Channel"), "amount_yuan": _("Amount (¥)"),
        "qty": _("Quantity"), "sales_yuan": _("Sales (¥)"), "tickets": _("Tickets"), "p50_min": _("Median (min)"),
        "p90_min": _("90th percentile (min)"), "late": _("Late"), "recalls": _("Recalls"), "reason": _("Reason"),
        "count": _("Count"), "channel_wechat": _("WeChat Pay"), "channel_cash": _("Cash payments"),
        "channel_other": _("Other"),
        "channel_wechat_code": _("WeChat payment code"), "channel_alipay_code": _("Alipay payment code"),
    }
