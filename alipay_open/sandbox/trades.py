"""The sandbox's face-to-face trades: ``alipay.trade.pay`` (``scene=bar_code``), ``.query``,
``.cancel`` and ``.refund``, with Alipay's states and sub_codes.

A trade whose payer must enter the password waits in ``WAIT_BUYER_PAY`` until the phone confirms
(``phone.py``) or ``ALIPAY_SANDBOX_WAIT_SECONDS`` (60 s, as Alipay's default ``timeout_express``
for bar-code payments is short) pass, after which it is ``TRADE_CLOSED``. The clock is read when a
trade is next touched, so every process sees the same state without a timer of its own.
"""
from __future__ import annotations

import json
import re
import secrets
import sqlite3
import time
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from flask import current_app, g

from alipay_open.sandbox.gateway import Answer, BizError, method
from alipay_open.sandbox.state import connect

OUT_NO = re.compile(r"[A-Za-z0-9_\-]{1,64}")  # Alipay documents letters, digits, "_"; its gateway takes "-" too
PAID = ("TRADE_SUCCESS", "TRADE_FINISHED")


def db(write: bool = True):  # type: ignore[no-untyped-def]
    return connect(current_app.config["INSTANCE_PATH"], write)


def yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def fen_of(value: Any, field: str) -> int:
    """An amount in yuan (string or number, at most two decimals, 0.01-100000000) as fen."""
    try:
        amount = Decimal(str(value))
        exact = amount.is_finite() and 0 < amount <= 100000000 and amount == amount.quantize(Decimal("0.01"))
    except InvalidOperation:
        exact = False
    if not exact or isinstance(value, bool):
        raise BizError("ACQ.INVALID_PARAMETER", f"参数无效：{field}")
    return int(amount * 100)


def now_text() -> str:
    return datetime.now().strftime("%Y-%m-%d %H:%M:%S")


def wait_seconds() -> float:
    return float(current_app.config.get("ALIPAY_SANDBOX_WAIT_SECONDS", 60))


def faults_of(conn: sqlite3.Connection, auth_code: str | None) -> dict[str, Any]:
    row = conn.execute("SELECT faults FROM pay_codes WHERE auth_code = ?", (auth_code,)).fetchone()
    found: dict[str, Any] = json.loads(row[0]) if row is not None else {}
    return found


def expire(conn: sqlite3.Connection, row: sqlite3.Row | None) -> sqlite3.Row | None:
    """The trade as it is now: a payer who did not confirm in time finds it closed."""
    limit = row["wait_seconds"] if row is not None and row["wait_seconds"] is not None else wait_seconds()
    if row is not None and row["status"] == "WAIT_BUYER_PAY" and time.time() - row["created_at"] > limit:
        conn.execute("UPDATE trades SET status = 'TRADE_CLOSED' WHERE app_id = ? AND out_trade_no = ?",
                     (row["app_id"], row["out_trade_no"]))
        row = conn.execute("SELECT * FROM trades WHERE app_id = ? AND out_trade_no = ?",
                           (row["app_id"], row["out_trade_no"])).fetchone()
    return row


def find(conn: sqlite3.Connection, app_id: str, biz: dict[str, Any]) -> sqlite3.Row | None:
    """By trade_no when given (it wins, as at Alipay), else by out_trade_no; only this app's trades."""
    trade_no, out_trade_no = biz.get("trade_no"), biz.get("out_trade_no")
    if not trade_no and not out_trade_no:
        raise BizError("ACQ.INVALID_PARAMETER", "参数无效：out_trade_no和trade_no不能同时为空")
    if trade_no:
        row = conn.execute("SELECT * FROM trades WHERE app_id = ? AND trade_no = ?", (app_id, str(trade_no))).fetchone()
    else:
        row = conn.execute("SELECT * FROM trades WHERE app_id = ? AND out_trade_no = ?",
                           (app_id, str(out_trade_no))).fetchone()
    return expire(conn, row)


def _amounts(row: sqlite3.Row, paid: bool) -> dict[str, Any]:
    taken = yuan(row["total"]) if paid else "0.00"
    return {"total_amount": yuan(row["total"]), "receipt_amount": taken, "buyer_pay_amount": taken,
            "invoice_amount": taken, "point_amount": "0.00"}


def _payer(row: sqlite3.Row) -> dict[str, Any]:
    return {"buyer_logon_id": row["buyer_logon_id"], "buyer_user_id": row["buyer_id"]}


@method("alipay.trade.pay")
def trade_pay(params: dict[str, str], biz: dict[str, Any]) -> Answer:
    for field in ("out_trade_no", "scene", "auth_code", "subject", "total_amount"):
        if biz.get(field) in (None, ""):
            raise BizError("ACQ.INVALID_PARAMETER", f"参数无效：缺少{field}")
    if biz["scene"] != "bar_code":
        raise BizError("ACQ.INVALID_PARAMETER", "参数无效：scene只支持bar_code")
    out_trade_no, auth_code = str(biz["out_trade_no"]), str(biz["auth_code"])
    if not OUT_NO.fullmatch(out_trade_no):
        raise BizError("ACQ.INVALID_PARAMETER", "参数无效：out_trade_no")
    total, app_id = fen_of(biz["total_amount"], "total_amount"), params["app_id"]
    with db() as conn:
        row = expire(conn, conn.execute("SELECT * FROM trades WHERE app_id = ? AND out_trade_no = ?",
                                        (app_id, out_trade_no)).fetchone())
        if row is not None:
            if row["status"] in PAID:
                raise BizError("ACQ.TRADE_HAS_SUCCESS", "交易已被支付")
            if row["status"] == "TRADE_CLOSED":
                raise BizError("ACQ.TRADE_HAS_CLOSE", "交易已经关闭")
            if (row["auth_code"], row["total"]) != (auth_code, total):
                raise BizError("ACQ.CONTEXT_INCONSISTENT", "交易信息被篡改")
            return "10003", {"out_trade_no": out_trade_no, "trade_no": row["trade_no"], **_payer(row),
                             **_amounts(row, paid=False)}
        code = conn.execute("SELECT * FROM pay_codes WHERE auth_code = ?", (auth_code,)).fetchone()
        if code is None or code["used"]:
            raise BizError("ACQ.PAYMENT_AUTH_CODE_INVALID",
                           "支付失败，获取顾客账户信息失败，请顾客刷新付款码后重新收款，如再次收款失败，请联系管理员处理。")
        faults = json.loads(code["faults"])
        if faults.get("balance_not_enough"):
            raise BizError("ACQ.BUYER_BALANCE_NOT_ENOUGH", "买家余额不足")
        lose = faults.get("lose_answers", 0) > 0
        faults["lose_answers"] = max(faults.get("lose_answers", 0) - 1, 0)
        conn.execute("UPDATE pay_codes SET used = 1, faults = ? WHERE auth_code = ?", (json.dumps(faults), auth_code))
        status = "WAIT_BUYER_PAY" if code["password"] else "TRADE_SUCCESS"
        trade_no = datetime.now().strftime("%Y%m%d") + "22001" + "".join(str(secrets.randbelow(10)) for _ in range(15))
        logon = code["user"][:3] + "***@sandbox.alipay"
        conn.execute("INSERT INTO trades (app_id, out_trade_no, trade_no, auth_code, buyer_id, buyer_logon_id, "
                     "subject, total, status, created_at, paid_at, wait_seconds) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                     (app_id, out_trade_no, trade_no, auth_code, code["buyer_id"], logon, str(biz["subject"])[:256],
                      total, status, time.time(), now_text() if status == "TRADE_SUCCESS" else None,
                      faults.get("password_seconds")))
        row = conn.execute("SELECT * FROM trades WHERE trade_no = ?", (trade_no,)).fetchone()
    if lose:  # carried out, but the answer that comes back says nothing
        raise BizError("ACQ.SYSTEM_ERROR", "系统错误")
    waiting = status == "WAIT_BUYER_PAY"
    body = {"out_trade_no": out_trade_no, "trade_no": trade_no, **_payer(row), **_amounts(row, paid=not waiting)}
    if waiting:
        return "10003", body
    return "10000", {**body, "gmt_payment": row["paid_at"],
                     "fund_bill_list": [{"fund_channel": "ALIPAYACCOUNT", "amount": yuan(total)}]}


@method("alipay.trade.query")
def trade_query(params: dict[str, str], biz: dict[str, Any]) -> Answer:
    with db() as conn:
        row = find(conn, params["app_id"], biz)
        faults = faults_of(conn, row["auth_code"]) if row is not None else {}
    if row is None or row["trade_no"] is None:  # a cancelled out_trade_no that never was a trade
        raise BizError("ACQ.TRADE_NOT_EXIST", "交易不存在")
    paid = row["paid_at"] is not None
    body = {"out_trade_no": row["out_trade_no"], "trade_no": row["trade_no"], "trade_status": row["status"],
            **_payer(row), **_amounts(row, paid)}
    if "query_amount" in faults:
        body["total_amount"] = yuan(faults["query_amount"])
    g.alipay_forge = bool(faults.get("forge_query"))
    if paid:
        body["send_pay_date"] = row["paid_at"]
    return "10000", body


@method("alipay.trade.cancel")
def trade_cancel(params: dict[str, str], biz: dict[str, Any]) -> Answer:
    """Unpaid: closed; paid: closed and the money given back; unknown: the out_trade_no is closed
    for good, so a payment arriving late cannot take money (Alipay answers success without
    ``action``). Cancelling again answers the same."""
    app_id = params["app_id"]
    with db() as conn:
        row = find(conn, app_id, biz)
        if row is None:
            if biz.get("trade_no"):
                raise BizError("ACQ.TRADE_NOT_EXIST", "交易不存在")
            conn.execute("INSERT INTO trades (app_id, out_trade_no, status, cancel_action, created_at) "
                         "VALUES (?, ?, 'TRADE_CLOSED', '', ?)", (app_id, str(biz["out_trade_no"]), time.time()))
            return "10000", {"out_trade_no": str(biz["out_trade_no"]), "retry_flag": "N"}
        action = row["cancel_action"]
        if action is None:
            if row["refunded"]:
                raise BizError("ACQ.REASON_TRADE_REFUND_FEE_ERR", "退款金额无效", retry_flag="N")
            if row["status"] == "TRADE_FINISHED":
                raise BizError("ACQ.TRADE_HAS_FINISHED", "交易已经完结", retry_flag="N")
            action = "refund" if row["status"] == "TRADE_SUCCESS" else "close"
            if action == "refund" and faults_of(conn, row["auth_code"]).get("success_after_cancel"):
                pass  # the fault: answered as refunded, the money stays taken
            else:
                conn.execute("UPDATE trades SET status = 'TRADE_CLOSED', cancel_action = ?, refunded = ? "
                             "WHERE app_id = ? AND out_trade_no = ?",
                             (action, row["total"] if action == "refund" else 0, app_id, row["out_trade_no"]))
    body: dict[str, Any] = {"out_trade_no": row["out_trade_no"], "retry_flag": "N"}
    if row["trade_no"]:
        body |= {"trade_no": row["trade_no"], "action": action}
        if action == "refund":
            body["gmt_refund_pay"] = now_text()
    return "10000", body


@method("alipay.trade.refund")
def trade_refund(params: dict[str, str], biz: dict[str, Any]) -> Answer:
    """Keyed by ``out_request_no`` (the out_trade_no when left out, i.e. one full refund): the same
    request again changes nothing and answers ``fund_change: N``."""
    if biz.get("refund_amount") in (None, ""):
        raise BizError("ACQ.INVALID_PARAMETER", "参数无效：缺少refund_amount")
    amount, app_id = fen_of(biz["refund_amount"], "refund_amount"), params["app_id"]
    with db() as conn:
        row = find(conn, app_id, biz)
        if row is None or row["trade_no"] is None:
            raise BizError("ACQ.TRADE_NOT_EXIST", "交易不存在")
        request_no = str(biz.get("out_request_no") or row["out_trade_no"])
        done = conn.execute("SELECT * FROM refunds WHERE app_id = ? AND out_trade_no = ? AND out_request_no = ?",
                            (app_id, row["out_trade_no"], request_no)).fetchone()
        if done is not None:
            if done["amount"] != amount:
                raise BizError("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "退款金额与原退款请求不一致")
            change = "N"
        elif row["cancel_action"] is not None:
            raise BizError("ACQ.TRADE_HAS_CLOSE", "交易已经关闭")
        elif row["status"] == "TRADE_FINISHED":
            raise BizError("ACQ.TRADE_HAS_FINISHED", "交易已完结")
        elif row["paid_at"] is None or row["status"] != "TRADE_SUCCESS":
            raise BizError("ACQ.TRADE_STATUS_ERROR", "交易状态不合法")
        elif amount > row["total"] - row["refunded"]:
            raise BizError("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "退款金额超限")
        else:
            change = "Y"
            conn.execute("INSERT INTO refunds (app_id, out_trade_no, out_request_no, amount, reason, refunded_at) "
                         "VALUES (?,?,?,?,?,?)", (app_id, row["out_trade_no"], request_no, amount,
                                                  str(biz.get("refund_reason") or "")[:256], now_text()))
            status = "TRADE_CLOSED" if row["refunded"] + amount == row["total"] else row["status"]
            conn.execute("UPDATE trades SET refunded = refunded + ?, status = ? WHERE app_id = ? AND out_trade_no = ?",
                         (amount, status, app_id, row["out_trade_no"]))
        row = conn.execute("SELECT * FROM trades WHERE app_id = ? AND out_trade_no = ?",
                           (app_id, row["out_trade_no"])).fetchone()
        refunded_at = conn.execute("SELECT refunded_at FROM refunds WHERE app_id = ? AND out_trade_no = ? AND "
                                   "out_request_no = ?", (app_id, row["out_trade_no"], request_no)).fetchone()[0]
    return "10000", {"out_trade_no": row["out_trade_no"], "trade_no": row["trade_no"], **_payer(row),
                     "fund_change": change, "refund_fee": yuan(row["refunded"]), "gmt_refund_pay": refunded_at}
