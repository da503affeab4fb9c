"""The payment state machine and the checks a WeChat Pay transaction must pass."""
from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from domain.errors import InvalidState
from domain.payment_state import (
    CREDITABLE,
    IN_FLIGHT,
    Expected,
    flight_key,
    free_to_pay,
    mismatch,
    new_out_trade_no,
    overpaid_by,
    payment_transition,
)

EXPECTED = Expected("DC1-ABC123", 5000, "1900000001", "wx123")
GOOD = {"out_trade_no": "DC1-ABC123", "mchid": "1900000001", "appid": "wx123", "trade_state": "SUCCESS",
        "amount": {"total": 5000, "currency": "CNY"}}


def test_allowed_and_forbidden_moves():
    assert payment_transition("created", "paying") == "paying"
    assert payment_transition("paying", "paid") == "paid"
    assert payment_transition("closed", "paid") == "paid"  # money that came after we gave up
    for current, target in (("paid", "paying"), ("paid", "closed"), ("paying", "created")):
        with pytest.raises(InvalidState):
            payment_transition(current, target)
    assert "paid" not in CREDITABLE


def test_a_matching_transaction_may_credit():
    assert mismatch(GOOD, EXPECTED) is None


@pytest.mark.parametrize(("change", "reason"), [
    ({"out_trade_no": "DC1-OTHER"}, "out_trade_no"), ({"mchid": "1"}, "merchant"), ({"appid": "wx9"}, "app"),
    ({"amount": {"total": 4999, "currency": "CNY"}}, "amount"),
    ({"amount": {"total": 5000, "currency": "USD"}}, "currency"),
    ({"trade_state": "NOTPAY"}, "trade_state"), ({"amount": None}, "amount")])
def test_anything_that_differs_stops_the_credit(change, reason):
    assert reason in mismatch(GOOD | change, EXPECTED)


def test_out_trade_no_follows_wechats_rule():
    for store_id in (1, 123456):
        no = new_out_trade_no(store_id, datetime.now(UTC))
        assert re.fullmatch(r"[A-Za-z0-9_\-|*]{6,32}", no)
    assert new_out_trade_no(1, datetime.now(UTC)) != new_out_trade_no(1, datetime.now(UTC))


def test_one_payment_in_flight_per_order_or_check():
    assert flight_key(12) == "check:12"
    assert flight_key(12, order_id=34) == "order:34"
    assert flight_key(12, share="2/3") == "share:12:2/3"  # each share of a split check on its own
    assert IN_FLIGHT < CREDITABLE and "closed" not in IN_FLIGHT


def test_a_new_payment_may_take_only_what_is_neither_paid_nor_in_flight():
    assert free_to_pay(4400, 0, 0) == 4400
    assert free_to_pay(6600, 0, 4400) == 2200  # a new round while the first is being paid
    assert free_to_pay(4400, 2200, 2200) == 0
    assert free_to_pay(2200, 4400, 0) == 0  # never negative, even when overpaid


def test_the_part_of_a_credit_beyond_what_was_owed():
    assert overpaid_by(4400, 0, 4400) == 0
    assert overpaid_by(4400, 4400, 4400) == 4400  # the check was paid some other way
    assert overpaid_by(4400, 2200, 4400) == 2200
    assert overpaid_by(0, 2200, 4400) == 4400  # never more than the credit itself
