"""The sandbox's payment codes (付款码): the code the payer's WeChat shows, WeChat Pay v3
``codepay`` and ``reverse`` as WeChat serves them, and the payer entering the password.

- ``POST /paycode {"user", "password": false}`` → ``{"auth_code"}``: 18 digits starting 10-15,
  valid for one minute and for one trade, as WeChat's. With ``"password": true`` the trade waits
  in ``USERPAYING`` until ``POST /pay/confirm {"auth_code"}`` (the payer enters the password), or
  fails (``PAYERROR``) after ``WECHAT_SANDBOX_PAYCODE_SECONDS`` (60; tests shorten it).
  ``"faults"`` (sandbox only) makes this code's trade misbehave for tests: ``query_total``,
  ``query_mchid``, ``query_appid`` (the query answer names another amount, merchant or app —
  still correctly signed), ``lose_answers`` (the first N ``codepay`` calls are carried out but
  answered ``SYSTEM_ERROR``, as when the answer is lost), ``success_after_reverse`` (the reverse is
  answered but the money stays taken), ``password_seconds`` (this payer's own time limit).
- ``POST /v3/pay/transactions/codepay``: ``{appid, mchid, description, out_trade_no,
  payer: {auth_code}, amount: {total, currency}, scene_info}`` → 200 and the transaction
  (``trade_type`` ``MICROPAY``) when paid at once; 202 ``{"code": "USERPAYING"}`` while the payer
  enters the password (then query); 403 ``TRADE_ERROR`` for a code that is used, expired or
  unknown. The same ``out_trade_no`` with the same code and amount again is the same trade
  (answered as it stands now), so a call that may have reached WeChat can be repeated;
  with anything else it is ``OUT_TRADE_NO_USED``. Codepay sends no notify: the merchant queries.
- ``POST /v3/pay/transactions/out-trade-no/{no}/reverse`` ``{appid, mchid}`` → 200
  ``{appid, mchid, out_trade_no}``: the trade is ``REVOKED`` (closed if unpaid, the money given
  back if paid), and a late password can no longer pay it. While the payer is still entering the
  password the reverse is refused (403 ``USERPAYING``: call again shortly) — WeChat's v2 said the
  same with ``recall=Y``; v3 has no such field, so the sandbox names the state.
"""
from __future__ import annotations

import json
import secrets
import time
from typing import Any

from flask import Response, current_app, g, jsonify, request

from wechat.sandbox.notify import now_rfc3339
from wechat.sandbox.pay import CONFIRMS, OUT_TRADE_NO, READERS, new_transaction_id, refused_order, transaction
from wechat.sandbox.routes import _openid_for, bp
from wechat.sandbox.v3 import db, error, ident, mchid_refused, merchant_call, missing, signed

CODE_TTL = 60  # seconds a payment code can be used, as WeChat's refresh every minute
FAULTS: dict[str, tuple[type, ...]] = {
    "query_total": (int,), "query_mchid": (str,), "query_appid": (str,), "lose_answers": (int,),
    "success_after_reverse": (bool,), "password_seconds": (int, float)}


def password_seconds() -> float:
    return float(current_app.config.get("WECHAT_SANDBOX_PAYCODE_SECONDS") or 60)


def _faults(conn: Any, auth_code: str | None) -> dict[str, Any]:
    row = conn.execute("SELECT faults FROM paycodes WHERE auth_code = ?", (auth_code,)).fetchone()
    return json.loads(row["faults"]) if row is not None else {}


def _set_faults(conn: Any, auth_code: str, faults: dict[str, Any]) -> None:
    conn.execute("UPDATE paycodes SET faults = ? WHERE auth_code = ?", (json.dumps(faults), auth_code))


@bp.post("/paycode")
def paycode():  # type: ignore[no-untyped-def]
    """What the payer's WeChat shows under 付款码: a one-minute, one-trade code."""
    body = request.get_json(silent=True)
    body = body if isinstance(body, dict) else {}
    user, password, faults = body.get("user"), body.get("password", False), body.get("faults") or {}
    if not isinstance(user, str) or not 0 < len(user) <= 64:
        return jsonify({"error": {"code": "validation_error", "message": "user: 1-64 characters"}}), 422
    if not isinstance(password, bool):
        return jsonify({"error": {"code": "validation_error", "message": "password: true or false"}}), 422
    if not isinstance(faults, dict) or any(k not in FAULTS or not isinstance(v, FAULTS[k]) for k, v in faults.items()):
        return jsonify({"error": {"code": "validation_error",
                                  "message": f"faults: any of {', '.join(FAULTS)} with their types"}}), 422
    auth_code = f"1{secrets.randbelow(6)}" + "".join(str(secrets.randbelow(10)) for _ in range(16))
    with db() as conn:
        conn.execute("DELETE FROM paycodes WHERE created_at < ?", (time.time() - 86400,))
        conn.execute("INSERT INTO paycodes (auth_code, openid, password, created_at, faults) VALUES (?,?,?,?,?)",
                     (auth_code, _openid_for(user), int(password), time.time(), json.dumps(faults)))
    return jsonify({"auth_code": auth_code})


def _settle_timeout(conn: Any, row: Any) -> Any:
    """A password never entered: the trade fails once the payer's time is up."""
    if row is None or row["trade_state"] != "USERPAYING":
        return row
    allowed = _faults(conn, row["auth_code"]).get("password_seconds", password_seconds())
    if time.time() - row["created_at"] > allowed:
        conn.execute("UPDATE pay_orders SET trade_state = 'PAYERROR' WHERE out_trade_no = ?", (row["out_trade_no"],))
        row = conn.execute("SELECT * FROM pay_orders WHERE out_trade_no = ?", (row["out_trade_no"],)).fetchone()
    return row


def current(conn: Any, row: Any) -> Any:
    """A payment-code trade as it stands now (timeouts applied); other trades unchanged."""
    if row is None or row["trade_type"] != "MICROPAY":
        return row
    return _settle_timeout(conn, row)


def _now(conn: Any, row: Any) -> Any:
    return _settle_timeout(conn, row)


def query_view(conn: Any, row: Any) -> dict[str, Any]:
    """The transaction a query answers, with any fault this trade's code was given."""
    data = transaction(row)
    if row["trade_type"] == "MICROPAY":
        faults = _faults(conn, row["auth_code"])
        if "query_total" in faults:
            data["amount"] = dict(data["amount"], total=faults["query_total"])
        data["mchid"] = faults.get("query_mchid", data["mchid"])
        data["appid"] = faults.get("query_appid", data["appid"])
    return data


def _answer(row: Any) -> Response:
    """Codepay's answer for a trade as it stands."""
    state = row["trade_state"]
    if state == "SUCCESS":
        return signed(200, transaction(row))
    if state == "USERPAYING":
        return error("USERPAYING", "需要用户输入支付密码")
    if state == "REVOKED":
        return error("ORDER_CLOSED", "订单已撤销")
    if state == "REFUND":
        return error("ORDERPAID", "订单已支付")
    return error("TRADE_ERROR", "支付失败，请撤销订单")


@bp.post("/v3/pay/transactions/codepay")
@merchant_call
def codepay() -> Response:
    body = g.body
    refused = refused_order(body, (("appid", "应用ID"), ("mchid", "直连商户号"), ("description", "商品描述"),
                                   ("out_trade_no", "商户订单号"), ("payer", "支付者"), ("amount", "订单金额"),
                                   ("scene_info", "场景信息")))
    if refused is not None:
        return refused
    total, payer = body["amount"]["total"], body["payer"]
    auth_code = payer.get("auth_code") if isinstance(payer, dict) else None
    out_trade_no = str(body["out_trade_no"])
    if not isinstance(auth_code, str) or not auth_code:
        return missing("body", "payer/auth_code", "付款码")
    if len(auth_code) != 18 or not auth_code.isdigit() or not "10" <= auth_code[:2] <= "15":
        return error("PARAM_ERROR", "付款码格式错误，请重新扫码",
                     {"field": "/body/payer/auth_code", "location": "body"})
    if not OUT_TRADE_NO.match(out_trade_no):
        return error("PARAM_ERROR", "商户订单号只能是6到32位的数字、大小写字母或_-|*")
    with db() as conn:
        row = current(conn, conn.execute("SELECT * FROM pay_orders WHERE out_trade_no = ? AND mchid = ?",
                                         (out_trade_no, g.mchid)).fetchone())
        if row is None:
            code = conn.execute("SELECT * FROM paycodes WHERE auth_code = ?", (auth_code,)).fetchone()
            if code is None:
                return error("TRADE_ERROR", "付款码无效，请用户刷新付款码后重新支付")
            if conn.execute("SELECT 1 FROM pay_orders WHERE auth_code = ?", (auth_code,)).fetchone():
                return error("TRADE_ERROR", "付款码已使用，请用户刷新付款码后重新支付")
            if time.time() - code["created_at"] > CODE_TTL:
                return error("TRADE_ERROR", "付款码已过期，请用户刷新付款码后重新支付")
            paid_now = not code["password"]
            conn.execute("INSERT INTO pay_orders (out_trade_no, mchid, appid, prepay_id, total, openid, notify_url, "
                         "description, trade_state, transaction_id, success_time, created_at, trade_type, attach, "
                         "auth_code) VALUES (?,?,?,NULL,?,?,NULL,?,?,?,?,?,'MICROPAY',?,?)",
                         (out_trade_no, g.mchid, body["appid"], total, code["openid"],
                          str(body["description"])[:127], "SUCCESS" if paid_now else "USERPAYING",
                          new_transaction_id() if paid_now else None, now_rfc3339() if paid_now else None,
                          time.time(), str(body.get("attach") or "")[:128], auth_code))
            row = conn.execute("SELECT * FROM pay_orders WHERE out_trade_no = ?", (out_trade_no,)).fetchone()
        elif row["trade_type"] != "MICROPAY" or (row["auth_code"], row["total"], row["appid"]) != (
                auth_code, total, body["appid"]):
            return error("OUT_TRADE_NO_USED", "商户订单号重复")
        faults = _faults(conn, auth_code)
        if faults.get("lose_answers", 0) > 0:  # carried out, but the answer never arrives
            _set_faults(conn, auth_code, faults | {"lose_answers": faults["lose_answers"] - 1})
            lost = True
        else:
            lost = False
    if lost:
        return error("SYSTEM_ERROR", "系统异常，请用相同参数重新调用")
    return _answer(row)


@bp.post("/v3/pay/transactions/out-trade-no/<out_trade_no>/reverse")
@merchant_call
def reverse(out_trade_no: str) -> Response:
    body, who = g.body, ident()
    if not body.get("appid"):
        return missing("body", "appid", "应用ID")
    refused = mchid_refused(body.get("mchid"), "body")
    if refused is not None:
        return refused
    if body["appid"] != who["appid"]:
        return error("APPID_MCHID_NOT_MATCH", "AppID和mch_id不匹配")
    with db() as conn:
        row = current(conn, conn.execute("SELECT * FROM pay_orders WHERE out_trade_no = ? AND mchid = ?",
                                         (out_trade_no, g.mchid)).fetchone())
        if row is None:
            return error("ORDER_NOT_EXIST", "订单不存在")
        if row["trade_type"] != "MICROPAY":
            return error("TRADE_ERROR", "只能撤销付款码支付的订单")
        state = row["trade_state"]
        if state == "USERPAYING":
            return error("USERPAYING", "用户支付中，请稍后重新调用撤销", status=403)
        if state == "REFUND":
            return error("INVALID_REQUEST", "订单已发生退款，不能撤销")
        if state != "REVOKED":
            if state == "SUCCESS" and _faults(conn, row["auth_code"]).get("success_after_reverse"):
                pass  # the fault: answered as reversed, the money stays taken
            else:
                conn.execute("UPDATE pay_orders SET trade_state = 'REVOKED' WHERE out_trade_no = ?", (out_trade_no,))
    return signed(200, {"appid": row["appid"], "mchid": row["mchid"], "out_trade_no": out_trade_no})


def phone_confirms_code(auth_code: Any):  # type: ignore[no-untyped-def]
    """The payer enters the password for the trade waiting on this code: it succeeds (no notify:
    codepay has none). A trade that timed out or was reversed can no longer be paid (409)."""
    if not isinstance(auth_code, str):
        return {"error": {"code": "not_found", "message": "no trade waits for this auth_code"}}, 404
    with db() as conn:
        row = current(conn, conn.execute("SELECT * FROM pay_orders WHERE auth_code = ?", (auth_code,)).fetchone())
        if row is None:
            return {"error": {"code": "not_found", "message": "no trade waits for this auth_code"}}, 404
        state = row["trade_state"]
        if state == "USERPAYING":
            conn.execute("UPDATE pay_orders SET trade_state = 'SUCCESS', transaction_id = ?, success_time = ? "
                         "WHERE out_trade_no = ?", (new_transaction_id(), now_rfc3339(), row["out_trade_no"]))
        elif state == "REVOKED":
            return {"error": {"code": "invalid_state", "message": "this payment was reversed"}}, 409
        elif state != "SUCCESS":
            return {"error": {"code": "invalid_state", "message": "the payer took too long: this payment failed"}}, 409
    return {"status": "SUCCESS"}


READERS["MICROPAY"] = (_now, query_view)
CONFIRMS["auth_code"] = phone_confirms_code
