"""The payer's phone: the payment code Alipay shows (付款码) and the password confirmation.

``POST /alipay-sandbox/paycode {"user", "password": false}`` → ``{"auth_code"}``: 18 digits
starting 28, as Alipay's codes look today (any 16-24 digits starting 25-30 are Alipay's). With
``"password": true`` the trade made from it waits in ``WAIT_BUYER_PAY`` until
``POST /alipay-sandbox/pay/confirm {"auth_code"}``, or is closed after ALIPAY_SANDBOX_WAIT_SECONDS.
A code pays once. These two routes stand for the payer and need no signature: sandbox mode only.

``"faults"`` makes this code's trade misbehave for tests (names as in the WeChat sandbox):
``query_amount`` (fen: the query answer names another ``total_amount``, correctly signed),
``forge_query`` (the query answer is signed with a key that is not Alipay's), ``lose_answers``
(the first N pays are carried out but answered ``ACQ.SYSTEM_ERROR``, as when the answer is lost),
``success_after_cancel`` (the cancel answers ``refund`` but the money stays taken),
``password_seconds`` (this payer's own time limit), ``balance_not_enough`` (the pay is refused
with ``ACQ.BUYER_BALANCE_NOT_ENOUGH``).
"""
from __future__ import annotations

import hashlib
import json
import secrets
import time
from typing import Any

from flask import jsonify, request

from alipay_open.sandbox.gateway import bp, ident
from alipay_open.sandbox.trades import db, expire, now_text

FAULTS: dict[str, type | tuple[type, ...]] = {
    "query_amount": int, "forge_query": bool, "lose_answers": int, "success_after_cancel": bool,
    "password_seconds": (int, float), "balance_not_enough": bool}


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
    faults = body.get("faults") or {}
    if not isinstance(faults, dict) or any(k not in FAULTS or not isinstance(v, FAULTS[k])
                                           or (isinstance(v, bool) and FAULTS[k] is not bool)
                                           for k, v in faults.items()):
        return _error(422, "validation_error", f"faults: any of {', '.join(FAULTS)} with their types")
    digest = hashlib.sha256(f"{ident()['appid']}|{user}".encode()).hexdigest()
    buyer_id = "2088" + str(int(digest, 16))[:12]
    auth_code = "28" + "".join(str(secrets.randbelow(10)) for _ in range(16))
    with db() as conn:
        conn.execute("INSERT INTO pay_codes (auth_code, user, buyer_id, password, created_at, faults) "
                     "VALUES (?,?,?,?,?,?)",
                     (auth_code, user, buyer_id, int(password), time.time(), json.dumps(faults)))
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
