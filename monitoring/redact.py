"""One place that takes personal values and secrets out of log records.

Two nets: by key (a field named like a token, password, openid or phone is blanked whatever it
holds) and by shape (anything in any text that looks like an openid, a bearer token, a session
key, a signature, a table's QR token or a phone number). The shape net is deliberately wide:
losing a harmless long id from a log line costs little; leaking an openid costs a diner.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

MASK = "[redacted]"

# Keys whose values are never logged, whatever they look like.
SECRET_KEY_NAMES = re.compile(
    r"(token|secret|passw|openid|unionid|session_?key|phone|mobile|authorization|cookie|signature|sign$|"
    r"api_?key|apiv3|private|auth_code|js_code|^code$|prepay|paysign|nonce)", re.IGNORECASE)
# Keys we write ourselves with values we control: left as they are.
SAFE_KEYS = frozenset({"timestamp", "level", "logger", "request_id", "route", "method", "status", "duration_ms",
                       "store_id", "namespace", "event_name", "sid_count", "pid"})

_PATTERNS = [
    # Authorization headers and token= / code= / key= pairs in query strings or messages.
    re.compile(r"(?i)\b(bearer|basic)\s+[^\s,;\"']+"),
    re.compile(r"(?i)\b([a-z_]*(?:token|code|key|secret|sign|openid|password|phone)[a-z_]*)=([^&\s,;\"']+)"),
    # QR tokens: base-36 table id, version, and a 16-character MAC.
    re.compile(r"\b[0-9a-z]{1,7}\.[0-9a-z]{1,7}\.[A-Za-z0-9_-]{16}\b"),
    # Long runs of token characters holding both letters and digits: openids (28), session keys
    # (base64), our signed tokens (each dotted part), WeChat codes, signatures, keys.
    re.compile(r"(?<![A-Za-z0-9_\-=])(?=[A-Za-z0-9_\-=]*[0-9])(?=[A-Za-z0-9_\-=]*[A-Za-z])[A-Za-z0-9_\-=]{16,}"),
    # Standard base64 secrets (a WeChat session_key is 16 bytes: 22 characters and "=="), which
    # may hold "/" and "+"; file paths in tracebacks never end in "=".
    re.compile(r"(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{16,}={1,2}(?![A-Za-z0-9+/=])"),
    # Mainland mobile numbers (optionally +86), and other international-looking numbers.
    re.compile(r"(?<![0-9])(?:\+?86[ -]?)?1[3-9][0-9](?:[ -]?[0-9]){8}(?![0-9])"),
    re.compile(r"\+[0-9][0-9 -]{7,16}[0-9]"),
    # Landlines written with an area code: 010-12345678, 0755 8888 9999.
    re.compile(r"(?<![0-9])0[0-9]{2,3}[ -][0-9]{3,4}[ -]?[0-9]{4}(?![0-9])"),
]


def redact_text(text: str) -> str:
    for pattern in _PATTERNS:
        text = pattern.sub(_replacement, text)
    return text


def _replacement(match: re.Match[str]) -> str:
    if match.re is _PATTERNS[0]:
        return f"{match.group(1)} {MASK}"
    if match.re is _PATTERNS[1]:
        return f"{match.group(1)}={MASK}"
    return MASK


def redact_value(key: str, value: Any) -> Any:
    if key in SAFE_KEYS:
        return value
    if SECRET_KEY_NAMES.search(key):
        return MASK
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, Mapping):
        return {str(k): redact_value(str(k), v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [redact_value("", v) for v in value]
    if isinstance(value, bytes):
        return redact_text(value.decode("utf-8", "replace"))
    if value is None or isinstance(value, bool | int | float):
        return value
    return redact_text(str(value))


def redact_event(event: dict[str, Any]) -> dict[str, Any]:
    """Every value of a structlog event dict, by key and by shape (the event text included)."""
    return {key: redact_value(key, value) for key, value in event.items()}
