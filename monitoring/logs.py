"""Structured logs: one JSON object per line, through the standard library's logging.

Our own code and every library log through stdlib ``logging``; structlog's ``ProcessorFormatter``
turns each record into JSON, adds the request id (also sent back as ``X-Request-Id``), and runs
the one redaction step (``monitoring.redact``) over everything, tracebacks included, last.
"""
from __future__ import annotations

import logging
import re
import uuid
from collections.abc import MutableMapping
from typing import Any

import structlog
from flask import g, has_request_context, request

from monitoring import metrics
from monitoring.redact import redact_event

# A request id we accept from a proxy in front of us (nginx's $request_id is 32 hex digits):
# nothing else, so a client cannot smuggle text into the field that redaction leaves alone.
_INCOMING_ID = re.compile(r"^[0-9a-f]{16,32}$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def new_request_id(incoming: str | None = None) -> str:
    if incoming and _INCOMING_ID.match(incoming):
        return incoming
    return uuid.uuid4().hex


def request_id() -> str | None:
    """This request's (or Socket.IO event's) id, made on first use."""
    if not has_request_context():
        return None
    rid = g.get("request_id")
    if rid is None:
        rid = g.request_id = new_request_id(request.headers.get("X-Request-Id"))
    return str(rid)


def _add_request(_logger: Any, _name: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    if event.get("message") == event.get("event"):
        event.pop("message")  # stdlib's formatted copy of the event text
    rid = request_id()
    if rid is not None:
        event.setdefault("request_id", rid)
        namespace = getattr(request, "namespace", None)
        if isinstance(namespace, str):  # inside a Socket.IO handler
            event.setdefault("namespace", namespace)
        store_id = g.get("log_store_id")
        if store_id is not None:
            event.setdefault("store_id", store_id)
    return event


def _redact(_logger: Any, _name: str, event: MutableMapping[str, Any]) -> dict[str, Any]:
    return redact_event(dict(event))


_SHARED: list[Any] = [
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.stdlib.ExtraAdder(),
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    _add_request,
]


def json_formatter() -> logging.Formatter:
    """The formatter every handler uses (also gunicorn's, through ``gunicorn.conf.py``)."""
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_SHARED,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            _redact,
            structlog.processors.JSONRenderer(ensure_ascii=False, default=str),
        ],
    )


class _RedisErrors(logging.Filter):
    """Counts what the Redis client libraries report as failing (Socket.IO queue, rate limits)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING and (
                "redis" in record.name.lower() or "redis" in str(record.msg).lower()):
            metrics.REDIS_ERRORS.inc()
        return True


def configure(level: str | int = "INFO") -> None:
    """Route every log record through one JSON handler on stderr (idempotent)."""
    structlog.configure(
        processors=[*_SHARED, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    root = logging.getLogger()
    for handler in list(root.handlers):
        if not type(handler).__module__.startswith("_pytest"):  # pytest's capture stays
            root.removeHandler(handler)
    handler = logging.StreamHandler()
    handler.setFormatter(json_formatter())
    handler.addFilter(_RedisErrors())
    root.addHandler(handler)
    root.setLevel(level)


def get_logger(name: str) -> Any:
    return structlog.stdlib.get_logger(name)
