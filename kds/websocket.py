"""WebSockets on gunicorn's own gevent worker, each read in its connection's greenlet.

Socket.IO's "threading" mode (simple-websocket) gives every socket a reader thread of its own (a
greenlet with its stack, a ``Thread``, ``Event`` and ``Condition``) on top of Engine.IO's writer
and ping, and accepts permessage-deflate, which every browser asks for: a kitchen screen's socket
then also keeps zlib's compressor and decompressor (about 110 KiB more). Here Engine.IO runs in
its "gevent" mode (gevent's queues and greenlets, no thread objects) and this driver takes the
upgrade from gunicorn's socket itself, framing with gevent-websocket's ``WebSocket``: no reader
greenlet, no compression. Idle ``/kds`` socket, 5,000 on one process: see README "Benchmarks".

Under gevent-websocket's own worker (``GUNICORN_WORKER=geventwebsocket...``) the handshake is
already done and its ``wsgi.websocket`` is used as it is.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import logging
from collections.abc import Callable, Iterable
from typing import Any

from geventwebsocket.websocket import WebSocket

_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
_log = logging.getLogger(__name__)


class _Reader:
    """``read(n)``: exactly n bytes from the socket (fewer only at its end), with no buffer kept
    between frames, so an idle socket holds none. A frame longer than Engine.IO would take
    (``max_http_buffer_size``) ends the connection before anything is read into memory."""

    __slots__ = ("limit", "sock")

    def __init__(self, sock: Any, limit: int) -> None:
        self.sock, self.limit = sock, limit

    def read(self, n: int) -> bytes:
        if n > self.limit:
            raise OSError("WebSocket frame too large")
        parts = []
        while n:
            data = self.sock.recv(min(n, 65536))
            if not data:
                break
            parts.append(data)
            n -= len(data)
        return parts[0] if len(parts) == 1 else b"".join(parts)


class _Stream:
    """What gevent-websocket's ``WebSocket`` reads from and writes to."""

    __slots__ = ("read", "write")

    def __init__(self, sock: Any, limit: int) -> None:
        self.read = _Reader(sock, limit).read
        self.write = sock.sendall


class _Handler:
    """The part of gevent-websocket's handler its ``WebSocket`` uses (a logger; no app lookup)."""

    logger = _log
    server = None


_HANDLER = _Handler()


def _accept_key(environ: dict[str, Any]) -> str | None:
    """The Sec-WebSocket-Accept answer to a valid RFC 6455 upgrade request; None otherwise."""
    if environ.get("REQUEST_METHOD") != "GET" or environ.get("HTTP_UPGRADE", "").lower() != "websocket":
        return None
    if "upgrade" not in environ.get("HTTP_CONNECTION", "").lower() or environ.get("HTTP_SEC_WEBSOCKET_VERSION") != "13":
        return None
    key = environ.get("HTTP_SEC_WEBSOCKET_KEY", "").strip()
    try:
        if len(base64.b64decode(key, validate=True)) != 16:
            return None
    except (binascii.Error, ValueError):
        return None
    return base64.b64encode(hashlib.sha1(key.encode("ascii") + _GUID).digest()).decode("ascii")  # noqa: S324 - RFC 6455


class GeventWebSocketWSGI:
    """Engine.IO's ``websocket`` driver: ``(handler, server)``, called as a WSGI app; ``wait``,
    ``send`` and ``close`` for Engine.IO's socket."""

    def __init__(self, handler: Callable[[Any], Any], server: Any) -> None:
        self.app, self.limit = handler, server.max_http_buffer_size
        self._sock: Any = None

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        ws = environ.get("wsgi.websocket")
        if ws is not None:  # gevent-websocket's worker
            self._sock = ws
            return self.app(self)  # type: ignore[no-any-return]
        sock = environ.get("gunicorn.socket")
        accept = _accept_key(environ)
        if sock is None or accept is None:
            start_response("400 BAD REQUEST", [("Content-Type", "text/plain")])
            return [b"Bad WebSocket upgrade"]
        sock.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     b"Sec-WebSocket-Accept: " + accept.encode("ascii") + b"\r\n\r\n")
        self._sock = WebSocket(environ, _Stream(sock, self.limit), _HANDLER)
        try:
            self.app(self)
        finally:
            self._sock = None
        raise StopIteration  # gunicorn: the connection was ours, nothing more to answer or keep alive

    def close(self) -> None:
        if self._sock is not None and not self._sock.closed:
            self._sock.close()

    def send(self, message: str | bytes) -> None:
        self._sock.send(message)

    def wait(self) -> str | bytes | None:
        return self._sock.receive()  # type: ignore[no-any-return]


def install(socketio: Any) -> None:
    """Serve ``socketio``'s WebSockets with this driver when Engine.IO runs in its "gevent" mode."""
    eio = socketio.server.eio
    if eio.async_mode == "gevent":
        eio._async = {**eio._async, "websocket": GeventWebSocketWSGI}
