"""The sandbox's WeChat Pay v3 transactions: JSAPI prepay, query (by out_trade_no or by
transaction_id), close, and the phone's side: the diner confirming in ``wx.requestPayment``,
after which the payment notify goes out.
"""
from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from flask import Response, g, request

from wechat.sandbox.notify import notify_message, now_rfc3339, send_notify
from wechat.sandbox.routes import bp
from wechat.sandbox.v3 import db, error, ident, mchid_refused, merchant_call, missing, signed, verification_mode

__all__ = ["notify_message", "send_notify", "transaction"]

OUT_TRADE_NO = re.compile(r"^[A-Za-z0-9_\-|*]{6,32}$")
# What WeChat writes in trade_state_desc for each state.
TRADE_STATE_DESC = {"SUCCESS": "支付成功", "REFUND": "转入退款", "NOTPAY": "订单未支付", "CLOSED": "订单已关闭",
                    "REVOKED": "已撤销", "USERPAYING": "需要用户输入支付密码", "PAYERROR": "支付失败"}


# Other kinds of trade plug in how they read and are confirmed (wechat.sandbox.codepay: MICROPAY):
# trade_type -> (the row as it stands now, the query's view of it); body field -> the phone's confirm.
READERS: dict[str, tuple[Callable[[Any, Any], Any], Callable[[Any, Any], dict[str, Any]]]] = {}
CONFIRMS: dict[str, Callable[[Any], Any]] = {}


def _as_now(conn: Any, row: Any) -> Any:
    reader = None if row is None else READERS.get(row["trade_type"])
    return row if reader is None else reader[0](conn, row)


def _view(conn: Any, row: Any) -> dict[str, Any]:
    reader = READERS.get(row["trade_type"])
    return transaction(row) if reader is None else reader[1](conn, row)


def transaction(row: Any) -> dict[str, Any]:
    """A pay order as WeChat's transaction object (query answers and notify resources)."""
    state = row["trade_state"]
    paid = row["transaction_id"] is not None
    data: dict[str, Any] = {
        "appid": row["appid"], "mchid": row["mchid"], "out_trade_no": row["out_trade_no"],
        "trade_type": row["trade_type"], "trade_state": state, "trade_state_desc": TRADE_STATE_DESC[state],
        "attach": row["attach"] or "",
        "amount": {"total": row["total"], "currency": "CNY", "payer_currency": "CNY",
                   "payer_total": row["total"] if paid else 0},
        "payer": {"openid": row["openid"]}}
    if paid:
        data |= {"transaction_id": row["transaction_id"], "success_time": row["success_time"], "bank_type": "OTHERS"}
    return data


def _find(conn: Any, out_trade_no: str) -> Any:
    return conn.execute("SELECT * FROM pay_orders WHERE out_trade_no = ? AND mchid = ?",
                        (out_trade_no, g.mchid)).fetchone()


def refused_order(body: dict[str, Any], fields: tuple[tuple[str, str], ...]) -> Response | None:
    """The checks WeChat makes first on every order it is asked to create (JSAPI, payment code),
    in its order: the required ``fields`` (name, WeChat's label), the merchant, the app, the
    amount in fen and its currency. None when they pass."""
    for field, label in fields:
        if not body.get(field):
            return missing("body", field, label)
    refused = mchid_refused(body["mchid"], "body")
    if refused is not None:
        return refused
    if body["appid"] != ident()["appid"]:
        return error("APPID_MCHID_NOT_MATCH", "AppID和mch_id不匹配")
    amount = body["amount"]
    total = amount.get("total") if isinstance(amount, dict) else None
    if not isinstance(total, int) or isinstance(total, bool) or total <= 0:
        return error("PARAM_ERROR", "订单金额必须大于0", {"field": "/body/amount/total", "location": "body"})
    if isinstance(amount, dict) and amount.get("currency", "CNY") != "CNY":
        return error("PARAM_ERROR", "币种类型错误", {"field": "/body/amount/currency", "location": "body"})
    return None


@bp.post("/v3/pay/transactions/jsapi")
@merchant_call
def jsapi_prepay() -> Response:
    body = g.body
    refused = refused_order(body, (("appid", "应用ID"), ("mchid", "直连商户号"), ("description", "商品描述"),
                                   ("out_trade_no", "商户订单号"), ("notify_url", "通知地址"), ("amount", "订单金额"),
                                   ("payer", "支付者")))
    if refused is not None:
        return refused
    total, payer = body["amount"]["total"], body["payer"]
    openid = payer.get("openid") if isinstance(payer, dict) else None
    out_trade_no = str(body["out_trade_no"])
    if not isinstance(openid, str) or not openid:
        return missing("body", "payer/openid", "用户标识")
    if not OUT_TRADE_NO.match(out_trade_no):
        return error("PARAM_ERROR", "商户订单号只能是6到32位的数字、大小写字母或_-|*")
    if not str(body["notify_url"]).startswith(("http://", "https://")):
        return error("PARAM_ERROR", "通知地址必须是http或https开头的URL")
    with db() as conn:
        row = _find(conn, out_trade_no)
        if row is not None:
            # The same order asked again (a retry that may have reached us): the same prepay_id.
            if (row["total"], row["openid"], row["appid"]) != (total, openid, body["appid"]):
                return error("OUT_TRADE_NO_USED", "商户订单号重复")
            if row["trade_state"] == "CLOSED":
                return error("ORDER_CLOSED", "订单已关闭")
            if row["trade_state"] in ("SUCCESS", "REFUND"):
                return error("ORDERPAID", "该订单已支付")
            return signed(200, {"prepay_id": row["prepay_id"]})
        prepay_id = "wx" + datetime.now(UTC).strftime("%d%H%M%S") + secrets.token_hex(13)
        conn.execute("INSERT INTO pay_orders (out_trade_no, mchid, appid, prepay_id, total, openid, notify_url, "
                     "description, trade_state, transaction_id, success_time, created_at, trade_type, attach) "
                     "VALUES (?,?,?,?,?,?,?,?,'NOTPAY',NULL,NULL,?,'JSAPI',?)",
                     (out_trade_no, g.mchid, body["appid"], prepay_id, total, openid, body["notify_url"],
                      str(body["description"])[:127], time.time(), str(body.get("attach") or "")[:128]))
    return signed(200, {"prepay_id": prepay_id})


@bp.get("/v3/pay/transactions/out-trade-no/<out_trade_no>")
@merchant_call
def query_by_out_trade_no(out_trade_no: str) -> Response:
    refused = mchid_refused(request.args.get("mchid"), "query")
    if refused is not None:
        return refused
    with db() as conn:
        row = _as_now(conn, _find(conn, out_trade_no))
        if row is None:
            return error("ORDER_NOT_EXIST", "订单不存在")
        return signed(200, _view(conn, row))


@bp.get("/v3/pay/transactions/id/<transaction_id>")
@merchant_call
def query_by_transaction_id(transaction_id: str) -> Response:
    """WeChat's id exists only once the order is paid: an unpaid order is found by out_trade_no only."""
    refused = mchid_refused(request.args.get("mchid"), "query")
    if refused is not None:
        return refused
    with db() as conn:
        row = _as_now(conn, conn.execute("SELECT * FROM pay_orders WHERE transaction_id = ? AND mchid = ?",
                                         (transaction_id, g.mchid)).fetchone())
        if row is None:
            return error("ORDER_NOT_EXIST", "订单不存在")
        return signed(200, _view(conn, row))


@bp.post("/v3/pay/transactions/out-trade-no/<out_trade_no>/close")
@merchant_call
def close_order(out_trade_no: str) -> Response:
    """Closing is idempotent (a closed order closes again quietly); a paid one cannot be closed."""
    refused = mchid_refused(g.body.get("mchid"), "body")
    if refused is not None:
        return refused
    with db() as conn:
        row = _find(conn, out_trade_no)
        if row is None:
            return error("ORDER_NOT_EXIST", "订单不存在")
        if row["trade_state"] in ("SUCCESS", "REFUND"):
            return error("ORDERPAID", "订单已支付")
        conn.execute("UPDATE pay_orders SET trade_state = 'CLOSED' WHERE out_trade_no = ?", (out_trade_no,))
    return signed(204, None)


def new_transaction_id() -> str:
    return "4200" + datetime.now(UTC).strftime("%Y%m%d") + "".join(str(secrets.randbelow(10)) for _ in range(16))


@bp.post("/pay/confirm")
def phone_confirms():  # type: ignore[no-untyped-def]
    """What ``wx.requestPayment`` does when the diner pays: the order succeeds, a notify follows.
    With ``{"auth_code"}``: the payer enters the password for a payment code (``codepay``)."""
    body = request.get_json(silent=True)
    body = body if isinstance(body, dict) else {}
    if "auth_code" in body and "auth_code" in CONFIRMS:  # the payer enters the password for a payment code
        return CONFIRMS["auth_code"](body["auth_code"])
    prepay_id = body.get("prepay_id") or str(body.get("package", "")).removeprefix("prepay_id=")
    if not isinstance(prepay_id, str):  # a number too big for SQLite would fail the query
        return {"error": {"code": "not_found", "message": "no such prepay_id"}}, 404
    with db() as conn:
        row = conn.execute("SELECT * FROM pay_orders WHERE prepay_id = ?", (prepay_id,)).fetchone()
        if row is None:
            return {"error": {"code": "not_found", "message": "no such prepay_id"}}, 404
        if row["trade_state"] == "CLOSED":
            return {"error": {"code": "invalid_state", "message": "this payment was closed"}}, 409
        if row["trade_state"] == "NOTPAY":
            conn.execute("UPDATE pay_orders SET trade_state='SUCCESS', transaction_id=?, success_time=? "
                         "WHERE prepay_id=?", (new_transaction_id(), now_rfc3339(), prepay_id))
            row = conn.execute("SELECT * FROM pay_orders WHERE prepay_id = ?", (prepay_id,)).fetchone()
    send_notify(ident(), row["notify_url"], "TRANSACTION.SUCCESS", "transaction", transaction(row),
                mode=verification_mode())
    return {"status": "SUCCESS"}
