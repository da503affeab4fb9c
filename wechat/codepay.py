"""WeChat Pay's payment codes as a ``domain.codepay.CodeProvider``: the app's one WeChat Pay client
(``wechat/pay.py``) speaking codepay, query, reverse and refund, its answers turned into
``CodeAnswer`` / ``ReverseAnswer``.

What WeChat says, and what it means here:
- codepay 200 with ``trade_state`` SUCCESS: paid (still only a *query* answer credits);
  202 ``USERPAYING``: the payer is entering the password (paying);
  ``SYSTEM_ERROR`` / ``BANK_ERROR`` / no answer: unknown — the trade may exist, ask with a query;
  any other refusal (``TRADE_ERROR``: the code is used or expired, ``NOT_ENOUGH``, …): failed.
- query: SUCCESS paid; USERPAYING (and NOTPAY, ACCEPT) paying; PAYERROR, CLOSED, REVOKED, REFUND
  failed (no money kept); ``ORDER_NOT_EXIST`` unknown (the codepay may still be on its way).
- reverse: done; ``ORDER_NOT_EXIST`` done (nothing to reverse); ``USERPAYING``, ``SYSTEM_ERROR``,
  ``BANK_ERROR``, ``FREQUENCY_LIMITED`` or no answer: try again shortly; anything else refused.
"""
from __future__ import annotations

from typing import Any

from domain.codepay import CodeAnswer, CodeChannel, ReverseAnswer
from wechat.pay import PayError, WechatPay

AGAIN = frozenset({"USERPAYING", "SYSTEM_ERROR", "BANK_ERROR", "FREQUENCY_LIMITED"})
PAID = frozenset({"SUCCESS"})
PAYING = frozenset({"USERPAYING", "NOTPAY", "ACCEPT"})


class WechatCodeProvider:
    channel: CodeChannel = "wechat_code"

    def __init__(self, client: WechatPay, refund_notify_url: str | None = None) -> None:
        self.client = client
        self.merchant = client.cfg.mchid
        self.app = client.cfg.appid
        self.refund_notify_url = refund_notify_url

    def pay(self, out_trade_no: str, auth_code: str, amount: int, description: str) -> CodeAnswer:
        try:
            status, body = self.client.codepay(out_trade_no, auth_code, amount, description)
        except PayError as exc:
            if exc.code == "USERPAYING":
                return CodeAnswer("paying", out_trade_no, code=exc.code, message=str(exc))
            if exc.status is None or exc.status >= 500 or exc.code in AGAIN:
                return CodeAnswer("unknown", out_trade_no, code=exc.code, message=str(exc))
            return CodeAnswer("failed", out_trade_no, code=exc.code, message=str(exc))
        if status == 202 or body.get("code") == "USERPAYING":
            return CodeAnswer("paying", out_trade_no, code="USERPAYING", message=str(body.get("message", "")))
        return _answer(out_trade_no, body)

    def query(self, out_trade_no: str) -> CodeAnswer:
        try:
            return _answer(out_trade_no, self.client.query(out_trade_no))
        except PayError as exc:
            return CodeAnswer("unknown", out_trade_no, code=exc.code, message=str(exc))

    def reverse(self, out_trade_no: str) -> ReverseAnswer:
        try:
            self.client.reverse(out_trade_no)
        except PayError as exc:
            if exc.code == "ORDER_NOT_EXIST":
                return ReverseAnswer(done=True, code=exc.code)
            if exc.status is None or exc.status >= 500 or exc.code in AGAIN:
                return ReverseAnswer(done=False, retry=True, code=exc.code)
            return ReverseAnswer(done=False, code=exc.code)
        return ReverseAnswer(done=True)

    def refund(self, out_trade_no: str, out_refund_no: str, amount: int, total: int, reason: str) -> bool:
        try:
            answer = self.client.refund(out_trade_no, out_refund_no, amount, total, reason,
                                        self.refund_notify_url or "")
        except PayError:
            return False
        return answer.get("status") in ("SUCCESS", "PROCESSING")


def _answer(out_trade_no: str, txn: dict[str, Any]) -> CodeAnswer:
    """A transaction as WeChat wrote it, in provider-neutral terms (nothing trusted yet: the
    caller checks amount, merchant and app with ``domain.codepay.creditable``)."""
    state = str(txn.get("trade_state", ""))
    raw = txn.get("amount")
    money: dict[str, Any] = raw if isinstance(raw, dict) else {}
    total = money.get("total")
    amount = total if isinstance(total, int) and not isinstance(total, bool) else None
    if money.get("currency", "CNY") != "CNY":
        amount = None
    kind = "paid" if state in PAID else "paying" if state in PAYING else "failed" if state else "unknown"
    return CodeAnswer(kind, str(txn.get("out_trade_no", out_trade_no)), amount=amount,  # type: ignore[arg-type]
                      merchant=_text(txn.get("mchid")), app=_text(txn.get("appid")),
                      transaction_id=_text(txn.get("transaction_id")), code=state or None,
                      message=_text(txn.get("trade_state_desc")))


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None
