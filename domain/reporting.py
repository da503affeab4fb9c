"""Pure rules of the reports: business days in the store's zone, ranges, rounding, percentiles.

A business day is a calendar day in the store's time zone; the database keeps UTC, so a day is
the UTC interval between two local midnights (23 or 25 hours long where clocks change).
Every time-zone offset in use is a multiple of 15 minutes, so a quarter-hour counted from a
local midnight always falls inside one local hour: figures are summed in SQL by quarter-hours
since the window's start (one integer column) and placed into local hours and days here.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from domain.errors import ValidationFailed

MAX_RANGE_DAYS = 366  # a year, leap or not


@dataclass(frozen=True)
class Window:
    """Half-open UTC interval [start, end) of one or more business days of a store."""

    start: datetime
    end: datetime


def day_window(day: date, zone: ZoneInfo) -> Window:
    return days_window(day, day, zone)


def days_window(first: date, last: date, zone: ZoneInfo) -> Window:
    """From local midnight starting ``first`` to local midnight after ``last``, in UTC."""
    start = datetime.combine(first, time.min, zone).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time.min, zone).astimezone(UTC)
    return Window(start, end)


def check_range(first: date, last: date) -> None:
    """Raises ValidationFailed unless ``first`` ≤ ``last`` and the range is at most a year."""
    if last < first:
        raise ValidationFailed("'to' is before 'from'", {"to": ["must not be before from"]})
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        raise ValidationFailed("a range covers at most a year", {"to": [f"at most {MAX_RANGE_DAYS} days"]})


def previous_period(first: date, last: date) -> tuple[date, date]:
    """The same number of days just before: a week against the week before (Square's view)."""
    days = (last - first).days + 1
    return first - timedelta(days=days), first - timedelta(days=1)


def days_of(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def quarter_start(window_start: datetime, index: int, zone: ZoneInfo) -> datetime:
    """The local time at which the ``index``-th quarter-hour after a window's start begins (the
    window starts at a local midnight, so its quarters are quarters of local hours too)."""
    return (window_start + timedelta(minutes=15 * index)).astimezone(zone)


def round_div(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half up, in integers (fen stay exact); 0 when nothing to divide by."""
    if denominator <= 0:
        return 0
    return (2 * numerator + denominator) // (2 * denominator)


def percentile_rank(count: int, pct: int) -> int:
    """Nearest-rank percentile: the 1-based position in the sorted values (0 when there are none)."""
    if count <= 0:
        return 0
    return max(1, math.ceil(pct * count / 100))


def percentile(sorted_values: list[float], pct: int) -> float | None:
    """Nearest-rank percentile of sorted values; None for none (what the SQL OFFSET look-up mirrors)."""
    rank = percentile_rank(len(sorted_values), pct)
    return sorted_values[rank - 1] if rank else None


def turnover(checks: int, tables: int) -> float:
    """Checks per table, to two decimals."""
    return round(checks / tables, 2) if tables else 0.0


# Channels as the contract names them; the payments table says wechat_jsapi for the diner's JSAPI pay.
CHANNEL_NAMES = {"wechat_jsapi": "wechat"}


def channel_name(stored: str) -> str:
    return CHANNEL_NAMES.get(stored, stored)
