"""Notifies as WeChat Pay sends them: an encrypted resource in a signed envelope, retried until
the merchant answers 200 or 204.

WeChat retries a notify it got no success for at 15s, 15s, 30s, 3m, 10m, 20m, 30m, 30m, 30m, 60m,
3h, 3h, 3h, 6h, 6h after the first attempt (24 h 4 m in all). The sandbox keeps that schedule
but compressed: every wait is divided by ``COMPRESSION`` (60), so the whole day takes about 24
minutes and the first retries come after a quarter of a second.
"""
from __future__ import annotations

import base64
import json
import logging
import secrets
import threading
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import requests
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from wechat.sandbox.v3 import signature_headers

log = logging.getLogger(__name__)
WECHAT_SCHEDULE = (15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600)
COMPRESSION = 60
NOTIFY_TIMEOUT = 5  # seconds WeChat waits for the merchant's answer
SUMMARY = {"TRANSACTION.SUCCESS": "支付成功", "REFUND.SUCCESS": "退款成功", "REFUND.ABNORMAL": "退款异常",
           "REFUND.CLOSED": "退款关闭"}


def retry_delays(compression: float = COMPRESSION) -> list[float]:
    """Seconds to wait before each attempt: the first at once, then WeChat's schedule, compressed."""
    return [0.0] + [step / compression for step in WECHAT_SCHEDULE]


def now_rfc3339() -> str:
    return datetime.now(UTC).astimezone().isoformat(timespec="seconds")


def aead_encrypt(apiv3_key: str, associated_data: str, plaintext: str) -> dict[str, str]:
    """AES-256-GCM under the APIv3 key, written as WeChat writes it (base64 ciphertext with the tag)."""
    nonce = secrets.token_urlsafe(9)[:12]  # WeChat's nonces are 12 characters
    cipher = AESGCM(apiv3_key.encode()).encrypt(nonce.encode(), plaintext.encode(), associated_data.encode())
    return {"algorithm": "AEAD_AES_256_GCM", "ciphertext": base64.b64encode(cipher).decode(),
            "associated_data": associated_data, "nonce": nonce}


def encrypt_resource(apiv3_key: str, original_type: str, resource: dict[str, Any]) -> dict[str, str]:
    return {"original_type": original_type,
            **aead_encrypt(apiv3_key, original_type, json.dumps(resource, ensure_ascii=False))}


def notify_message(ident: dict[str, str], event_type: str, original_type: str, resource: dict[str, Any],
                   mode: str = "public_key") -> tuple[str, dict[str, str]]:
    """A notify body and headers, encrypted and signed the way WeChat Pay does."""
    body = json.dumps({
        "id": str(uuid.uuid4()), "create_time": now_rfc3339(), "resource_type": "encrypt-resource",
        "event_type": event_type, "summary": SUMMARY.get(event_type, "支付成功"),
        "resource": encrypt_resource(ident["apiv3_key"], original_type, resource)}, ensure_ascii=False)
    return body, {"Content-Type": "application/json", **signature_headers(ident, body, mode)}


def send_notify(ident: dict[str, str], url: str, event_type: str, original_type: str, resource: dict[str, Any],
                mode: str = "public_key", delays: list[float] | None = None) -> threading.Thread:
    """Deliver in the background on the (compressed) schedule until the merchant acknowledges.

    Each attempt is signed afresh, as WeChat's are: a merchant checking timestamps never sees a
    stale retry."""
    schedule = retry_delays() if delays is None else delays

    def deliver() -> None:
        for delay in schedule:
            time.sleep(delay)
            body, headers = notify_message(ident, event_type, original_type, resource, mode)
            try:
                answer = requests.post(url, data=body.encode(), headers=headers, timeout=NOTIFY_TIMEOUT)
                if answer.status_code in (200, 204):
                    return
            except requests.RequestException:
                pass
        log.warning("sandbox notify %s for %s never acknowledged", event_type, resource.get("out_trade_no"))

    thread = threading.Thread(target=deliver, daemon=True, name="wechat-sandbox-notify")
    thread.start()
    return thread
