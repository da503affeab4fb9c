"""Personal data at rest: AES-256-GCM under versioned keys, and a keyed hash for look-ups.

``DATA_KEYS`` is ``"<id>:<base64 key>,…"``; the last key encrypts, every listed key decrypts,
so keys can be rotated by appending one and re-encrypting. Ciphertext is
``<id>`` (1 byte) + nonce (12 bytes) + AES-GCM output, with the purpose as associated data.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM


class DataCipher:
    def __init__(self, data_keys: str, lookup_key: str) -> None:
        self._keys: dict[int, AESGCM] = {}
        current = None
        for part in filter(None, (p.strip() for p in data_keys.split(","))):
            kid, _, b64 = part.partition(":")
            key = base64.b64decode(b64)
            if len(key) != 32 or not 0 < int(kid) < 256:
                raise ValueError("DATA_KEYS entries must be <1-255>:<base64 of 32 bytes>")
            self._keys[int(kid)] = AESGCM(key)
            current = int(kid)
        if current is None:
            raise ValueError("DATA_KEYS is empty")
        self.current = current
        self._lookup = base64.b64decode(lookup_key)

    def encrypt(self, plaintext: str, purpose: str) -> bytes:
        nonce = os.urandom(12)
        ct = self._keys[self.current].encrypt(nonce, plaintext.encode(), purpose.encode())
        return bytes([self.current]) + nonce + ct

    def decrypt(self, blob: bytes, purpose: str) -> str:
        kid, nonce, ct = blob[0], blob[1:13], blob[13:]
        return self._keys[kid].decrypt(nonce, ct, purpose.encode()).decode()

    def lookup_hash(self, value: str, purpose: str) -> str:
        return hmac.new(self._lookup, f"{purpose}|{value}".encode(), hashlib.sha256).hexdigest()
