"""Domain exceptions. ``api/errors.py`` maps each to the contract's status and code, in one place.

A message is an English template, extracted into the translation catalogue (every class below is a
keyword of `make translations-update`) and translated at the edge into the caller's language
(api/i18n.py): write it as a literal with ``{name}`` placeholders and pass the values as keywords,
``SoldOut("{name} is sold out", name=item.name)``, never as an f-string (it could not be translated).
"""
from __future__ import annotations

from typing import Any


def N_(message: str) -> str:  # noqa: N802 - the gettext convention: extracted now, translated at the edge
    """Marks a message (a validator's ``error=``) for the catalogue without translating it here."""
    return message


class DomainError(Exception):
    code = "invalid_request"
    status = 400

    def __init__(self, message: str, fields: dict[str, Any] | None = None, **params: Any) -> None:
        self.template = message
        self.params = params
        self.message = message.format(**params) if params else message
        super().__init__(self.message)
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
