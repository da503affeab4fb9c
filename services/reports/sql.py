"""SQL pieces the reports share, written once for SQLite and MariaDB."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Float, Integer, literal, null, select, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

from models import CouponClaim, Discount
from models.base import UTCDateTime


class seconds_between(FunctionElement[float]):  # noqa: N801 - reads like the SQL function it is
    """Seconds from the first timestamp to the second, with fractions, in the database's own terms."""

    type = Float()
    inherit_cache = True
    name = "seconds_between"


@compiles(seconds_between)
def _seconds_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    start, end = list(element.clauses)
    return f"((julianday({compiler.process(end, **kw)}) - julianday({compiler.process(start, **kw)})) * 86400.0)"


@compiles(seconds_between, "mysql")
@compiles(seconds_between, "mariadb")
def _seconds_mysql(element: Any, compiler: Any, **kw: Any) -> str:
    start, end = list(element.clauses)
    return f"(TIMESTAMPDIFF(MICROSECOND, {compiler.process(start, **kw)}, {compiler.process(end, **kw)}) / 1000000.0)"


class quarter_index(FunctionElement[int]):  # noqa: N801
    """Whole quarter-hours from a window's start (a bound UTC datetime) to a timestamp column, in
    exact integer seconds: the one GROUP BY column of every by-hour and by-day figure."""

    type = Integer()
    inherit_cache = True
    name = "quarter_index"


@compiles(quarter_index)
def _quarter_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    start, column = list(element.clauses)
    return (f"((CAST(strftime('%s', {compiler.process(column, **kw)}) AS INTEGER) - "
            f"CAST(strftime('%s', {compiler.process(start, **kw)}) AS INTEGER)) / 900)")


@compiles(quarter_index, "mysql")
@compiles(quarter_index, "mariadb")
def _quarter_mysql(element: Any, compiler: Any, **kw: Any) -> str:
    start, column = list(element.clauses)
    return f"(TIMESTAMPDIFF(SECOND, {compiler.process(start, **kw)}, {compiler.process(column, **kw)}) DIV 900)"


def quarter_columns(column: Any, start: datetime) -> list[ColumnElement[Any]]:
    """The GROUP BY of a by-quarter-hour figure of ``column`` in a window starting at ``start``."""
    return [quarter_index(literal(start, UTCDateTime()), column).label("qi")]


# -- discounts ------------------------------------------------------------------------------
# Every kind of discount is one source: a SELECT of (kind, amount, staff_id, at) for a store and
# a UTC window. The reports sum the union of all sources, so a new kind (the cashier's manual
# check discounts) is wired by adding one function to DISCOUNT_SOURCES.
DiscountSource = Callable[[int, datetime, datetime], Any]


def coupon_discounts(store_id: int, start: datetime, end: datetime) -> Any:
    """Coupons taken off payments that were credited (a reserved coupon is not a discount yet)."""
    return select(literal("coupon").label("kind"), CouponClaim.discount.label("amount"),
                  null().cast(Integer).label("staff_id"), CouponClaim.used_at.label("at")).where(
        CouponClaim.store_id == store_id, CouponClaim.status == "used",
        CouponClaim.used_at >= start, CouponClaim.used_at < end)


def staff_discounts(store_id: int, start: datetime, end: datetime) -> Any:
    """Discounts staff gave on checks (the cashier's, within their role's limit or approved)."""
    return select(literal("manual").label("kind"), Discount.amount.label("amount"),
                  Discount.staff_id.label("staff_id"), Discount.created_at.label("at")).where(
        Discount.store_id == store_id, Discount.created_at >= start, Discount.created_at < end)


DISCOUNT_SOURCES: list[DiscountSource] = [coupon_discounts, staff_discounts]


def discounts(store_id: int, start: datetime, end: datetime) -> Any:
    """All discounts given in the window, as one subquery with columns kind, amount, staff_id, at."""
    selects: list[Any] = [source(store_id, start, end) for source in DISCOUNT_SOURCES]
    union: Any = selects[0] if len(selects) == 1 else union_all(*selects)
    return union.subquery("discounts")
