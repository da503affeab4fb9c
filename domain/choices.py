"""Closed sets of values that several layers share (validation, rules, pages)."""
from __future__ import annotations

PAY_MODES = ("pay_first", "pay_later")
"""pay_first: an order reaches the kitchen once paid; pay_later: at once, the check is paid at the end."""

CALL_KINDS = ("waiter", "bill")
"""Why a diner calls: a waiter, or the bill."""

CALL_REASONS = ("", "water", "tableware", "hurry")
"""Why a diner calls the waiter: "" (just come), water (加水), tableware (餐具), hurry (催单: a round is
late; names the round). Only for ``waiter`` calls; a call without a reason works as it always did."""
