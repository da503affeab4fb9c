"""Rate limits (Flask-Limiter): per diner and per table, in Redis when REDIS_URL is set.

Going over answers the contract's 429 ``rate_limited`` (through the API's HTTP error handler).
"""
from __future__ import annotations

from flask import Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from api.auth import signed_diner

limiter = Limiter(key_func=get_remote_address, headers_enabled=True)


def diner_or_ip() -> str:
    diner_id = signed_diner()  # a forgotten diner's token is refused by the route itself
    return f"diner:{diner_id}" if diner_id is not None else f"ip:{get_remote_address()}"


def table_key() -> str:
    args = request.view_args or {}
    token = args.get("qr_token")
    if token is None:
        body = request.get_json(silent=True)
        token = body.get("table_token") if isinstance(body, dict) else None
    return f"table:{str(token)[:64]}"


def init_app(app: Flask) -> None:
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    app.config.setdefault("RATELIMIT_KEY_PREFIX", "diancan")
    limiter.init_app(app)
