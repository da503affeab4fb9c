"""Domain exceptions. ``api/errors.py`` maps each to the contract's status and code, in one place."""
from __future__ import annotations

from typing import Any


class DomainError(Exception):
    code = "invalid_request"
    status = 400

    def __init__(self, message: str, fields: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields


class InvalidRequest(DomainError):
    code, status = "invalid_request", 400


class Unauthorized(DomainError):
    code, status = "unauthorized", 401


class Forbidden(DomainError):
    code, status = "forbidden", 403


class NotFound(DomainError):
    code, status = "not_found", 404


class Conflict(DomainError):
    code, status = "conflict", 409


class SoldOut(DomainError):
    code, status = "sold_out", 409


class NotAvailable(DomainError):
    """An item outside its serving hours: like sold out, nothing the diner can fix but wait."""

    code, status = "sold_out", 409


class InvalidState(DomainError):
    code, status = "invalid_state", 409


class ValidationFailed(DomainError):
    code, status = "validation_error", 422


class RateLimited(DomainError):
    code, status = "rate_limited", 429


class UpstreamError(DomainError):
    code, status = "upstream_error", 502


class Unavailable(DomainError):
    """A part of the service that is not set up or not reachable now (e.g. a payment provider not
    configured): nothing the client sent is wrong; another way of paying works."""

    code, status = "unavailable", 503
