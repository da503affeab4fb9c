"""Pure rules of reports and coupons: business days, quarter-hours, rounding, percentiles, coupon terms."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain import coupons, reporting
from domain.errors import InvalidState, ValidationFailed

SHANGHAI, KOLKATA, KATHMANDU = ZoneInfo("Asia/Shanghai"), ZoneInfo("Asia/Kolkata"), ZoneInfo("Asia/Kathmandu")


def test_a_shanghai_business_day_starts_at_four_pm_utc_the_day_before():
    w = reporting.day_window(date(2026, 11, 3), SHANGHAI)
    assert w.start == datetime(2026, 11, 2, 16, tzinfo=UTC) and w.end == datetime(2026, 11, 3, 16, tzinfo=UTC)


def test_a_day_when_clocks_go_back_is_25_hours():
    w = reporting.day_window(date(2026, 10, 25), ZoneInfo("Europe/Berlin"))
    assert w.end - w.start == timedelta(hours=25)


@pytest.mark.parametrize("zone,index,local_hour", [(KOLKATA, 0, 0), (KOLKATA, 62, 15), (KOLKATA, 64, 16),
                                                  (KATHMANDU, 3, 0), (KATHMANDU, 4, 1), (SHANGHAI, 95, 23)])
def test_every_quarter_hour_of_a_day_falls_inside_one_local_hour_even_in_odd_zones(zone, index, local_hour):
    w = reporting.day_window(date(2026, 11, 3), zone)
    start = reporting.quarter_start(w.start, index, zone)
    assert start.date() == date(2026, 11, 3) and start.minute % 15 == 0
    assert start.hour == local_hour and (start + timedelta(minutes=14, seconds=59)).hour == local_hour


def test_rounding_is_half_up_in_whole_fen():
    assert reporting.round_div(5, 2) == 3 and reporting.round_div(4, 3) == 1 and reporting.round_div(7, 0) == 0


@pytest.mark.parametrize("values,p50,p90", [([], None, None), ([60], 60, 60), ([30, 10, 20], 20, 30),
                                            (list(range(1, 11)), 5, 9), (list(range(1, 12)), 6, 10)])
def test_percentiles_are_nearest_rank(values, p50, p90):
    ordered = sorted(values)
    assert reporting.percentile(ordered, 50) == p50 and reporting.percentile(ordered, 90) == p90


def test_ranges_run_forward_and_at_most_a_year():
    reporting.check_range(date(2025, 1, 1), date(2025, 12, 31))
    reporting.check_range(date(2024, 1, 1), date(2024, 12, 31))  # leap year: 366 days
    with pytest.raises(ValidationFailed):
        reporting.check_range(date(2025, 1, 2), date(2025, 1, 1))
    with pytest.raises(ValidationFailed):
        reporting.check_range(date(2025, 1, 1), date(2026, 1, 2))
    assert reporting.previous_period(date(2026, 11, 2), date(2026, 11, 8)) == (date(2026, 10, 26), date(2026, 11, 1))


def test_a_coupon_always_leaves_a_fen_to_pay_and_needs_its_minimum_spend():
    assert coupons.discount("amount_off", 1000, 5000, 7600) == 1000
    assert coupons.discount("amount_off", 1000, 0, 800) == 799
    assert coupons.discount("percent_off", 15, 0, 7600) == 1140
    assert coupons.discount("percent_off", 15, 0, 3) == 0  # 0.45 fen rounds to nothing
    with pytest.raises(InvalidState):
        coupons.discount("amount_off", 1000, 5000, 4999)


def test_coupon_status_moves():
    assert coupons.next_status("active", "pause") == "paused"
    assert coupons.next_status("paused", "resume") == "active"
    assert coupons.next_status("paused", "end") == "ended"
    for current, move in (("paused", "pause"), ("active", "resume"), ("ended", "resume"), ("ended", "end")):
        with pytest.raises(InvalidState):
            coupons.next_status(current, move)
