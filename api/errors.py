"""Every error leaves as the contract's JSON: ``{"error": {"code", "message", "fields"?}}``."""
from __future__ import annotations

import logging
import random
from typing import Any

from flask import Flask, jsonify
from flask_smorest import Api
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from api import i18n
from domain.errors import DomainError
from schema.errors import ErrorSchema

log = logging.getLogger(__name__)

HTTP_CODES = {
    400: "invalid_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "invalid_request",
    409: "conflict", 413: "too_large", 414: "too_large", 415: "invalid_request", 422: "validation_error",
    429: "rate_limited", 502: "upstream_error", 503: "unavailable",
}


def error_response(status: int, code: str, message: str, field_errors: dict[str, Any] | None = None,  # type: ignore[no-untyped-def]
                   params: dict[str, Any] | None = None):
    """The contract's error; ``message`` (a template when ``params`` are given) and the field messages
    in the caller's language (api/i18n.py), the code unchanged."""
    body: dict[str, Any] = {"code": code, "message": i18n.message(message, code, params)}
    if field_errors:
        body["fields"] = i18n.fields(field_errors)
    return jsonify({"error": body}), status


def retry_after() -> str:
    return str(random.choice((1, 2, 3)))  # noqa: S311 - spreads the retries out, not a secret


def overloaded():  # type: ignore[no-untyped-def]
    """The contract's 503 ``overloaded``: come back after ``Retry-After`` seconds with the same key."""
    resp, status = error_response(503, "overloaded", "the restaurant is very busy right now; retrying in a moment")
    resp.headers["Retry-After"] = retry_after()
    return resp, status


def _flatten(messages: Any) -> dict[str, Any]:
    """webargs nests errors by location (``{"json": {...}}``); clients want the fields."""
    if isinstance(messages, dict) and len(messages) == 1 and next(iter(messages)) in {"json", "query", "view_args"}:
        return _flatten(next(iter(messages.values())))
    return messages if isinstance(messages, dict) else {"_schema": messages}


class ContractApi(Api):
    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error: HTTPException):  # type: ignore[override]
        status = error.code or 500
        data = getattr(error, "data", None) or {}
        messages = data.get("messages")
        if status == 422 and messages is not None:
            return error_response(422, "validation_error", "the request has invalid fields", _flatten(messages))
        if status >= 500:
            log.error("server error %s", status)
            return error_response(status, HTTP_CODES.get(status, "server_error"), "something went wrong on our side")
        code = HTTP_CODES.get(status, "invalid_request")
        message = data.get("message") or error.description or error.name
        headers = dict(data.get("headers") or {})
        if isinstance(error, MethodNotAllowed) and error.valid_methods:
            headers["Allow"] = ", ".join(sorted(error.valid_methods))  # RFC 9110: a 405 says what is allowed
        resp, status = error_response(status, code, message)
        resp.headers.update(headers)
        return resp, status


def init_app(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def _domain(exc: DomainError):  # type: ignore[no-untyped-def]
        return error_response(exc.status, exc.code, exc.template, exc.fields, exc.params)

    @app.errorhandler(IntegrityError)
    def _raced(exc: IntegrityError):  # type: ignore[no-untyped-def]
        # Two retries of one write met at a unique key; the transaction rolled back whole. The
        # client's next retry finds the row the other one made (every such write is idempotent).
        log.info("unique key race: %s", type(exc.orig).__name__)
        return error_response(409, "conflict", "the same request is being handled; please retry")

    @app.errorhandler(OperationalError)
    def _db_down(exc: OperationalError):  # type: ignore[no-untyped-def]
        log.error("database error: %s", type(exc.orig).__name__)
        resp, status = error_response(503, "unavailable", "the service is busy; please retry")
        resp.headers["Retry-After"] = "2"
        return resp, status

    @app.errorhandler(PoolTimeout)
    def _no_connection(_exc: PoolTimeout):  # type: ignore[no-untyped-def]
        # Every database connection of this process is busy: the same answer as the admission gate.
        return overloaded()

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):  # type: ignore[no-untyped-def]
        if isinstance(exc, HTTPException):
            return app.extensions["diancan.api"].handle_http_exception(exc)
        log.exception("unhandled error")
        return error_response(500, "server_error", "something went wrong on our side")
