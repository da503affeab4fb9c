"""Pure rules of coupons: what one takes off, and when it may be claimed or used."""
from __future__ import annotations

from datetime import datetime

from domain.errors import InvalidState, ValidationFailed
from domain.money import format_fen
from domain.reporting import round_div

KINDS = ("amount_off", "percent_off")
STATUS_MOVES = {"pause": ("active", "paused"), "resume": ("paused", "active"), "end": (None, "ended")}


def check_terms(kind: str, value: int, min_spend: int, starts_at: datetime, ends_at: datetime,
                per_diner: int, total: int | None) -> None:
    """Raises ValidationFailed for terms no restaurant means: 0% or 100% off, an empty window, …"""
    problems: dict[str, list[str]] = {}
    if kind not in KINDS:
        problems["kind"] = ["amount_off or percent_off"]
    elif kind == "percent_off" and not 1 <= value <= 99:
        problems["value"] = ["a percentage from 1 to 99"]
    elif kind == "amount_off" and not 1 <= value <= 10_000_000:
        problems["value"] = ["1 to 10000000 fen"]
    if not 0 <= min_spend <= 10_000_000:
        problems["min_spend"] = ["0 to 10000000 fen"]
    if ends_at <= starts_at:
        problems["ends_at"] = ["must be after starts_at"]
    if per_diner < 1:
        problems["per_diner"] = ["at least 1"]
    if total is not None and total < 1:
        problems["total"] = ["at least 1, or null for no limit"]
    if problems:
        raise ValidationFailed("these coupon terms do not work", problems)


def check_open(status: str, starts_at: datetime, ends_at: datetime, now: datetime) -> None:
    """Raises InvalidState unless the coupon is active and ``now`` is inside its window."""
    if status == "paused":
        raise InvalidState("this coupon is paused")
    if status != "active":
        raise InvalidState("this coupon has ended")
    if now < starts_at:
        raise InvalidState("this coupon cannot be used yet")
    if now >= ends_at:
        raise InvalidState("this coupon has expired")


def discount(kind: str, value: int, min_spend: int, due: int) -> int:
    """Fen a coupon takes off ``due``. At least one fen is always left to pay (WeChat Pay takes no
    zero-fen payment). Raises InvalidState below the minimum spend."""
    if due < max(min_spend, 1):
        raise InvalidState("this coupon needs a spend of at least {amount}",
                           {"coupon_id": [f"min spend {format_fen(min_spend)}"]}, amount=format_fen(min_spend))
    off = value if kind == "amount_off" else round_div(due * value, 100)
    return max(0, min(off, due - 1))


def next_status(current: str, move: str) -> str:
    """pause: active → paused; resume: paused → active; end: anything but ended → ended."""
    needed, target = STATUS_MOVES[move]
    if current == "ended":
        raise InvalidState("this coupon has ended")
    if needed is not None and current != needed:
        if move == "pause":
            raise InvalidState("only an active coupon can be paused")
        raise InvalidState("only a paused coupon can be resumed")
    return target
