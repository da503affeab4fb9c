"""Alipay's open-API gateway as the sandbox speaks it: ``/alipay-sandbox/gateway.do``.

- A request is the common parameters (``app_id``, ``method``, ``charset``, ``sign_type``,
  ``timestamp``, ``version``, ``sign``, ``biz_content`` …), in the query string, a form body or
  both (SDKs differ: python-alipay-sdk sends one GET, Alipay's own SDKs POST a form), GET or POST.
- Its signature is checked as Alipay checks it: RSA2 (SHA256withRSA) over every parameter but
  ``sign``, empty ones left out, sorted by name, joined as ``k=v`` with ``&``, values as sent
  (not URL-encoded), verified with the *app's* public key.
- An answer is ``{"<method>_response": {…}, "sign": "…"}`` (``alipay.trade.pay`` →
  ``alipay_trade_pay_response``), signed with *Alipay's* key over the exact JSON text of the
  ``…_response`` value, as SDKs cut it out of the body to verify.
- Codes as Alipay documents them: ``10000`` success, ``10003`` waiting for the payer, ``20000``
  service unavailable, ``40001`` missing argument, ``40002`` invalid argument (``isv.*``),
  ``40004`` business failure with an ``ACQ.*`` ``sub_code``. An unknown method or app id gets an
  unsigned ``error_response``, as Alipay answers what it cannot attribute to an app.

Each API is a function in ``trades`` registered in :data:`METHODS`.
"""
from __future__ import annotations

import base64
import functools
import json
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from flask import Blueprint, Response, current_app, g, request

from config.sandbox import alipay_sandbox_identity

bp = Blueprint("alipay_sandbox", __name__, url_prefix="/alipay-sandbox")

# Alipay reads ``timestamp`` as Beijing time, yet SDKs write the caller's local time (python-alipay-sdk
# uses datetime.now()) and Alipay takes them from servers in any zone: the sandbox checks the format
# and refuses only a time more than a day away, whatever the two clocks' zones.
MAX_SKEW = 24 * 3600
MESSAGES = {"10000": "Success", "10003": " order success pay inprocess", "20000": "Service Currently Unavailable",
            "40001": "Missing Required Arguments", "40002": "Invalid Arguments", "40004": "Business Failed"}

Answer = tuple[str, dict[str, Any]]  # (code, the rest of the …_response object)
METHODS: dict[str, Callable[[dict[str, str], dict[str, Any]], Answer]] = {}


class BizError(Exception):
    """A 40004 business failure (or another code) with Alipay's sub_code and words."""

    def __init__(self, sub_code: str, sub_msg: str, code: str = "40004", **extra: Any) -> None:
        super().__init__(sub_code)
        self.code, self.sub_code, self.sub_msg, self.extra = code, sub_code, sub_msg, extra


def method(name: str) -> Callable[[Callable[[dict[str, str], dict[str, Any]], Answer]],
                                  Callable[[dict[str, str], dict[str, Any]], Answer]]:
    def register(fn: Callable[[dict[str, str], dict[str, Any]], Answer]) -> Callable[..., Answer]:
        METHODS[name] = fn
        return fn
    return register


def ident() -> dict[str, str]:
    return alipay_sandbox_identity(Path(current_app.config["INSTANCE_PATH"]))


def sign_content(params: dict[str, str]) -> str:
    return "&".join(f"{k}={v}" for k, v in sorted(params.items()) if k != "sign" and v != "")


def rsa2_sign(private_pem: str, text: str) -> str:
    key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    return base64.b64encode(key.sign(text.encode(), padding.PKCS1v15(), hashes.SHA256())).decode()


def rsa2_verify(public_pem: str, text: str, signature: str) -> bool:
    key = serialization.load_pem_public_key(public_pem.encode())
    assert isinstance(key, rsa.RSAPublicKey)
    try:
        key.verify(base64.b64decode(signature, validate=True), text.encode(), padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError):  # UnicodeEncodeError (a lone surrogate) is a ValueError too
        return False
    return True


def answer(method_name: str, code: str, body: dict[str, Any], signed: bool = True) -> Response:
    """Alipay's JSON answer. The signed text is the ``…_response`` value exactly as written."""
    inner = json.dumps({"code": code, "msg": MESSAGES[code], **body}, ensure_ascii=False, separators=(",", ":"))
    key = method_name.replace(".", "_") + "_response" if method_name in METHODS else "error_response"
    text = f'{{"{key}":{inner}'
    if signed:
        signer = _stranger_key() if g.get("alipay_forge") else ident()["alipay_key"]
        text += f',"sign":"{rsa2_sign(signer, inner)}"'
    return Response(text + "}", content_type="text/html;charset=utf-8")  # as Alipay labels it


@functools.cache
def _stranger_key() -> str:
    """A key that is not Alipay's: what a forged answer is signed with (the ``forge_query`` fault)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def _params() -> dict[str, str]:
    params = {k: v for k, v in request.args.items()}
    params.update(request.form.items())
    return params


def _common_refusal(params: dict[str, str], who: dict[str, str]) -> tuple[str, str, str, bool] | None:
    """(code, sub_code, sub_msg, signed) when the common parameters are refused, else None."""
    for name in ("app_id", "method", "sign_type", "sign", "timestamp", "version", "charset"):
        if not params.get(name):
            return "40001", f"isv.missing-{name.replace('_', '-')}", f"缺少{name}参数", name not in ("app_id", "method")
    if params["method"] not in METHODS:
        return "40002", "isv.invalid-method", "不存在的方法名", False
    if params["app_id"] != who["appid"]:
        return "40002", "isv.invalid-app-id", "无效的AppID参数", False
    if params["sign_type"] != "RSA2":
        return "40002", "isv.invalid-signature-type", "无效的签名类型", True
    if params["charset"].lower() != "utf-8":
        return "40002", "isv.invalid-charset", "字符集错误", True
    try:
        sent = datetime.strptime(params["timestamp"], "%Y-%m-%d %H:%M:%S").timestamp()
    except (ValueError, OverflowError, OSError):
        return "40002", "isv.invalid-timestamp", "非法的时间戳参数", True
    if abs(time.time() - sent) > MAX_SKEW:
        return "40002", "isv.invalid-timestamp", "非法的时间戳参数", True
    content = sign_content(params)
    if not rsa2_verify(who["app_pub"], content, params["sign"]):
        shown = content.encode("utf-8", "replace").decode()
        return "40002", "isv.invalid-signature", ("验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配，"
                                                  f"网关生成的验签字符串为：{shown}"), True
    return None


@bp.route("/gateway.do", methods=["GET", "POST"])
def gateway() -> Response:
    params, who = _params(), ident()
    method_name = params.get("method", "")
    refused = _common_refusal(params, who)
    if refused is not None:
        code, sub_code, sub_msg, signed = refused
        return answer(method_name, code, {"sub_code": sub_code, "sub_msg": sub_msg}, signed)
    try:
        biz = json.loads(params.get("biz_content") or "{}")
        if not isinstance(biz, dict):
            raise ValueError
    except (ValueError, RecursionError):
        return answer(method_name, "40002", {"sub_code": "isv.invalid-biz-content", "sub_msg": "biz_content格式错误"})
    try:
        code, body = METHODS[method_name](params, biz)
    except BizError as exc:
        return answer(method_name, exc.code, {"sub_code": exc.sub_code, "sub_msg": exc.sub_msg, **exc.extra})
    return answer(method_name, code, body)
