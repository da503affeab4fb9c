"""Failed sign-ins, counted per account and client address.

Five failures within fifteen minutes from one address lock the account for that address only:
a guesser locks themself out, never the owner signing in elsewhere. Counted in the rate-limit
storage (Redis when REDIS_URL is set, so every process agrees; otherwise this process's memory).
Keys are keyed hashes (HMAC under SECRET_KEY), so a username never reaches Redis in the clear,
nor can one be guessed back from it.
"""
from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from limits import RateLimitItemPerMinute
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from services.context import setting

MAX_FAILURES = 5
PERIOD = timedelta(minutes=15)
_WINDOW = RateLimitItemPerMinute(MAX_FAILURES, int(PERIOD.total_seconds() // 60), namespace="diancan-lockout")
_limiters: dict[str, MovingWindowRateLimiter] = {}


def _limiter() -> MovingWindowRateLimiter:
    uri = setting("REDIS_URL") or "memory://"
    if uri not in _limiters:
        _limiters[uri] = MovingWindowRateLimiter(storage_from_string(uri))
    return _limiters[uri]


def key(*parts: object) -> str:
    """One counter's name: what is signed in to (account or typed name) and from where."""
    text = "\x1f".join(str(p) for p in parts)
    secret = str(setting("SECRET_KEY")).encode()
    return hmac.new(secret, text.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


def locked(name: str) -> bool:
    return not _limiter().test(_WINDOW, name)


def failed(name: str) -> bool:
    """Count a failure; True when it is the one that locks."""
    _limiter().hit(_WINDOW, name)
    return locked(name)


def succeeded(name: str) -> None:
    _limiter().clear(_WINDOW, name)
