"""The diner's menu served in front of Flask while its cached answer is current.

At the rush every phone at every table asks for the menu. ``services.menu`` keeps the answer
encoded and compressed per menu version and live stock (``api.prepared``); when the one query
that checks it finds it current, or such a check began less than ``MENU_FRESH_SECONDS`` ago with
no write of this process since (``services.menu_freshness``), this middleware answers from it
without a Flask request. On a miss (first request, a changed menu, any query string) the request
goes on to the route, which builds the answer and keeps it. The caller (app.py) supplies what
every answer carries (security headers) and how an answer is counted and logged (monitoring's
histogram and request line).
"""
from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from services import menu

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

RULE = "/api/v1/stores/<int:store_id>/menu"
_PATH = re.compile(r"/api/v1/stores/([1-9][0-9]{0,9})/menu")
# (environ, route, status code, seconds taken) -> the request id to send back
Finish = Callable[["WSGIEnvironment", str, int, float], str]


class MenuMiddleware:
    def __init__(self, app: WSGIApplication, engine: Callable[[], Any], headers: list[tuple[str, str]],
                 finish: Finish, fresh_for: float = 0.0) -> None:
        self.app, self.engine, self.headers, self.finish = app, engine, headers, finish
        self.fresh_for = fresh_for  # seconds a checked answer is served again unchecked (services.menu_freshness)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        found = None
        if environ.get("REQUEST_METHOD") == "GET" and not environ.get("QUERY_STRING"):
            found = _PATH.fullmatch(environ.get("PATH_INFO") or "")
        if found is None:
            return self.app(environ, start_response)
        started = time.perf_counter()
        prepared = menu.cached_answer(int(found[1]), self.engine(), self.fresh_for)
        if prepared is None:
            return self.app(environ, start_response)
        status, headers, body = prepared.answer(environ.get("HTTP_ACCEPT_ENCODING"), environ.get("HTTP_IF_NONE_MATCH"))
        request_id = self.finish(environ, RULE, status, time.perf_counter() - started)
        start_response("200 OK" if status == 200 else "304 NOT MODIFIED",
                       [*headers, *self.headers, ("X-Request-Id", request_id)])
        return [body]
