"""Platform certificates, for merchants still on them: ``GET /v3/certificates`` as WeChat serves
it (each certificate's PEM encrypted with AES-256-GCM under the merchant's APIv3 key, associated
data ``certificate``), and the merchant platform's switch between the two verification modes.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from flask import Response, jsonify, request

from config.sandbox import platform_certificate
from wechat.sandbox.notify import aead_encrypt
from wechat.sandbox.routes import bp
from wechat.sandbox.v3 import MODES, ident, merchant_call, set_verification_mode, signed, verification_mode

BEIJING = timezone(timedelta(hours=8))


def _rfc3339(when: datetime) -> str:
    return when.astimezone(BEIJING).isoformat(timespec="seconds")


@bp.get("/v3/certificates")
@merchant_call
def certificates() -> Response:
    """Signed with the certificate itself: a client downloading it has nothing else to check with."""
    who = ident()
    pem, serial, cert = platform_certificate(who)
    return signed(200, {"data": [{"serial_no": serial, "effective_time": _rfc3339(cert.not_valid_before_utc),
                                  "expire_time": _rfc3339(cert.not_valid_after_utc),
                                  "encrypt_certificate": aead_encrypt(who["apiv3_key"], "certificate", pem)}]},
                  mode="platform_certificate")


@bp.route("/merchant/verification", methods=["GET", "PUT"])
def verification():  # type: ignore[no-untyped-def]
    """The merchant platform's setting (sandbox only, unsigned like the phone's routes): which of
    WeChat Pay's keys signs answers and notifies, ``public_key`` or ``platform_certificate``."""
    if request.method == "PUT":
        body = request.get_json(silent=True)
        mode = body.get("mode") if isinstance(body, dict) else None
        if mode not in MODES:
            return jsonify({"error": {"code": "validation_error", "message": f"mode: one of {', '.join(MODES)}"}}), 422
        set_verification_mode(mode)
    return jsonify({"mode": verification_mode()})
