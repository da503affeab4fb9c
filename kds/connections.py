"""Engine.IO connection hygiene: every socket must join a namespace soon, and no one client
holds more than its share.

A Socket.IO client opens an Engine.IO connection, then joins namespaces (``/kds``, ``/table``,
``/staff``). One that never joins, or whose join was refused, would otherwise stay open for as
long as it answers pings, and nothing stops a script from opening hundreds. So:

- each process closes Engine.IO connections that hold no namespace ``SOCKET_JOIN_GRACE``
  seconds after they opened (checked by one sweeping task, not a timer per connection);
- one client address may hold ``SOCKETS_PER_ADDRESS`` connections per process (generous: a
  restaurant's diners share one Wi-Fi address), one token ``SOCKETS_PER_TOKEN`` namespaces.
"""
from __future__ import annotations

import hashlib
import logging
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask_socketio import SocketIO

log = logging.getLogger(__name__)

# eio sid -> (client address, opened at, monotonic)
OPEN: dict[str, tuple[str, float]] = {}
# (namespace, sid) -> token key; a token's sockets are counted across namespaces
TOKENS: dict[tuple[str, str], str] = {}
# The counts the limits check, kept as sockets come and go (counting OPEN or TOKENS at every
# connect cost O(n): 5,000 screens connecting at once spent seconds on it)
_per_address: Counter[str] = Counter()
_per_token: Counter[str] = Counter()
_limits = {"grace": 10.0, "per_address": 256, "per_token": 8}
_sweeping = False


def _token_key(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()[:32]  # never keep the token itself


def claim(namespace: str, sid: str, token: str) -> bool:
    """Count a namespace socket against its token; False when the token already has its share."""
    key = _token_key(token)
    if _per_token[key] >= _limits["per_token"]:
        return False
    if TOKENS.get((namespace, sid)) != key:
        release(namespace, sid)
        TOKENS[(namespace, sid)] = key
        _per_token[key] += 1
    return True


def release(namespace: str, sid: str) -> None:
    key = TOKENS.pop((namespace, sid), None)
    if key is not None:
        _drop(_per_token, key)


def _drop(counts: Counter[str], key: str) -> None:
    counts[key] -= 1
    if counts[key] <= 0:
        del counts[key]


def _forget(eio_sid: str) -> None:
    opened = OPEN.pop(eio_sid, None)
    if opened is not None:
        _drop(_per_address, opened[0])


def _wrap_connect(socketio: SocketIO, original: Callable[..., Any]) -> Callable[..., Any]:
    def on_eio_connect(eio_sid: str, environ: dict[str, Any], *args: Any) -> Any:
        address = str(environ.get("REMOTE_ADDR") or "-")
        if _per_address[address] >= _limits["per_address"]:
            log.warning("socket refused: too many connections from one address")
            return False
        _forget(eio_sid)
        OPEN[eio_sid] = (address, time.monotonic())
        _per_address[address] += 1
        _ensure_sweeper(socketio)
        return original(eio_sid, environ, *args)

    return on_eio_connect


def _wrap_disconnect(original: Callable[..., Any]) -> Callable[..., Any]:
    def on_eio_disconnect(eio_sid: str, *args: Any) -> Any:
        _forget(eio_sid)
        return original(eio_sid, *args)

    return on_eio_disconnect


def _joined(socketio: SocketIO, eio_sid: str) -> bool:
    server = socketio.server
    return any(server.manager.sid_from_eio_sid(eio_sid, ns) for ns in server.namespace_handlers)


def sweep_once(socketio: SocketIO) -> int:
    """Close the connections past their grace that hold no namespace; how many were closed."""
    now, closed = time.monotonic(), 0
    for eio_sid, (_address, opened) in list(OPEN.items()):
        if now - opened >= _limits["grace"] and not _joined(socketio, eio_sid):
            _forget(eio_sid)
            socketio.server.eio.disconnect(eio_sid)
            closed += 1
    return closed


def _ensure_sweeper(socketio: SocketIO) -> None:
    global _sweeping
    if _sweeping:
        return
    _sweeping = True

    def loop() -> None:
        while True:
            socketio.sleep(max(_limits["grace"] / 2, 0.5))
            try:
                sweep_once(socketio)
            except Exception:  # one bad socket must not end the sweeping
                log.exception("socket sweep failed")

    socketio.start_background_task(loop)


def install(app: Flask, socketio: SocketIO) -> None:
    """Hook the Engine.IO server's connect and disconnect (after ``socketio.init_app``)."""
    _limits.update(grace=float(app.config["SOCKET_JOIN_GRACE"]), per_address=app.config["SOCKETS_PER_ADDRESS"],
                   per_token=app.config["SOCKETS_PER_TOKEN"])
    eio = socketio.server.eio
    eio.handlers["connect"] = _wrap_connect(socketio, eio.handlers["connect"])
    eio.handlers["disconnect"] = _wrap_disconnect(eio.handlers["disconnect"])
