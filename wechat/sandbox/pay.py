"""The sandbox's WeChat Pay v3: JSAPI prepay, query, close, the phone's confirm, and notifies.

It checks the merchant's request signatures, signs its answers and notifies with its own RSA
key, encrypts notify resources with the APIv3 key, and retries a notify until the merchant
answers 2xx — as WeChat Pay does, on a shorter schedule.
"""
from __future__ import annotations

import base64
import json
import logging
import re
import secrets
import threading
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import Response, current_app, request

from config.sandbox import sandbox_identity
from wechat.pay import sign, verify
from wechat.sandbox.routes import bp
from wechat.sandbox.state import connect

log = logging.getLogger(__name__)
OUT_TRADE_NO = re.compile(r"^[A-Za-z0-9_\-|*]{6,32}$")
AUTH = re.compile(r'(\w+)="([^"]*)"')
NOTIFY_DELAYS = (0, 1, 2, 4, 8, 15, 30, 60)  # WeChat: 15s, 15s, 30s, 3m, 10m, … over 24 h


def _ident() -> dict[str, str]:
    from pathlib import Path

    return sandbox_identity(Path(current_app.config["INSTANCE_PATH"]))


def _db():  # type: ignore[no-untyped-def]
    return connect(current_app.config["INSTANCE_PATH"])


def _signed(ident: dict[str, str], status: int, payload: dict[str, Any] | None) -> Response:
    body = "" if payload is None else json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    key = serialization.load_pem_private_key(ident["platform_key"].encode(), password=None)
    ts, nonce = str(int(time.time())), secrets.token_hex(16)
    headers = {"Wechatpay-Timestamp": ts, "Wechatpay-Nonce": nonce, "Wechatpay-Serial": ident["public_key_id"],
               "Wechatpay-Signature": sign(key, f"{ts}\n{nonce}\n{body}\n"),  # type: ignore[arg-type]
               "Request-ID": uuid.uuid4().hex}
    return Response(body, status=status, mimetype="application/json" if body else None, headers=headers)


def _error(ident: dict[str, str], status: int, code: str, message: str) -> Response:
    return _signed(ident, status, {"code": code, "message": message})


def _merchant_ok(ident: dict[str, str]) -> bool:
    """Verify the merchant's Authorization header as WeChat Pay does."""
    header = request.headers.get("Authorization", "")
    if not header.startswith("WECHATPAY2-SHA256-RSA2048 "):
        return False
    fields = dict(AUTH.findall(header))
    ts = fields.get("timestamp", "")
    if fields.get("mchid") != ident["mchid"] or fields.get("serial_no") != ident["merchant_serial"]:
        return False
    if not ts.isdigit() or abs(time.time() - int(ts)) > 300:
        return False
    path = request.full_path.rstrip("?")
    message = f"{request.method}\n{path}\n{ts}\n{fields.get('nonce_str', '')}\n{request.get_data(as_text=True)}\n"
    public = serialization.load_pem_public_key(ident["merchant_pub"].encode())
    return verify(public, message, fields.get("signature", ""))  # type: ignore[arg-type]


def _transaction(row: Any, appid: str) -> dict[str, Any]:
    out_trade_no, mchid, _appid, _prepay, total, openid, _url, _desc, state, txn, success_time, _c = row
    data: dict[str, Any] = {"appid": appid, "mchid": mchid, "out_trade_no": out_trade_no, "trade_type": "JSAPI",
                            "trade_state": state, "trade_state_desc": state,
                            "amount": {"total": total, "payer_total": total if state == "SUCCESS" else 0,
                                       "currency": "CNY", "payer_currency": "CNY"},
                            "payer": {"openid": openid}}
    if txn:
        data |= {"transaction_id": txn, "success_time": success_time, "bank_type": "OTHERS"}
    return data


@bp.post("/v3/pay/transactions/jsapi")
def jsapi_prepay():  # type: ignore[no-untyped-def]
    ident = _ident()
    if not _merchant_ok(ident):
        return _error(ident, 401, "SIGN_ERROR", "签名错误")
    body = request.get_json(silent=True) or {}
    total = (body.get("amount") or {}).get("total")
    openid = (body.get("payer") or {}).get("openid")
    out_trade_no = body.get("out_trade_no", "")
    if (body.get("mchid") != ident["mchid"] or body.get("appid") != ident["appid"]
            or not isinstance(total, int) or total <= 0 or not openid or not OUT_TRADE_NO.match(str(out_trade_no))
            or not str(body.get("notify_url", "")).startswith(("http://", "https://"))):
        return _error(ident, 400, "PARAM_ERROR", "参数错误")
    with _db() as conn:
        row = conn.execute("SELECT * FROM pay_orders WHERE out_trade_no = ?", (out_trade_no,)).fetchone()
        if row is not None:
            if (row[4], row[5]) != (total, openid):
                return _error(ident, 400, "INVALID_REQUEST", "201 商户订单号重复")
            return _signed(ident, 200, {"prepay_id": row[3]})
        prepay_id = "wx" + datetime.now(UTC).strftime("%d%H%M%S") + secrets.token_hex(13)
        conn.execute("INSERT INTO pay_orders VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                     (out_trade_no, ident["mchid"], ident["appid"], prepay_id, total, openid, body["notify_url"],
                      str(body.get("description", "")), "NOTPAY", None, None, time.time()))
    return _signed(ident, 200, {"prepay_id": prepay_id})


@bp.get("/v3/pay/transactions/out-trade-no/<out_trade_no>")
def query_order(out_trade_no: str):  # type: ignore[no-untyped-def]
    ident = _ident()
    if not _merchant_ok(ident):
        return _error(ident, 401, "SIGN_ERROR", "签名错误")
    with _db() as conn:
        row = conn.execute("SELECT * FROM pay_orders WHERE out_trade_no = ?", (out_trade_no,)).fetchone()
    if row is None:
        return _error(ident, 404, "ORDER_NOT_EXIST", "订单不存在")
    return _signed(ident, 200, _transaction(row, ident["appid"]))


@bp.post("/v3/pay/transactions/out-trade-no/<out_trade_no>/close")
def close_order(out_trade_no: str):  # type: ignore[no-untyped-def]
    ident = _ident()
    if not _merchant_ok(ident):
        return _error(ident, 401, "SIGN_ERROR", "签名错误")
    with _db() as conn:
        row = conn.execute("SELECT trade_state FROM pay_orders WHERE out_trade_no = ?", (out_trade_no,)).fetchone()
        if row is None:
            return _error(ident, 404, "ORDER_NOT_EXIST", "订单不存在")
        if row[0] == "SUCCESS":
            return _error(ident, 400, "ORDERPAID", "订单已支付")
        conn.execute("UPDATE pay_orders SET trade_state = 'CLOSED' WHERE out_trade_no = ?", (out_trade_no,))
    return _signed(ident, 204, None)


@bp.post("/pay/confirm")
def phone_confirms():  # type: ignore[no-untyped-def]
    """What ``wx.requestPayment`` does when the diner pays: the order succeeds, a notify follows."""
    ident = _ident()
    body = request.get_json(silent=True) or {}
    prepay_id = body.get("prepay_id") or str(body.get("package", "")).removeprefix("prepay_id=")
    if not isinstance(prepay_id, str):  # a number too big for SQLite would fail the query
        return {"error": {"code": "not_found", "message": "no such prepay_id"}}, 404
    with _db() as conn:
        row = conn.execute("SELECT * FROM pay_orders WHERE prepay_id = ?", (prepay_id,)).fetchone()
        if row is None:
            return {"error": {"code": "not_found", "message": "no such prepay_id"}}, 404
        if row[8] == "CLOSED":
            return {"error": {"code": "invalid_state", "message": "this payment was closed"}}, 409
        if row[8] != "SUCCESS":
            txn = "4200" + datetime.now(UTC).strftime("%Y%m%d") + "".join(str(secrets.randbelow(10)) for _ in range(16))
            when = datetime.now(UTC).astimezone().isoformat(timespec="seconds")
            conn.execute("UPDATE pay_orders SET trade_state='SUCCESS', transaction_id=?, success_time=? "
                         "WHERE prepay_id=?", (txn, when, prepay_id))
            row = conn.execute("SELECT * FROM pay_orders WHERE prepay_id = ?", (prepay_id,)).fetchone()
    send_notify(ident, row[6], "TRANSACTION.SUCCESS", "transaction", _transaction(row, ident["appid"]))
    return {"status": "SUCCESS"}


def notify_message(ident: dict[str, str], event_type: str, original_type: str,
                   resource: dict[str, Any]) -> tuple[str, dict[str, str]]:
    """A notify body and headers, encrypted and signed the way WeChat Pay does."""
    nonce = secrets.token_urlsafe(9)[:12]
    cipher = AESGCM(ident["apiv3_key"].encode()).encrypt(
        nonce.encode(), json.dumps(resource, ensure_ascii=False).encode(), original_type.encode())
    body = json.dumps({
        "id": str(uuid.uuid4()), "create_time": datetime.now(UTC).astimezone().isoformat(timespec="seconds"),
        "resource_type": "encrypt-resource", "event_type": event_type, "summary": "支付成功",
        "resource": {"original_type": original_type, "algorithm": "AEAD_AES_256_GCM",
                     "ciphertext": base64.b64encode(cipher).decode(), "associated_data": original_type,
                     "nonce": nonce}}, ensure_ascii=False)
    key = serialization.load_pem_private_key(ident["platform_key"].encode(), password=None)
    ts, n = str(int(time.time())), secrets.token_hex(16)
    headers = {"Content-Type": "application/json", "Wechatpay-Timestamp": ts, "Wechatpay-Nonce": n,
               "Wechatpay-Serial": ident["public_key_id"],
               "Wechatpay-Signature": sign(key, f"{ts}\n{n}\n{body}\n")}  # type: ignore[arg-type]
    return body, headers


def send_notify(ident: dict[str, str], url: str, event_type: str, original_type: str,
                resource: dict[str, Any]) -> threading.Thread:
    """Deliver in the background, retrying until the merchant acknowledges with 2xx."""

    def deliver() -> None:
        for delay in NOTIFY_DELAYS:
            time.sleep(delay)
            body, headers = notify_message(ident, event_type, original_type, resource)
            try:
                if requests.post(url, data=body.encode(), headers=headers, timeout=10).status_code < 300:
                    return
            except requests.RequestException:
                pass
        log.warning("sandbox notify for %s never acknowledged", resource.get("out_trade_no"))

    thread = threading.Thread(target=deliver, daemon=True)
    thread.start()
    return thread


@bp.post("/v3/refund/domestic/refunds")
def refund():  # type: ignore[no-untyped-def]
    """A refund: checked against what was paid and already refunded; a notify follows."""
    ident = _ident()
    if not _merchant_ok(ident):
        return _error(ident, 401, "SIGN_ERROR", "签名错误")
    body = request.get_json(silent=True) or {}
    amount = body.get("amount") or {}
    out_trade_no, out_refund_no = str(body.get("out_trade_no", "")), str(body.get("out_refund_no", ""))
    wanted = amount.get("refund")
    if not isinstance(wanted, int) or wanted <= 0 or not out_refund_no or not body.get("notify_url"):
        return _error(ident, 400, "PARAM_ERROR", "参数错误")
    with _db() as conn:
        row = conn.execute("SELECT * FROM pay_orders WHERE out_trade_no = ?", (out_trade_no,)).fetchone()
        if row is None or row[8] != "SUCCESS":
            return _error(ident, 404, "RESOURCE_NOT_EXISTS", "订单不存在或未支付")
        if amount.get("total") != row[4]:
            return _error(ident, 400, "PARAM_ERROR", "订单金额不一致")
        done = conn.execute("SELECT refund_id, amount FROM pay_refunds WHERE out_refund_no = ?",
                            (out_refund_no,)).fetchone()
        if done is None:
            already = conn.execute("SELECT COALESCE(SUM(amount), 0) FROM pay_refunds WHERE out_trade_no = ?",
                                   (out_trade_no,)).fetchone()[0]
            if already + wanted > row[4]:
                return _error(ident, 403, "NOT_ENOUGH", "申请退款金额超过订单可退金额")
            refund_id = "5030" + "".join(str(secrets.randbelow(10)) for _ in range(24))
            conn.execute("INSERT INTO pay_refunds VALUES (?,?,?,?)", (out_refund_no, out_trade_no, refund_id, wanted))
        else:
            refund_id = done[0]
    resource = {"mchid": ident["mchid"], "out_trade_no": out_trade_no, "transaction_id": row[9],
                "out_refund_no": out_refund_no, "refund_id": refund_id, "refund_status": "SUCCESS",
                "success_time": datetime.now(UTC).astimezone().isoformat(timespec="seconds"),
                "amount": {"total": row[4], "refund": wanted, "payer_total": row[4], "payer_refund": wanted},
                "user_received_account": "支付用户零钱"}
    send_notify(ident, str(body["notify_url"]), "REFUND.SUCCESS", "refund", resource)
    return _signed(ident, 200, {"refund_id": refund_id, "out_refund_no": out_refund_no, "transaction_id": row[9],
                                "out_trade_no": out_trade_no, "channel": "ORIGINAL", "status": "PROCESSING",
                                "amount": {"total": row[4], "refund": wanted, "currency": "CNY"}})
