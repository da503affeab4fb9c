"""Our own tokens: bearer tokens for diners and staff, and the tables' QR tokens.

Bearer tokens are itsdangerous timed signatures (salted per audience). QR tokens must also fit
a mini-program code's 32-character ``scene``, so they are ``<table>.<version>.<mac>`` in base36
with a truncated HMAC-SHA256 over store, table and version: unguessable, bound to one table,
and voided by bumping the version.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

_B36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def _b36(n: int) -> str:
    if n < 0:
        raise ValueError("negative")
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = _B36[r] + out
        if n == 0:
            return out


class TokenInvalid(Exception):
    pass


class TokenSigner:
    def __init__(self, secret_key: str) -> None:
        self._secret = secret_key.encode()
        self._serializers: dict[str, URLSafeTimedSerializer] = {}

    def _ser(self, audience: str) -> URLSafeTimedSerializer:
        if audience not in self._serializers:
            self._serializers[audience] = URLSafeTimedSerializer(self._secret, salt=f"diancan.{audience}")
        return self._serializers[audience]

    def issue(self, audience: str, payload: dict[str, Any]) -> str:
        return self._ser(audience).dumps(payload)

    def read(self, audience: str, token: str, max_age: int) -> dict[str, Any]:
        try:
            data = self._ser(audience).loads(token, max_age=max_age)
        except (BadSignature, SignatureExpired) as exc:
            raise TokenInvalid(str(exc)) from exc
        if not isinstance(data, dict):
            raise TokenInvalid("malformed")
        return data

    # -- QR tokens ---------------------------------------------------------------------------
    def _qr_mac(self, store_id: int, table_id: int, version: int) -> str:
        msg = f"qr|{store_id}|{table_id}|{version}".encode()
        digest = hmac.new(self._secret, msg, hashlib.sha256).digest()[:12]
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    def qr_token(self, store_id: int, table_id: int, version: int) -> str:
        return f"{_b36(table_id)}.{_b36(version)}.{self._qr_mac(store_id, table_id, version)}"

    def parse_qr(self, token: str) -> QrClaim:
        """Split a QR token; the caller must then call ``verify_qr`` with the table's store."""
        parts = token.split(".")
        if len(parts) != 3 or len(token) > 64:
            raise TokenInvalid("malformed qr token")
        try:
            table_id, version = int(parts[0], 36), int(parts[1], 36)
        except ValueError as exc:
            raise TokenInvalid("malformed qr token") from exc
        if not (0 < table_id < 2**31 and 0 < version < 2**31):
            raise TokenInvalid("malformed qr token")
        return QrClaim(table_id=table_id, version=version, mac=parts[2])

    def verify_qr(self, claim: QrClaim, store_id: int) -> bool:
        return hmac.compare_digest(claim.mac, self._qr_mac(store_id, claim.table_id, claim.version))


@dataclass(frozen=True)
class QrClaim:
    table_id: int
    version: int
    mac: str
