"""The floor of this stack: a bare Flask-SocketIO app on the same gunicorn/gevent setup as Diancan.

    gunicorn -c gunicorn.conf.py bench.bare_app:app

``POST /emit`` hands its JSON body to every socket on ``/kds`` as ``ticket.created`` and answers
201: the order → screen round trip with nothing in between (no database, no auth, no schema).
``GET /healthz`` answers from plain WSGI, before Flask: the most a process can answer per second.
The benchmarks start it beside the real app and print their figures as ratios to it.
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from flask import Flask, request
from flask_socketio import SocketIO

from kds import websocket

flask_app = Flask(__name__)
socketio = SocketIO(flask_app, async_mode=os.environ.get("SOCKETIO_ASYNC_MODE") or None)
websocket.install(socketio)  # the app's own WebSocket driver, as kds/__init__.py installs it


@flask_app.post("/emit")
def emit() -> tuple[str, int]:
    socketio.emit("ticket.created", request.get_json(), namespace="/kds")
    return "", 201


@socketio.on("connect", namespace="/kds")
def connect(auth: Any = None) -> bool:
    return True


def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    if environ.get("PATH_INFO") == "/healthz":
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", "16")])
        return [b'{"status":"ok"}\n']
    return flask_app(environ, start_response)
