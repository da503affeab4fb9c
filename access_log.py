"""Access log lines name the route, not the path: paths carry table QR tokens (``/t/<qr_token>``),
which are a table's credentials and must not end up in log files.

The app notes the matched rule in the WSGI environ as each request starts; gunicorn's logger
(``logger_class`` in gunicorn.conf.py) prints that rule where it would print the path. A path no
rule matched keeps its short segments only, as a stale token may sit in a 404's path too.
"""
from __future__ import annotations

import re
from typing import Any

from flask import Flask, request, request_started
from gunicorn import glogging

ROUTE = "diancan.route"
_LONG_SEGMENT = re.compile(r"/[^/]{16,}")


def logged_path(environ: dict[str, Any]) -> str:
    noted = environ.get(ROUTE)
    rule = noted.get("rule") if isinstance(noted, dict) else None
    return rule or _LONG_SEGMENT.sub("/…", environ.get("PATH_INFO") or "")


class RouteLogger(glogging.Logger):  # type: ignore[misc]
    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        if environ.get("PATH_INFO") == "/healthz":  # polled by load balancers many times a second
            return
        super().access(resp, req, environ, request_time)

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict[str, Any]:
        atoms = super().atoms(resp, req, environ, request_time)
        path = logged_path(environ)
        atoms["U"] = path
        atoms["r"] = f"{environ.get('REQUEST_METHOD')} {path} {environ.get('SERVER_PROTOCOL')}"
        atoms["q"] = "…" if environ.get("QUERY_STRING") else ""
        return atoms


def _note_route(sender: Flask, **_: Any) -> None:
    noted = request.environ.get(ROUTE)
    if isinstance(noted, dict) and request.url_rule is not None:
        noted["rule"] = request.url_rule.rule


def init_app(app: Flask) -> None:
    """Call after Socket.IO is set up: its middleware hands Flask a copy of the environ, so the
    rule travels back to the server's environ in a dict both copies share."""
    inner = app.wsgi_app

    def wsgi_app(environ: dict[str, Any], start_response: Any) -> Any:
        environ[ROUTE] = {}
        return inner(environ, start_response)

    app.wsgi_app = wsgi_app  # type: ignore[method-assign]
    request_started.connect(_note_route, app)
