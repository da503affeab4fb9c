"""Payment codes (付款码): which provider a scanned code belongs to, and what a provider said.

Pure: no I/O. The WeChat Pay client (``wechat/pay.py``) and the Alipay client (``alipay_open/client.py``) turn
their providers' answers into :class:`CodeAnswer`; ``services/codepay.py`` decides from it, and
credits a payment only on a *verified query* answer (:func:`creditable`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, Protocol

CodeChannel = Literal["wechat_code", "alipay_code"]

_WECHAT = re.compile(r"1[0-5]\d{16}")        # 18 digits starting 10-15
_ALIPAY = re.compile(r"(2[5-9]|30)\d{14,22}")  # 16-24 digits starting 25-30

POLL_SECONDS = 5
"""How often a payment whose payer is confirming on the phone is queried."""
GIVE_UP_SECONDS = 60
"""A payment not paid this long after it was created is reversed (cancelled) and never credited."""


def channel_of(auth_code: str) -> CodeChannel | None:
    """The channel a scanned payment code belongs to, or None when it is no known code."""
    if _WECHAT.fullmatch(auth_code):
        return "wechat_code"
    if _ALIPAY.fullmatch(auth_code):
        return "alipay_code"
    return None


State = Literal["paid", "paying", "failed", "unknown"]
"""paid: the money is taken; paying: the payer is confirming (password) on the phone;
failed: no money was or will be taken (refused, closed, reversed); unknown: the provider's answer
did not say (network, system error): ask again with a query."""


@dataclass(frozen=True)
class CodeAnswer:
    state: State
    out_trade_no: str
    amount: int | None = None            # fen the provider says it took (paid only)
    merchant: str | None = None          # mchid / seller id the provider names
    app: str | None = None               # appid the provider names
    transaction_id: str | None = None    # the provider's trade number
    code: str | None = None              # the provider's error / state code, for logs and the page
    message: str | None = None           # the provider's text, for the page


@dataclass(frozen=True)
class ReverseAnswer:
    done: bool          # the trade is closed/reversed at the provider (no money taken, or given back)
    retry: bool = False  # refused for now (e.g. payer still entering the password): try again soon
    code: str | None = None


class CodeProvider(Protocol):
    """What services/codepay.py needs of WeChat Pay's and Alipay's payment-code APIs."""

    channel: CodeChannel
    merchant: str
    app: str

    def pay(self, out_trade_no: str, auth_code: str, amount: int, description: str) -> CodeAnswer: ...

    def query(self, out_trade_no: str) -> CodeAnswer: ...

    def reverse(self, out_trade_no: str) -> ReverseAnswer: ...

    def refund(self, out_trade_no: str, out_refund_no: str, amount: int, total: int, reason: str) -> bool:
        """True when the provider accepted (or already made) the refund."""
        ...


def creditable(answer: CodeAnswer, out_trade_no: str, amount: int, merchant: str, app: str) -> bool:
    """A query answer credits a payment only when it is paid and names exactly our trade, amount,
    merchant and app."""
    return (answer.state == "paid" and answer.out_trade_no == out_trade_no and answer.amount == amount
            and answer.merchant == merchant and answer.app == app)
