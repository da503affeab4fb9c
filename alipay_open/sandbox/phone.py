"""The payer's phone: the payment code Alipay shows (付款码) and the password confirmation.

``POST /alipay-sandbox/paycode {"user", "password": false}`` → ``{"auth_code"}``: 18 digits
starting 28, as Alipay's codes look today (any 16-24 digits starting 25-30 are Alipay's). With
``"password": true`` the trade made from it waits in ``WAIT_BUYER_PAY`` until
``POST /alipay-sandbox/pay/confirm {"auth_code"}``, or is closed after ALIPAY_SANDBOX_WAIT_SECONDS.
A code pays once. These two routes stand for the payer and need no signature: sandbox mode only.
"""
from __future__ import annotations

import hashlib
import secrets
import time
from typing import Any

from flask import jsonify, request

from alipay_open.sandbox.gateway import bp, ident
from alipay_open.sandbox.trades import db, expire, now_text


def _error(status: int, code: str, message: str):  # type: ignore[no-untyped-def]
    return jsonify({"error": {"code": code, "message": message}}), status


def _body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else {}


@bp.post("/paycode")
def paycode():  # type: ignore[no-untyped-def]
    body = _body()
    user, password = body.get("user"), body.get("password", False)
    if not isinstance(user, str) or not 0 < len(user) <= 64:
        return _error(422, "validation_error", "user: 1-64 characters")
    if not isinstance(password, bool):
        return _error(422, "validation_error", "password: true or false")
    digest = hashlib.sha256(f"{ident()['appid']}|{user}".encode()).hexdigest()
    buyer_id = "2088" + str(int(digest, 16))[:12]
    auth_code = "28" + "".join(str(secrets.randbelow(10)) for _ in range(16))
    with db() as conn:
        conn.execute("INSERT INTO pay_codes (auth_code, user, buyer_id, password, created_at) VALUES (?,?,?,?,?)",
                     (auth_code, user, buyer_id, int(password), time.time()))
    return jsonify({"auth_code": auth_code})


@bp.post("/pay/confirm")
def confirm():  # type: ignore[no-untyped-def]
    """The payer enters the password: the waiting trade made from this code succeeds."""
    auth_code = _body().get("auth_code")
    if not isinstance(auth_code, str):
        return _error(404, "not_found", "no trade for this auth_code")
    with db() as conn:
        row = expire(conn, conn.execute("SELECT * FROM trades WHERE auth_code = ?", (auth_code,)).fetchone())
        if row is None:
            return _error(404, "not_found", "no trade for this auth_code")
        if row["status"] == "TRADE_CLOSED":
            return _error(409, "invalid_state", "this payment was closed")
        if row["status"] == "WAIT_BUYER_PAY":
            conn.execute("UPDATE trades SET status = 'TRADE_SUCCESS', paid_at = ? "
                         "WHERE app_id = ? AND out_trade_no = ?", (now_text(), row["app_id"], row["out_trade_no"]))
    return jsonify({"trade_status": "TRADE_SUCCESS", "out_trade_no": row["out_trade_no"]})
