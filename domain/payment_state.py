"""Payment states, and the checks a WeChat Pay transaction must pass before it credits anything."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.errors import InvalidState

PAYMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    "created": frozenset({"paying", "paid", "closed"}),
    "paying": frozenset({"paid", "closed"}),
    "paid": frozenset(),  # refunds are their own rows
    "closed": frozenset({"paid"}),  # money that arrived after we gave up is still the diner's money
}
CREDITABLE = frozenset({"created", "paying", "closed"})
IN_FLIGHT = frozenset({"created", "paying"})  # the diner may still pay it in WeChat's sheet


def flight_key(table_session_id: int, order_id: int | None = None, share: str | None = None) -> str:
    """The scope in which at most one payment may be in flight: the order when paying first, a
    share of a split check (``share``: e.g. ``"2/3"`` or the paid lines' ids), else the check."""
    if order_id is not None:
        return f"order:{order_id}"
    return f"share:{table_session_id}:{share}"[:40] if share else f"check:{table_session_id}"


def free_to_pay(total: int, paid: int, in_flight: int) -> int:
    """What a new payment may still take: the total, less what was paid and what payments in
    flight may yet take. Every payment is created for at most this, so paid + in flight never
    passes the total while the check row is locked."""
    return max(total - paid - in_flight, 0)


def overpaid_by(total: int, paid_before: int, amount: int) -> int:
    """The part of a credit of ``amount`` beyond what the check still owed (0 when it fits)."""
    return max(0, min(amount, paid_before + amount - total))


def payment_transition(current: str, target: str) -> str:
    if target not in PAYMENT_TRANSITIONS.get(current, frozenset()):
        raise InvalidState("payment cannot go from {current} to {target}", current=current, target=target)
    return target


def new_out_trade_no(store_id: int, now: datetime) -> str:
    """``DC<store>-<yyMMddHHmmss><random>``: 6-32 of WeChat's allowed characters, unique."""
    return f"DC{store_id}-{now:%y%m%d%H%M%S}{secrets.token_hex(6).upper()}"[:32]


@dataclass(frozen=True)
class Expected:
    out_trade_no: str
    amount: int
    mchid: str
    appid: str


def mismatch(transaction: dict[str, Any], expected: Expected) -> str | None:
    """Why a verified transaction must not credit our payment (None when it may)."""
    raw = transaction.get("amount")
    amount: dict[str, Any] = raw if isinstance(raw, dict) else {}
    if transaction.get("out_trade_no") != expected.out_trade_no:
        return "out_trade_no differs"
    if transaction.get("mchid") != expected.mchid:
        return "merchant differs"
    if transaction.get("appid") != expected.appid:
        return "app differs"
    if amount.get("total") != expected.amount:
        return f"amount {amount.get('total')} differs from {expected.amount}"
    if amount.get("currency", "CNY") != "CNY":
        return "currency differs"
    if transaction.get("trade_state") != "SUCCESS":
        return f"trade_state {transaction.get('trade_state')}"
    return None
