"""Checks every request passes before any view, rate limit or schema reads it, and headers every
JSON answer leaves with.

A JSON body is parsed once here under ``domain.json_input``'s rules (depth, NUL, lone
surrogates), so no later parser (webargs, Flask's ``get_json``, the rate limiter's table key)
meets a body that would crash it. Query strings and paths may not carry NUL either.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import RequestURITooLarge

from domain import json_input
from domain.errors import N_, InvalidRequest

# domain.json_input's refusals → the catalogue's templates (its words are fixed; api/i18n.py translates these).
UNSAFE_JSON = {
    "the body is not UTF-8": N_("the body is not UTF-8"),
    "the body is not valid JSON": N_("the body is not valid JSON"),
    "text may not contain NUL or unpaired surrogate characters":
        N_("text may not contain NUL or unpaired surrogate characters"),
    "NaN is not a JSON number": N_("NaN is not a JSON number"),
    "Infinity is not a JSON number": N_("Infinity is not a JSON number"),
    "-Infinity is not a JSON number": N_("-Infinity is not a JSON number"),
}

FORM_TYPES = frozenset({"multipart/form-data", "application/x-www-form-urlencoded"})
# gunicorn's limit_request_line is set above this (gunicorn.conf.py), so the app, not gunicorn's
# HTML page, answers a long address: with the contract's JSON.
MAX_URI = 4096

F = TypeVar("F", bound=Callable[..., Any])


def raw_body(view: F) -> F:
    """For WeChat Pay's notifies: their bytes are verified against WeChat's signature before
    anything parses them, and a refusal must be WeChat's ``{"code": "FAIL"}``, not ours."""
    view.raw_body = True  # type: ignore[attr-defined]
    return view


def check_request() -> None:
    """Raise InvalidRequest (400) for input no route should ever see, 414 for a long address."""
    if len(request.environ.get("RAW_URI") or request.full_path) > MAX_URI:
        raise RequestURITooLarge()
    if "\x00" in request.path or any("\x00" in k or "\x00" in v for k, v in request.args.items(multi=True)):
        raise InvalidRequest("the address may not contain NUL")
    if request.mimetype in FORM_TYPES or not request.content_length and not request.is_json:
        return
    if getattr(current_app.view_functions.get(request.endpoint or ""), "raw_body", False):
        return
    raw = request.get_data(cache=True)
    if not raw:
        return
    try:
        json_input.load(raw)
    except json_input.UnsafeJson as exc:
        # A body sent as something else (some WeChat clients) is still parsed by routes that
        # force JSON, so only the depth, which would crash them, is refused for those. (WeChat
        # Pay's notifies skipped all of this above: see ``raw_body``.)
        if isinstance(exc, json_input.TooDeep):
            raise InvalidRequest("JSON nested deeper than {depth} levels", depth=json_input.MAX_DEPTH) from None
        if request.is_json:
            raise InvalidRequest(UNSAFE_JSON.get(str(exc), N_("the body is not valid JSON"))) from None


def no_store(resp: Response) -> Response:
    """JSON answers are personal or live, and some carry tokens (logins, sessions, pairing):
    no browser, proxy or WebView cache may keep them."""
    if resp.mimetype == "application/json" and request.endpoint != "api-docs.openapi_json":
        resp.headers.setdefault("Cache-Control", "no-store")
    return resp


def init_app(app: Flask) -> None:
    app.before_request(check_request)
    app.after_request(no_store)
