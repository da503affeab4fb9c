"""The sandbox's refunds: apply by out_trade_no or transaction_id, query by out_refund_no.

A refund is accepted as ``PROCESSING`` and succeeds at once in the sandbox (WeChat takes from
seconds to days): the ``REFUND.SUCCESS`` notify ("退款成功") goes out and the query answers
``SUCCESS``. The same out_refund_no again is the same refund, as WeChat asks merchants to retry.
"""
from __future__ import annotations

import secrets
from typing import Any

from flask import Response, g

from wechat.sandbox.notify import now_rfc3339, send_notify
from wechat.sandbox.routes import bp
from wechat.sandbox.v3 import db, error, ident, merchant_call, missing, signed, verification_mode

OUT_REFUND_NO = 64


def refund_object(refund: Any, order: Any) -> dict[str, Any]:
    """A refund as WeChat's answers and queries show it."""
    data: dict[str, Any] = {
        "refund_id": refund["refund_id"], "out_refund_no": refund["out_refund_no"],
        "transaction_id": order["transaction_id"], "out_trade_no": order["out_trade_no"], "channel": "ORIGINAL",
        "user_received_account": "支付用户零钱", "create_time": refund["create_time"], "status": refund["status"],
        "funds_account": "AVAILABLE",
        "amount": {"total": order["total"], "refund": refund["amount"], "payer_total": order["total"],
                   "payer_refund": refund["amount"], "settlement_total": order["total"],
                   "settlement_refund": refund["amount"], "discount_refund": 0, "currency": "CNY", "from": []},
        "promotion_detail": []}
    if refund["success_time"]:
        data["success_time"] = refund["success_time"]
    return data


def _notify_resource(refund: Any, order: Any) -> dict[str, Any]:
    return {"mchid": order["mchid"], "out_trade_no": order["out_trade_no"], "transaction_id": order["transaction_id"],
            "out_refund_no": refund["out_refund_no"], "refund_id": refund["refund_id"],
            "refund_status": refund["status"], "success_time": refund["success_time"],
            "user_received_account": "支付用户零钱",
            "amount": {"total": order["total"], "refund": refund["amount"], "payer_total": order["total"],
                       "payer_refund": refund["amount"]}}


@bp.post("/v3/refund/domestic/refunds")
@merchant_call
def apply_refund() -> Response:
    body = g.body
    out_refund_no = str(body.get("out_refund_no") or "")
    amount = body.get("amount")
    if not (body.get("out_trade_no") or body.get("transaction_id")):
        return error("PARAM_ERROR", "transaction_id和out_trade_no必须二选一进行传参")
    if not out_refund_no:
        return missing("body", "out_refund_no", "商户退款单号")
    if len(out_refund_no) > OUT_REFUND_NO:
        return error("PARAM_ERROR", "商户退款单号长度超过限制")
    if not isinstance(amount, dict):
        return missing("body", "amount", "金额信息")
    wanted, total = amount.get("refund"), amount.get("total")
    if not isinstance(wanted, int) or isinstance(wanted, bool) or wanted <= 0:
        return error("PARAM_ERROR", "退款金额必须大于0", {"field": "/body/amount/refund", "location": "body"})
    if amount.get("currency") not in (None, "CNY"):
        return error("PARAM_ERROR", "币种类型错误", {"field": "/body/amount/currency", "location": "body"})
    with db() as conn:
        if body.get("transaction_id"):
            order = conn.execute("SELECT * FROM pay_orders WHERE transaction_id = ? AND mchid = ?",
                                 (str(body["transaction_id"]), g.mchid)).fetchone()
        else:
            order = conn.execute("SELECT * FROM pay_orders WHERE out_trade_no = ? AND mchid = ?",
                                 (str(body["out_trade_no"]), g.mchid)).fetchone()
        if order is None or order["transaction_id"] is None:
            return error("RESOURCE_NOT_EXISTS", "订单不存在")
        if body.get("out_trade_no") and body.get("transaction_id") and order["out_trade_no"] != body["out_trade_no"]:
            return error("INVALID_REQUEST", "transaction_id与out_trade_no不匹配")
        if total != order["total"]:
            return error("PARAM_ERROR", "订单金额与原订单金额不一致",
                         {"field": "/body/amount/total", "location": "body"})
        refund = conn.execute("SELECT * FROM pay_refunds WHERE out_refund_no = ?", (out_refund_no,)).fetchone()
        if refund is not None:
            if (refund["out_trade_no"], refund["amount"]) != (order["out_trade_no"], wanted):
                return error("INVALID_REQUEST", "同一商户退款单号的退款金额或订单不一致")
            return signed(200, refund_object(refund, order))
        already = conn.execute("SELECT COALESCE(SUM(amount), 0) FROM pay_refunds WHERE out_trade_no = ? "
                               "AND status != 'CLOSED'", (order["out_trade_no"],)).fetchone()[0]
        if already + wanted > order["total"]:
            return error("INVALID_REQUEST", "申请退款金额超过订单可退金额")
        refund_id = "5030" + "".join(str(secrets.randbelow(10)) for _ in range(25))
        conn.execute("INSERT INTO pay_refunds (out_refund_no, out_trade_no, refund_id, amount, status, reason, "
                     "notify_url, create_time) VALUES (?,?,?,?,'PROCESSING',?,?,?)",
                     (out_refund_no, order["out_trade_no"], refund_id, wanted, str(body.get("reason") or "")[:80],
                      body.get("notify_url"), now_rfc3339()))
        accepted = conn.execute("SELECT * FROM pay_refunds WHERE out_refund_no = ?", (out_refund_no,)).fetchone()
    answer = refund_object(accepted, order)
    _succeed(out_refund_no)
    return signed(200, answer)


def _succeed(out_refund_no: str) -> None:
    """The sandbox's bank is instant: the refund succeeds and its notify goes out."""
    with db() as conn:
        conn.execute("UPDATE pay_refunds SET status = 'SUCCESS', success_time = ? WHERE out_refund_no = ?",
                     (now_rfc3339(), out_refund_no))
        refund = conn.execute("SELECT * FROM pay_refunds WHERE out_refund_no = ?", (out_refund_no,)).fetchone()
        conn.execute("UPDATE pay_orders SET trade_state = 'REFUND' WHERE out_trade_no = ?", (refund["out_trade_no"],))
        order = conn.execute("SELECT * FROM pay_orders WHERE out_trade_no = ?", (refund["out_trade_no"],)).fetchone()
    if refund["notify_url"]:
        send_notify(ident(), refund["notify_url"], "REFUND.SUCCESS", "refund", _notify_resource(refund, order),
                    mode=verification_mode())


@bp.get("/v3/refund/domestic/refunds/<out_refund_no>")
@merchant_call
def query_refund(out_refund_no: str) -> Response:
    with db() as conn:
        refund = conn.execute("SELECT * FROM pay_refunds WHERE out_refund_no = ?", (out_refund_no,)).fetchone()
        order = None if refund is None else conn.execute(
            "SELECT * FROM pay_orders WHERE out_trade_no = ? AND mchid = ?", (refund["out_trade_no"], g.mchid)
        ).fetchone()
    if refund is None or order is None:
        return error("RESOURCE_NOT_EXISTS", "退款单不存在")
    return signed(200, refund_object(refund, order))
