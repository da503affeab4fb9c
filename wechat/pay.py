"""WeChat Pay API v3 (JSAPI), with ``cryptography`` only.

Why not an SDK: wechatpy speaks the old API v2 only; wechatpayv3 works but keeps its gateway in a
private attribute and wants certificate files laid out its way. The protocol is small — RSA
SHA-256 PKCS#1 v1.5 signatures over a newline-joined message, AES-256-GCM for notify
resources — and every primitive comes from ``cryptography``; nothing here is hand-made crypto.

- Requests carry ``Authorization: WECHATPAY2-SHA256-RSA2048 mchid=…,nonce_str=…,signature=…,
  timestamp=…,serial_no=…`` signed over ``METHOD\\nPATH\\nTIMESTAMP\\nNONCE\\nBODY\\n``.
- Answers and notifies are verified over ``TIMESTAMP\\nNONCE\\nBODY\\n`` with the WeChat Pay
  public key named by ``Wechatpay-Serial`` (its public key id, or a platform certificate serial).
- ``request_payment`` for ``wx.requestPayment`` is signed over ``appId\\ntimeStamp\\nnonceStr\\n
  package\\n`` with the merchant key.
- Calls go through ``wechat/http.py``: pooled connections, a timeout per call, and a retry when
  the connection failed before an answer and repeating is harmless (see there).
"""
from __future__ import annotations

import base64
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import requests
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.x509 import load_pem_x509_certificate

from wechat.http import KEYED_WRITE, QUERY, Policy, pooled_session, send

MAX_SKEW = 300  # seconds: WeChat's own limit for a notify's timestamp
SIGNATURE_TYPE = "WECHATPAY2-SHA256-RSA2048"


class PayError(Exception):
    """WeChat Pay could not be reached, refused the call, or answered without a valid signature."""

    def __init__(self, message: str, status: int | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.status, self.code = status, code


class NotifyRejected(Exception):
    """A notify that is forged, tampered with, stale or unreadable: never credit it."""


def sign(key: rsa.RSAPrivateKey, message: str) -> str:
    return base64.b64encode(key.sign(message.encode(), padding.PKCS1v15(), hashes.SHA256())).decode()


def verify(public_key: rsa.RSAPublicKey, message: str, signature: str) -> bool:
    try:
        public_key.verify(base64.b64decode(signature), message.encode(), padding.PKCS1v15(), hashes.SHA256())
        return True
    except (InvalidSignature, ValueError):
        return False


def load_public_key(pem: bytes) -> rsa.RSAPublicKey:
    """A WeChat Pay public key (PEM), or a platform certificate's key for merchants still on it."""
    key: object = (load_pem_x509_certificate(pem).public_key() if b"BEGIN CERTIFICATE" in pem
                   else serialization.load_pem_public_key(pem))
    if not isinstance(key, rsa.RSAPublicKey):
        raise ValueError("WeChat Pay keys are RSA")
    return key


@dataclass
class PayConfig:
    appid: str
    mchid: str
    api_base: str
    merchant_key_pem: bytes
    merchant_serial: str
    apiv3_key: str
    wechat_public_keys: dict[str, bytes]  # public key id or certificate serial -> PEM


class WechatPay:
    def __init__(self, cfg: PayConfig, session: requests.Session | None = None) -> None:
        self.cfg = cfg
        key = serialization.load_pem_private_key(cfg.merchant_key_pem, password=None)
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ValueError("the merchant key must be RSA")
        self._key = key
        self._wechat_keys = {kid: load_public_key(pem) for kid, pem in cfg.wechat_public_keys.items()}
        self._aead = AESGCM(cfg.apiv3_key.encode())
        self._http = session or pooled_session()

    # -- signatures -------------------------------------------------------------------------
    def authorization(self, method: str, path: str, body: str) -> str:
        ts, nonce = str(int(time.time())), secrets.token_hex(16)
        signature = sign(self._key, f"{method}\n{path}\n{ts}\n{nonce}\n{body}\n")
        return (f'{SIGNATURE_TYPE} mchid="{self.cfg.mchid}",nonce_str="{nonce}",'
                f'signature="{signature}",timestamp="{ts}",serial_no="{self.cfg.merchant_serial}"')

    def verify_signed(self, headers: Any, body: str, max_skew: int | None = None) -> None:
        """Check WeChat's signature on an answer or a notify; raise NotifyRejected if it fails."""
        serial = headers.get("Wechatpay-Serial", "")
        ts = headers.get("Wechatpay-Timestamp", "")
        nonce = headers.get("Wechatpay-Nonce", "")
        signature = headers.get("Wechatpay-Signature", "")
        # WeChat names its algorithm; absent means the one v3 has always used.
        if headers.get("Wechatpay-Signature-Type", SIGNATURE_TYPE) != SIGNATURE_TYPE:
            raise NotifyRejected("unknown Wechatpay-Signature-Type")
        key = self._wechat_keys.get(serial)
        if key is None:
            raise NotifyRejected("unknown Wechatpay-Serial")
        if max_skew is not None:
            if not ts.isdigit() or abs(time.time() - int(ts)) > max_skew:
                raise NotifyRejected("stale or missing timestamp")
        if not verify(key, f"{ts}\n{nonce}\n{body}\n", signature):
            raise NotifyRejected("bad signature")

    def request_payment(self, prepay_id: str) -> dict[str, str]:
        """What the mini-program (or H5 bridge) passes to ``wx.requestPayment``."""
        ts, nonce, package = str(int(time.time())), secrets.token_hex(16), f"prepay_id={prepay_id}"
        return {"appId": self.cfg.appid, "timeStamp": ts, "nonceStr": nonce, "package": package, "signType": "RSA",
                "paySign": sign(self._key, f"{self.cfg.appid}\n{ts}\n{nonce}\n{package}\n")}

    def decrypt_resource(self, resource: dict[str, Any]) -> dict[str, Any]:
        try:
            if resource.get("algorithm") != "AEAD_AES_256_GCM":
                raise NotifyRejected("unknown algorithm")
            plain = self._aead.decrypt(str(resource["nonce"]).encode(), base64.b64decode(resource["ciphertext"]),
                                       str(resource.get("associated_data", "")).encode())
            data = json.loads(plain)
        except (KeyError, ValueError, TypeError, InvalidTag) as exc:
            raise NotifyRejected("resource does not decrypt") from exc
        if not isinstance(data, dict):
            raise NotifyRejected("resource is not an object")
        return data

    def parse_notify(self, headers: Any, body: str) -> dict[str, Any]:
        """Verify and decrypt a notify; the decrypted resource (a transaction or a refund)."""
        self.verify_signed(headers, body, max_skew=MAX_SKEW)
        try:
            envelope = json.loads(body)
            resource = envelope["resource"]
        except (ValueError, KeyError, TypeError) as exc:
            raise NotifyRejected("not a notify") from exc
        if not isinstance(resource, dict):
            raise NotifyRejected("not a notify")
        return self.decrypt_resource(resource)

    # -- calls --------------------------------------------------------------------------------
    def _call(self, method: str, path: str, payload: dict[str, Any] | None = None,
              policy: Policy = QUERY) -> dict[str, Any]:
        return self._exchange(method, path, payload, policy)[1]

    def _exchange(self, method: str, path: str, payload: dict[str, Any] | None = None,
                  policy: Policy = QUERY) -> tuple[int, dict[str, Any]]:
        """One API call: its status (2xx) and verified answer; PayError otherwise. ``path`` (with
        its query) is what WeChat signs: the part after the base URL, as every SDK signs it,
        whether the base is WeChat's host or a sandbox's mount."""
        body = "" if payload is None else json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        url = self.cfg.api_base.rstrip("/") + path

        def build() -> requests.Request:
            headers = {"Authorization": self.authorization(method, path, body), "Accept": "application/json",
                       "Content-Type": "application/json", "User-Agent": "diancan"}
            return requests.Request(method, url, data=body.encode() or None, headers=headers)

        try:
            resp = send(self._http, build, policy)
        except requests.RequestException as exc:
            raise PayError("WeChat Pay is unreachable") from exc
        text = resp.text
        if resp.status_code >= 300:
            try:
                err = resp.json()
            except ValueError:
                err = {}
            err = err if isinstance(err, dict) else {}
            raise PayError(err.get("message", "WeChat Pay refused the call"), resp.status_code, err.get("code"))
        try:
            self.verify_signed(resp.headers, text)
        except NotifyRejected as exc:
            raise PayError(f"WeChat Pay's answer failed verification: {exc}") from exc
        data = json.loads(text) if text else {}
        return resp.status_code, data if isinstance(data, dict) else {}

    def jsapi_prepay(self, out_trade_no: str, total: int, description: str, openid: str,
                     notify_url: str) -> str:
        """A prepay_id. Repeated with the same out_trade_no when the first attempt may have reached
        WeChat without an answer coming back: WeChat treats it as the same order."""
        answer = self._call("POST", "/v3/pay/transactions/jsapi", {
            "appid": self.cfg.appid, "mchid": self.cfg.mchid, "description": description[:127],
            "out_trade_no": out_trade_no, "notify_url": notify_url,
            "amount": {"total": total, "currency": "CNY"}, "payer": {"openid": openid}}, KEYED_WRITE)
        prepay_id = answer.get("prepay_id")
        if not isinstance(prepay_id, str):
            raise PayError("no prepay_id in WeChat Pay's answer")
        return prepay_id

    def query(self, out_trade_no: str) -> dict[str, Any]:
        return self._call("GET", f"/v3/pay/transactions/out-trade-no/{quote(out_trade_no, safe='')}"
                                 f"?mchid={self.cfg.mchid}")

    def query_by_transaction_id(self, transaction_id: str) -> dict[str, Any]:
        return self._call("GET", f"/v3/pay/transactions/id/{quote(transaction_id, safe='')}?mchid={self.cfg.mchid}")

    def close(self, out_trade_no: str) -> None:
        self._call("POST", f"/v3/pay/transactions/out-trade-no/{quote(out_trade_no, safe='')}/close",
                   {"mchid": self.cfg.mchid}, KEYED_WRITE)

    def refund(self, out_trade_no: str, out_refund_no: str, refund: int, total: int, reason: str,
               notify_url: str) -> dict[str, Any]:
        """Repeatable: the same out_refund_no is the same refund at WeChat, never a second one."""
        return self._call("POST", "/v3/refund/domestic/refunds", {
            "out_trade_no": out_trade_no, "out_refund_no": out_refund_no, "reason": reason[:80] or None,
            "notify_url": notify_url, "amount": {"refund": refund, "total": total, "currency": "CNY"}}, KEYED_WRITE)

    def query_refund(self, out_refund_no: str) -> dict[str, Any]:
        return self._call("GET", f"/v3/refund/domestic/refunds/{quote(out_refund_no, safe='')}")

    # -- payment codes (付款码) -----------------------------------------------------------------
    def codepay(self, out_trade_no: str, auth_code: str, total: int, description: str,
                device_id: str = "diancan-pos") -> tuple[int, dict[str, Any]]:
        """Charge a scanned payment code: (200, the transaction) when paid at once, (202,
        ``{"code": "USERPAYING"}``) while the payer enters the password. Repeated with the same
        out_trade_no when the first attempt may have reached WeChat (the same trade there)."""
        return self._exchange("POST", "/v3/pay/transactions/codepay", {
            "appid": self.cfg.appid, "mchid": self.cfg.mchid, "description": description[:127],
            "out_trade_no": out_trade_no, "payer": {"auth_code": auth_code},
            "amount": {"total": total, "currency": "CNY"}, "scene_info": {"device_id": device_id}}, KEYED_WRITE)

    def reverse(self, out_trade_no: str) -> None:
        """Cancel a payment-code trade: closed if unpaid, the money given back if paid."""
        self._call("POST", f"/v3/pay/transactions/out-trade-no/{quote(out_trade_no, safe='')}/reverse",
                   {"appid": self.cfg.appid, "mchid": self.cfg.mchid}, KEYED_WRITE)
