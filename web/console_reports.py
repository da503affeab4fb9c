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
        # coupons
        "coupons": _("Coupons"), "new_coupon": _("New coupon"), "no_coupons": _("No coupons yet."),
        "coupon_name": _("Coupon"), "coupon_kind": _("Kind"), "amount_off": _("Amount off"),
        "percent_off": _("Percent off"), "coupon_value": _("Value"),
        "coupon_value_hint": _("Yuan off, or the percentage off: 15 takes off 15 percent."),
        "coupon_min_spend_yuan": _("Minimum spend (¥)"), "coupon_min_spend": _("min. spend"),
        "coupon_starts": _("Valid from"), "coupon_ends": _("Valid until"), "coupon_per_diner": _("Per diner"),
        "coupon_total": _("In total"), "coupon_total_hint": _("Empty: no limit."), "coupon_terms": _("Terms"),
        "coupon_claimed": _("Claimed"), "coupon_used": _("Used"), "coupon_discount": _("Discount total"),
        "coupon_net_with": _("Net sales with it (30 days)"), "coupon_pause": _("Pause"),
        "coupon_resume": _("Resume"), "coupon_end": _("End"), "coupon_active": _("Active"),
        "coupon_paused": _("Paused"), "coupon_ended": _("Ended"), "coupon_percent_fmt": _("{percent} percent off"),
        "coupon_name_needed": _("Give the coupon a name."), "coupon_percent_range": _("A percentage from 1 to 99."),
        "coupon_amount_bad": _("An amount in yuan, like 10 or 12.50."),
        "coupon_window_needed": _("Give both dates."), "status": _("Status"),
    }
