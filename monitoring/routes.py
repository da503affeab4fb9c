"""``/metrics`` (Prometheus text) and ``/readyz`` (can this process serve: database, Redis)."""
from __future__ import annotations

import hmac
import ipaddress
import logging
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from models import db
from monitoring import metrics
from services.uow import reading

log = logging.getLogger(__name__)
bp = Blueprint("monitoring", __name__)
_redis_clients: dict[str, Any] = {}


def _error(status: int, code: str, message: str) -> tuple[Response, int]:
    return jsonify({"error": {"code": code, "message": message}}), status


def _loopback_caller() -> bool:
    """A caller on this machine, talking to us directly (not through a proxy on this machine)."""
    if request.headers.get("X-Forwarded-For") or request.headers.get("Forwarded"):
        return False
    try:
        return ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        return False


@bp.get("/metrics")
def scrape() -> Any:
    token = current_app.config.get("METRICS_TOKEN") or ""
    if token:
        header = request.headers.get("Authorization", "")
        given = header[7:] if header.startswith("Bearer ") else ""
        if not given or not hmac.compare_digest(given.encode(), token.encode()):
            resp, status = _error(401, "unauthorized", "metrics need the bearer token")
            resp.headers["WWW-Authenticate"] = "Bearer"
            return resp, status
    elif not _loopback_caller():
        return _error(403, "forbidden", "metrics are served to this machine only (or set METRICS_TOKEN)")
    return Response(generate_latest(metrics.REGISTRY), mimetype=CONTENT_TYPE_LATEST)


def _database_answers() -> bool:
    try:
        with reading() as session:
            session.execute(text("SELECT 1"))
        return True
    except Exception as exc:  # any failure means not ready; the reason goes to the log
        log.warning("readiness: database not answering (%s)", type(exc).__name__)
        db.session.remove()
        return False


def _redis_answers(url: str) -> bool:
    import redis

    client = _redis_clients.get(url)
    if client is None:
        client = _redis_clients[url] = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    try:
        return bool(client.ping())
    except Exception as exc:  # a refused or timed-out ping: not ready
        metrics.REDIS_ERRORS.inc()
        log.warning("readiness: redis not answering (%s)", type(exc).__name__)
        return False


@bp.get("/readyz")
def ready() -> Any:
    checks = {"database": "ok" if _database_answers() else "down"}
    redis_url = current_app.config.get("REDIS_URL")
    if redis_url:
        checks["redis"] = "ok" if _redis_answers(redis_url) else "down"
    ok = all(v == "ok" for v in checks.values())
    metrics.PROCESS_READY.set(1 if ok else 0)
    if ok:
        return jsonify({"status": "ok", "checks": checks})
    resp = jsonify({"error": {"code": "unavailable", "message": "not ready", "checks": checks}})
    resp.headers["Retry-After"] = "5"
    return resp, 503
