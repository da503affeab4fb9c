"""The cashier's pure rules: item codes, equal splits, discounts and role limits, cash and the drawer."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.checkout import (
    DiscountAsk,
    DrawerMoves,
    cash_change,
    check_within_limit,
    close_difference,
    code_candidates,
    discount_amount,
    ean13_valid,
    normalize_code,
    role_limit_bp,
    split_equally,
    table_state,
)
from domain.errors import Forbidden, ValidationFailed


@given(due=st.integers(0, 10_000_000), ways=st.integers(1, 50))
def test_split_shares_always_add_up_to_what_is_due(due: int, ways: int) -> None:
    shares = split_equally(due, ways)
    assert len(shares) == ways
    assert sum(shares) == due
    assert max(shares) - min(shares) <= 1
    assert shares == sorted(shares, reverse=True)  # the odd fen go to the first payers


def test_split_of_ten_yuan_three_ways() -> None:
    assert split_equally(1000, 3) == [334, 333, 333]


@pytest.mark.parametrize("ways", [0, -1, 51])
def test_split_refuses_silly_ways(ways: int) -> None:
    with pytest.raises(ValidationFailed):
        split_equally(1000, ways)


def test_ean13_check_digit() -> None:
    assert ean13_valid("6901234567892")
    assert not ean13_valid("6901234567893")
    assert normalize_code(" 6901234567892 ") == "6901234567892"
    assert normalize_code("DISH-12") == "DISH-12"
    with pytest.raises(ValidationFailed):
        normalize_code("6901234567893")
    for bad in ("", " ", "x" * 65, "a\x00b"):
        with pytest.raises(ValidationFailed):
            normalize_code(bad)


def test_a_upc_a_scan_finds_its_ean13() -> None:
    assert "0012345678905" in code_candidates("012345678905")
    assert "012345678905" in code_candidates("0012345678905")


@given(base=st.integers(0, 10_000_000), bp=st.integers(1, 10_000))
def test_percent_discount_never_exceeds_the_base(base: int, bp: int) -> None:
    off = discount_amount(DiscountAsk("percent", bp), base)
    assert 0 <= off <= base


def test_discount_amounts() -> None:
    assert discount_amount(DiscountAsk("percent", 1000), 3800) == 380
    assert discount_amount(DiscountAsk("percent", 1500), 333) == 50  # 49.95 rounds half up
    assert discount_amount(DiscountAsk("amount", 500), 3800) == 500


@pytest.mark.parametrize("ask", [DiscountAsk("percent", 10_001), DiscountAsk("percent", -100),
                                 DiscountAsk("amount", -1), DiscountAsk("amount", 0), DiscountAsk("amount", 3801),
                                 DiscountAsk("free", 10)])
def test_discounts_beyond_100_percent_or_negative_are_refused(ask: DiscountAsk) -> None:
    with pytest.raises(ValidationFailed):
        discount_amount(ask, 3800)


def test_role_limits_are_cumulative() -> None:
    assert role_limit_bp("cashier", 1000, 3000) == 1000
    assert role_limit_bp("manager", 1000, 3000) == 3000
    assert role_limit_bp("owner", 1000, 3000) is None
    assert role_limit_bp("waiter", 1000, 3000) == 0
    check_within_limit(1000, 10_000, 1000)  # exactly 10 %
    with pytest.raises(Forbidden):
        check_within_limit(1001, 10_000, 1000)
    check_within_limit(10_000, 10_000, None)


def test_cash_change_and_the_drawer() -> None:
    assert cash_change(3620, 5000) == 1380
    assert cash_change(3620, None) is None
    with pytest.raises(ValidationFailed):
        cash_change(3620, 3000)
    moves = DrawerMoves(opening=20_000, cash_taken=10_000, change_given=1_380, cash_refunded=500)
    assert moves.expected == 28_120
    assert close_difference(28_120, 28_120, "") == 0
    assert close_difference(28_120, 28_000, "短款，找错零钱") == -120
    with pytest.raises(ValidationFailed):
        close_difference(28_120, 28_000, " ")


def test_table_states() -> None:
    assert table_state(False, 0, 0, 0, 0, False) == "free"
    assert table_state(True, 0, 0, 0, 0, False) == "ordering"
    assert table_state(True, 1, 3800, 3800, 1, False) == "eating"
    assert table_state(True, 1, 3800, 3800, 1, True) == "waiting_to_pay"
    assert table_state(True, 1, 3800, 3800, 0, False) == "waiting_to_pay"
    assert table_state(True, 1, 3800, 0, 1, False) == "paid"
