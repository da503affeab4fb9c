"""The app's Alipay client for payment codes: face-to-face ``alipay.trade.pay`` (``scene=bar_code``),
``query``, ``cancel`` and ``refund``, as a :class:`domain.codepay.CodeProvider`.

The SDK (``python-alipay-sdk``) builds and RSA2-signs each request and verifies each answer's
signature with Alipay's public key; only its transport is replaced (``alipay_open.http``: pooled,
timed, retried where harmless). An answer that does not verify, or does not come, is ``unknown``:
the payment is then asked about again, never credited on it.

What ``merchant`` and ``app`` mean for Alipay: Alipay's synchronous answers name neither the app
nor the seller. What ties an answer to us is its signature, made with the Alipay key of *our* app
(public-key mode: Alipay's key is given per app) and scoped by Alipay to that app's trades. So
``app`` is the app id (``ALIPAY_APPID``) and ``merchant`` the seller's PID (``ALIPAY_SELLER_ID``,
2088…) the app collects for, and the client puts them on an answer only once its signature
verified with that app's key; :func:`domain.codepay.creditable` then also checks the trade number
and the amount Alipay names (``total_amount``, to the fen).
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import requests
from alipay import AliPay
from alipay.exceptions import AliPayException, AliPayValidationError

from alipay_open.http import KEYED_WRITE, ONCE, QUERY, Policy, pooled_session, post_form
from domain.codepay import CodeAnswer, CodeChannel, ReverseAnswer

log = logging.getLogger(__name__)
POLICIES = {"alipay.trade.pay": ONCE, "alipay.trade.query": QUERY, "alipay.trade.cancel": KEYED_WRITE,
            "alipay.trade.refund": KEYED_WRITE}
PAID = ("TRADE_SUCCESS", "TRADE_FINISHED")
# A pay answered 40004 with these says nothing final about the money: ask with a query.
PAY_UNSETTLED = ("ACQ.SYSTEM_ERROR", "ACQ.TRADE_HAS_SUCCESS")


@dataclass(frozen=True)
class AlipayConfig:
    appid: str
    seller_id: str
    gateway: str
    app_private_key_pem: str
    alipay_public_key_pem: str


class _Sdk(AliPay):  # type: ignore[misc]
    """python-alipay-sdk, sending through our pooled session instead of ``urlopen``."""

    def __init__(self, config: AlipayConfig, session: requests.Session) -> None:
        super().__init__(appid=config.appid, app_private_key_string=config.app_private_key_pem,
                         alipay_public_key_string=config.alipay_public_key_pem, sign_type="RSA2")
        self._gateway = config.gateway
        self._session = session

    def verified_sync_response(self, data: dict[str, Any], response_type: str) -> dict[str, Any]:
        policy: Policy = POLICIES.get(data["method"], ONCE)
        resp = post_form(self._session, self._gateway, self.sign_data(data), policy)
        if resp.status_code != 200:
            raise AliPayException(str(resp.status_code), f"gateway answered HTTP {resp.status_code}")
        answer: dict[str, Any] = self._verify_and_return_sync_response(resp.content.decode("utf-8"), response_type)
        return answer


def yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def fen(value: Any) -> int | None:
    """Alipay's yuan amount as fen, or None unless it is exact to the fen."""
    try:
        amount = Decimal(str(value))
        exact = amount.is_finite() and abs(amount) < 10**12 and amount == amount.quantize(Decimal("0.01"))
    except InvalidOperation:
        return None
    return int(amount * 100) if exact else None


class AlipayCodeProvider:
    """Alipay payment codes for services/codepay.py. Thread-safe: one per process."""

    channel: CodeChannel = "alipay_code"

    def __init__(self, config: AlipayConfig, session: requests.Session | None = None) -> None:
        self.merchant = config.seller_id
        self.app = config.appid
        self._sdk = _Sdk(config, session or pooled_session())

    def _call(self, fn_name: str, **kwargs: Any) -> dict[str, Any] | None:
        """The verified answer, or None when there is none to believe (network, bad signature)."""
        try:
            answer: dict[str, Any] = getattr(self._sdk, fn_name)(**kwargs)
        except (requests.RequestException, AliPayException, AliPayValidationError, ValueError, KeyError) as exc:
            log.warning("alipay %s: no answer to believe (%s)", fn_name, type(exc).__name__)
            return None
        return answer

    def _paid(self, out_trade_no: str, r: dict[str, Any]) -> CodeAnswer:
        return CodeAnswer(state="paid", out_trade_no=str(r.get("out_trade_no", "")), amount=fen(r.get("total_amount")),
                          merchant=self.merchant, app=self.app, transaction_id=r.get("trade_no"),
                          code=r.get("trade_status") or r.get("code"))

    def pay(self, out_trade_no: str, auth_code: str, amount: int, description: str) -> CodeAnswer:
        r = self._call("api_alipay_trade_pay", out_trade_no=out_trade_no, scene="bar_code", auth_code=auth_code,
                       subject=description[:256], total_amount=yuan(amount), product_code="FACE_TO_FACE_PAYMENT")
        if r is None:
            return CodeAnswer(state="unknown", out_trade_no=out_trade_no)
        code, sub_code = r.get("code"), r.get("sub_code")
        if code == "10000":
            return self._paid(out_trade_no, r)
        if code == "10003":
            return CodeAnswer(state="paying", out_trade_no=out_trade_no, transaction_id=r.get("trade_no"),
                              code="10003", message="等待用户付款")
        if code == "20000" or sub_code in PAY_UNSETTLED:
            return CodeAnswer(state="unknown", out_trade_no=out_trade_no, code=sub_code or code)
        return CodeAnswer(state="failed", out_trade_no=out_trade_no, code=sub_code or code,
                          message=r.get("sub_msg") or r.get("msg"))

    def query(self, out_trade_no: str) -> CodeAnswer:
        r = self._call("api_alipay_trade_query", out_trade_no=out_trade_no)
        if r is None:
            return CodeAnswer(state="unknown", out_trade_no=out_trade_no)
        if r.get("code") != "10000":
            # ACQ.TRADE_NOT_EXIST included: a pay still on its way may yet make the trade; only a
            # cancel closes the out_trade_no for good.
            return CodeAnswer(state="unknown", out_trade_no=out_trade_no, code=r.get("sub_code") or r.get("code"),
                              message=r.get("sub_msg"))
        status = r.get("trade_status")
        if status in PAID:
            return self._paid(out_trade_no, r)
        if status == "WAIT_BUYER_PAY":
            return CodeAnswer(state="paying", out_trade_no=out_trade_no, transaction_id=r.get("trade_no"), code=status)
        if status == "TRADE_CLOSED":
            return CodeAnswer(state="failed", out_trade_no=out_trade_no, transaction_id=r.get("trade_no"), code=status,
                              message="交易已关闭")
        return CodeAnswer(state="unknown", out_trade_no=out_trade_no, code=status)

    def reverse(self, out_trade_no: str) -> ReverseAnswer:
        """``alipay.trade.cancel``: an unpaid trade is closed, a paid one refunded whole, an unknown
        out_trade_no closed for good (a late pay with it is refused)."""
        r = self._call("api_alipay_trade_cancel", out_trade_no=out_trade_no)
        if r is None:
            return ReverseAnswer(done=False, retry=True, code="no_answer")
        if r.get("code") == "10000":
            return ReverseAnswer(done=True, code=r.get("action") or "close")
        retry = r.get("retry_flag") == "Y" or r.get("code") == "20000" or r.get("sub_code") == "ACQ.SYSTEM_ERROR"
        return ReverseAnswer(done=False, retry=retry, code=r.get("sub_code") or r.get("code"))

    def refund(self, out_trade_no: str, out_refund_no: str, amount: int, total: int, reason: str) -> bool:
        """True when Alipay made (or had already made) this refund: ``out_refund_no`` is Alipay's
        ``out_request_no``, so asking again never refunds twice."""
        r = self._call("api_alipay_trade_refund", out_trade_no=out_trade_no, refund_amount=yuan(amount),
                       out_request_no=out_refund_no, refund_reason=reason[:256])
        if r is None or r.get("code") != "10000":
            if r is not None:
                log.warning("alipay refund refused: %s", json.dumps({k: r.get(k) for k in ("code", "sub_code")}))
            return False
        return True
