"""Pure rules of the cashier: item codes, splitting a check, discounts, cash change, shift cash.

No Flask and no database: every rule here is tested on its own (tests/domain/test_checkout.py).
"""
from __future__ import annotations

from dataclasses import dataclass

from domain.errors import Forbidden, ValidationFailed

MAX_CODE = 64
MAX_WAYS = 50
FULL_BP = 10_000  # 100 % in basis points


# -- item codes ------------------------------------------------------------------------------
def ean13_valid(code: str) -> bool:
    """Whether 13 digits carry a correct EAN-13 check digit (weights 1,3,1,3… from the left)."""
    if len(code) != 13 or not code.isdigit():
        return False
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(code[:12]))
    return (10 - total % 10) % 10 == int(code[12])


def normalize_code(raw: str) -> str:
    """An item code as stored: trimmed, printable, at most 64 characters; 13 digits must be a
    valid EAN-13 (a mistyped shelf label would otherwise ring up nothing, or the wrong thing).

    Raises ValidationFailed.
    """
    code = raw.strip()
    if not 1 <= len(code) <= MAX_CODE or not code.isprintable():
        raise ValidationFailed("a code is 1 to 64 printable characters", {"code": ["1 to 64 printable characters"]})
    if len(code) == 13 and code.isdigit() and not ean13_valid(code):
        raise ValidationFailed("not a valid EAN-13 (check digit)", {"code": ["EAN-13 check digit is wrong"]})
    return code


def code_candidates(scanned: str) -> list[str]:
    """What a scan may match: the code itself, and a UPC-A (12 digits) as the EAN-13 it is
    (scanners report the same barcode either way)."""
    code = scanned.strip()
    out = [code]
    if len(code) == 12 and code.isdigit():
        out.append("0" + code)
    if len(code) == 13 and code.startswith("0") and code.isdigit():
        out.append(code[1:])
    return out


# -- splitting a check -----------------------------------------------------------------------
def split_equally(due: int, ways: int) -> list[int]:
    """``ways`` shares in fen that add up exactly to ``due``: the first ``due % ways`` shares
    carry one fen more, so no fen is lost or invented. Raises ValidationFailed."""
    if not 1 <= ways <= MAX_WAYS:
        raise ValidationFailed("ways must be 1 to 50", {"ways": [f"1 to {MAX_WAYS}"]})
    if due < 0:
        raise ValidationFailed("nothing negative is due", {"due": [">= 0"]})
    base, extra = divmod(due, ways)
    return [base + 1 if i < extra else base for i in range(ways)]


def order_share(order_net: int, unpaid_nets: int, free: int) -> int:
    """What one unpaid order of a pay-first check asks, in fen.

    ``order_net``: the order less the discounts on its own lines; ``unpaid_nets``: the same for
    every unpaid order of the check (this one included); ``free``: what the check still owes and
    nobody is paying. What the check owes less than its unpaid orders cost (a discount on the
    whole check, a coupon, lines paid at the till) is taken off each order in proportion, rounded
    down, so the last unpaid order asks exactly what is left: the orders always add up to what
    the check owes, and no order asks more than is free.
    """
    if order_net <= 0 or unpaid_nets <= 0 or free <= 0:
        return 0
    off = max(unpaid_nets - free, 0)
    return max(min(order_net - off * order_net // unpaid_nets, free), 0)


# -- discounts -------------------------------------------------------------------------------
@dataclass(frozen=True)
class DiscountAsk:
    kind: str  # percent | amount
    value: int  # percent: basis points (1000 = 10 %); amount: fen


def discount_amount(ask: DiscountAsk, base: int) -> int:
    """Fen off ``base`` (what the discount applies to). Percent rounds half up to the fen.

    Raises ValidationFailed for a negative value, more than 100 %, or more than the base.
    """
    if ask.kind not in ("percent", "amount"):
        raise ValidationFailed("kind is percent or amount", {"kind": ["percent or amount"]})
    if ask.value <= 0:
        raise ValidationFailed("a discount is more than nothing", {"value": ["must be positive"]})
    if ask.kind == "percent":
        if ask.value > FULL_BP:
            raise ValidationFailed("more than 100 %", {"value": ["at most 10000 (100 %)"]})
        return (base * ask.value + FULL_BP // 2) // FULL_BP
    if ask.value > base:
        raise ValidationFailed("more than there is to discount", {"value": [f"at most {base}"]})
    return ask.value


def role_limit_bp(role: str, cashier_bp: int, manager_bp: int) -> int | None:
    """The largest share of a check (basis points) a role may take off; None: no limit (owner)."""
    if role == "owner":
        return None
    if role == "manager":
        return manager_bp
    if role == "cashier":
        return cashier_bp
    return 0


def check_within_limit(total_off: int, base: int, limit_bp: int | None) -> None:
    """Raise Forbidden when ``total_off`` (every discount on the check, the new one included)
    is more than ``limit_bp`` of ``base``. Cumulative on purpose: ten 10 % discounts are not 10 %."""
    if limit_bp is None:
        return
    if total_off * FULL_BP > base * limit_bp:
        raise Forbidden("beyond your discount limit of {limit} %; ask a manager",
                        {"limit_bp": [str(limit_bp)]}, limit=f"{limit_bp / 100:g}")


# -- cash ------------------------------------------------------------------------------------
def cash_change(amount: int, tendered: int | None) -> int | None:
    """Change for cash: tendered − amount; None when nothing was said about the notes handed over.
    Raises ValidationFailed when less than the amount was handed over."""
    if tendered is None:
        return None
    if tendered < amount:
        raise ValidationFailed("less cash than the amount", {"tendered": [f"at least {amount}"]})
    return tendered - amount


@dataclass(frozen=True)
class DrawerMoves:
    opening: int
    cash_taken: int  # notes handed over (tendered, or the amount when no tendered was given)
    change_given: int
    cash_refunded: int

    @property
    def expected(self) -> int:
        """What the drawer should hold: float + cash taken − change given − cash refunded."""
        return self.opening + self.cash_taken - self.change_given - self.cash_refunded


def close_difference(expected: int, counted: int, note: str) -> int:
    """counted − expected; a drawer that does not match needs a note. Raises ValidationFailed."""
    difference = counted - expected
    if difference != 0 and not note.strip():
        raise ValidationFailed("the drawer does not match: say why", {"note": ["required when there is a difference"]})
    return difference


# -- the floor -------------------------------------------------------------------------------
def table_state(has_check: bool, orders: int, total: int, due: int, unserved: int, bill_asked: bool) -> str:
    """The state a table shows on the cashier's grid: free, ordering, eating, waiting_to_pay, paid."""
    if not has_check:
        return "free"
    if orders == 0:
        return "ordering"  # a check with a cart, nothing sent yet
    if due == 0 and total > 0:
        return "paid"
    if bill_asked or unserved == 0:
        return "waiting_to_pay"
    return "eating"
