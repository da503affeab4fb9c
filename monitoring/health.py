"""``GET /healthz`` answered in front of the whole app: load balancers poll it many times a second,
and it must answer at once even while every greenlet is busy with the rush.

No Flask request, no Socket.IO or admission middleware, no database, no log line (gunicorn's
access log leaves it out too): a prepared answer, a fresh request id, and the request histogram
still counts it.
"""
from __future__ import annotations

import time
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING

from monitoring import metrics

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

PATH = "/healthz"
BODY = b'{"status":"ok"}\n'
HEADERS = [("Content-Type", "application/json"), ("Content-Length", str(len(BODY))), ("Cache-Control", "no-store"),
           ("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"), ("Referrer-Policy", "same-origin")]


class HealthMiddleware:
    def __init__(self, app: WSGIApplication) -> None:
        self.app = app
        self.observe = metrics.HTTP_DURATION.labels(PATH, "GET", "2xx").observe

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != PATH or environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return self.app(environ, start_response)
        started = time.perf_counter()
        # never the caller's X-Request-Id: nothing is logged that it could be matched with
        start_response("200 OK", [*HEADERS, ("X-Request-Id", uuid.uuid4().hex)])
        self.observe(time.perf_counter() - started)
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [BODY]
