"""WeChat Pay API v3 as the sandbox speaks it: what every Pay route shares.

- A merchant's request is checked as WeChat checks it: ``Authorization:
  WECHATPAY2-SHA256-RSA2048 mchid=…,serial_no=…,nonce_str=…,timestamp=…,signature=…`` signed over
  ``METHOD\\nPATH?QUERY\\nTIMESTAMP\\nNONCE\\nBODY\\n``, where PATH is what the client asked of
  WeChat: the part of our URL after the sandbox's mount (``/wechat-sandbox``), since a client
  whose base URL is ``…/wechat-sandbox`` signs ``/v3/…`` exactly as it would for
  ``https://api.mch.weixin.qq.com``.
- Every answer (errors too) is signed over ``TIMESTAMP\\nNONCE\\nBODY\\n`` with WeChat Pay's key
  and carries ``Wechatpay-Serial``, ``-Timestamp``, ``-Nonce``, ``-Signature`` and
  ``-Signature-Type: WECHATPAY2-SHA256-RSA2048`` (SDKs refuse answers without the type).
- Which serial names the key depends on the merchant's verification mode, as on WeChat's
  merchant platform: ``public_key`` (``PUB_KEY_ID_…``, the default and what new merchants get)
  or ``platform_certificate`` (the serial of the certificate from ``GET /v3/certificates``).
- Errors are ``{"code", "message"}`` with WeChat's documented codes and HTTP statuses.

New Pay routes (the payment-code routes of the cashier work, for one) are one more module that
registers on ``bp`` and uses ``merchant_call``, ``signed`` and ``error`` from here.
"""
from __future__ import annotations

import functools
import json
import re
import secrets
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Response, current_app, g, request

from config.sandbox import platform_certificate, sandbox_identity
from wechat.pay import sign, verify
from wechat.sandbox.routes import bp
from wechat.sandbox.state import connect

SIGNATURE_TYPE = "WECHATPAY2-SHA256-RSA2048"
MAX_SKEW = 300  # seconds: WeChat refuses a request signed more than five minutes away
AUTH_FIELDS = re.compile(r'(\w+)="([^"]*)"')
MODES = ("public_key", "platform_certificate")

# The codes WeChat documents for these APIs, with their HTTP statuses.
STATUS = {"PARAM_ERROR": 400, "INVALID_REQUEST": 400, "MCH_NOT_EXISTS": 400, "APPID_MCHID_NOT_MATCH": 400,
          "ORDER_CLOSED": 400, "ORDERPAID": 400, "SIGN_ERROR": 401, "NO_AUTH": 403, "OUT_TRADE_NO_USED": 403,
          "NOT_ENOUGH": 403, "TRADE_ERROR": 403, "RULE_LIMIT": 403, "ORDER_NOT_EXIST": 404,
          "RESOURCE_NOT_EXISTS": 404, "FREQUENCY_LIMITED": 429, "SYSTEM_ERROR": 500, "BANK_ERROR": 500,
          # Payment codes: the payer must enter the password, the trade is in progress (codepay's 202)
          "USERPAYING": 202}


def ident() -> dict[str, str]:
    return sandbox_identity(Path(current_app.config["INSTANCE_PATH"]))


def db(write: bool = True):  # type: ignore[no-untyped-def]
    return connect(current_app.config["INSTANCE_PATH"], write)


def verification_mode() -> str:
    with db(write=False) as conn:
        row = conn.execute("SELECT value FROM merchant_settings WHERE name = 'verification'").fetchone()
    return row["value"] if row is not None else "public_key"


def set_verification_mode(mode: str) -> None:
    with db() as conn:
        conn.execute("INSERT OR REPLACE INTO merchant_settings (name, value) VALUES ('verification', ?)", (mode,))


def _platform_key(who: dict[str, str]) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(who["platform_key"].encode(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    return key


def signature_headers(who: dict[str, str], body: str, mode: str | None = None) -> dict[str, str]:
    """WeChat Pay's signature headers over ``body``, named as the merchant's mode says."""
    mode = mode or verification_mode()
    serial = platform_certificate(who)[1] if mode == "platform_certificate" else who["public_key_id"]
    ts, nonce = str(int(time.time())), secrets.token_hex(16)
    return {"Wechatpay-Timestamp": ts, "Wechatpay-Nonce": nonce, "Wechatpay-Serial": serial,
            "Wechatpay-Signature": sign(_platform_key(who), f"{ts}\n{nonce}\n{body}\n"),
            "Wechatpay-Signature-Type": SIGNATURE_TYPE}


def signed(status: int, payload: dict[str, Any] | None, mode: str | None = None) -> Response:
    body = "" if payload is None else json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    headers = signature_headers(ident(), body, mode) | {"Request-ID": uuid.uuid4().hex}
    return Response(body, status=status, mimetype="application/json" if body else None, headers=headers)


def error(code: str, message: str, detail: dict[str, Any] | None = None, status: int | None = None) -> Response:
    payload: dict[str, Any] = {"code": code, "message": message}
    if detail:
        payload["detail"] = detail
    return signed(status or STATUS[code], payload)


def missing(location: str, field: str, label: str) -> Response:
    """WeChat's words for a required field left out."""
    return error("PARAM_ERROR", f"输入源“/{location}/{field}”映射到字段“{label}”必填性规则校验失败，此字段为必填项",
                 {"field": f"/{location}/{field}", "location": location, "issue": "required"})


def _paths_signed() -> set[str]:
    """The path and query the client signed: raw as sent, and decoded (an SDK may sign ``|`` that
    its HTTP library then sends as ``%7C``). Both relative to the sandbox's mount."""
    env = request.environ
    mount = (request.script_root or "") + (bp.url_prefix or "")
    raw = env.get("RAW_URI") or env.get("REQUEST_URI") or ""
    decoded = request.path + (f"?{request.query_string.decode('latin-1')}" if request.query_string else "")
    paths = {decoded, quote(request.path, safe="/-_.~!$&'()*+,;=:@|") + decoded[len(request.path):]}
    if raw.startswith("/"):
        paths.add(raw)
    return {p.removeprefix(mount) for p in paths if p.startswith(mount)}


def _authorized(who: dict[str, str]) -> Response | None:
    header = request.headers.get("Authorization", "")
    scheme, _, rest = header.partition(" ")
    if scheme != SIGNATURE_TYPE:
        return error("SIGN_ERROR", "错误的签名，验签失败")
    fields = dict(AUTH_FIELDS.findall(rest))
    if fields.get("mchid") != who["mchid"]:
        return error("MCH_NOT_EXISTS", "商户号不存在")
    if fields.get("serial_no", "").upper() != who["merchant_serial"]:
        return error("SIGN_ERROR", "商户证书序列号有误。请使用签名私钥匹配的证书序列号")
    ts = fields.get("timestamp", "")
    if not ts.isdigit() or abs(time.time() - int(ts)) > MAX_SKEW:
        return error("SIGN_ERROR", "Http头Authorization中的timestamp与当前时间相差过大")
    public = serialization.load_pem_public_key(who["merchant_pub"].encode())
    assert isinstance(public, rsa.RSAPublicKey)
    body = request.get_data(as_text=True)
    for path in _paths_signed():
        if verify(public, f"{request.method}\n{path}\n{ts}\n{fields.get('nonce_str', '')}\n{body}\n",
                  fields.get("signature", "")):
            g.mchid = fields["mchid"]
            return None
    return error("SIGN_ERROR", "错误的签名，验签失败")


def merchant_call(view: Callable[..., Response]) -> Callable[..., Response]:
    """A Pay v3 route: the merchant's signature checked first, the request's JSON in ``g.body``."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Response:
        refused = _authorized(ident())
        if refused is not None:
            return refused
        body: Any = {}
        if request.method in ("POST", "PATCH", "PUT") and request.get_data():
            body = request.get_json(silent=True, force=True)
            if not isinstance(body, dict):
                return error("PARAM_ERROR", "请求体不是合法的JSON")
        g.body = body
        return view(*args, **kwargs)

    return wrapper


def mchid_refused(value: Any, location: str) -> Response | None:
    """The ``mchid`` a route takes in its body or query must be there and be the signer's."""
    if not value:
        return missing(location, "mchid", "直连商户号")
    if value != g.mchid:
        return error("MCH_NOT_EXISTS", "商户号不存在")
    return None
