"""Small servers for the WeChat tests: the sandbox on its own, a merchant's notify receiver, and a
proxy that kills connections the way a server closing idle keep-alive connections does."""
from __future__ import annotations

import queue
import socket
import struct
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from tests.servers import read_http_request
from wechat.sandbox.standalone import create_sandbox_app


@contextmanager
def serve(wsgi: Any) -> Iterator[str]:
    """Serve a WSGI app on a free local port (threaded, HTTP/1.1 keep-alive) until the block ends."""
    server = make_server("127.0.0.1", 0, wsgi, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def sandbox(instance: Path) -> Iterator[str]:
    """The WeChat sandbox alone, with its own keys and state; yields its base (``…/wechat-sandbox``)."""
    with serve(create_sandbox_app(instance)) as base:
        yield base + "/wechat-sandbox"


class Receiver:
    """A merchant's notify URL: records each delivery; refuses the first ``fail_first`` with 500."""

    def __init__(self, fail_first: int = 0) -> None:
        self.fail_first = fail_first
        self.deliveries: queue.Queue[tuple[dict[str, str], str]] = queue.Queue()
        self.arrived: list[float] = []  # time.monotonic() of each delivery, as it came in
        self.count = 0
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        with self._lock:
            self.arrived.append(time.monotonic())
            self.count += 1
            refuse = self.count <= self.fail_first
        self.deliveries.put((dict(request.headers), request.get_data(as_text=True)))
        if refuse:
            return Response('{"code":"FAIL","message":"失败"}', 500, mimetype="application/json")(environ,
                                                                                                start_response)
        return Response(status=204)(environ, start_response)

    def next(self, timeout: float = 10) -> tuple[dict[str, str], str]:
        return self.deliveries.get(timeout=timeout)


class IdleKiller:
    """A TCP proxy in front of a server that answers one request per client connection and kills
    the connection the moment a second request is written into it, without passing it on: what a
    client sees when a server closes a keep-alive connection it thought idle just as the client
    reuses it (a reset before any answer). ``drop_answers`` more requests are passed on but their
    answers thrown away with a reset: a request that reached the server, whose answer never came."""

    def __init__(self, upstream: str, drop_answers: int = 0) -> None:
        host, port = upstream.removeprefix("http://").split("/")[0].split(":")
        self.upstream = (host, int(port))
        self.drop_answers = drop_answers
        self.killed = 0
        self.answers_dropped = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._stop = threading.Event()
        self._lock = threading.Lock()

    def __enter__(self) -> IdleKiller:
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._listener.close()

    @staticmethod
    def _reset(sock: socket.socket) -> None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # RST, not FIN
        sock.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        with client:
            first = read_http_request(client)
            if first is None:
                return
            answer = _forward(self.upstream, first)
            with self._lock:
                drop = self.answers_dropped < self.drop_answers
                self.answers_dropped += drop
            if drop:
                self._reset(client)
                return
            client.sendall(answer)
            if read_http_request(client) is not None:  # reused: kill it, the server never sees this request
                with self._lock:
                    self.killed += 1
                self._reset(client)


def _forward(upstream: tuple[str, int], request: bytes) -> bytes:
    """One request to the server on its own connection, answered in full (``Connection: close``)."""
    head, _, body = request.partition(b"\r\n\r\n")
    lines = [line for line in head.split(b"\r\n") if not line.lower().startswith(b"connection:")]
    with socket.create_connection(upstream) as up:
        up.sendall(b"\r\n".join([*lines, b"Connection: close"]) + b"\r\n\r\n" + body)
        answer = b""
        while chunk := up.recv(65536):
            answer += chunk
    # The client may keep its connection: say nothing about closing it.
    head, _, rest = answer.partition(b"\r\n\r\n")
    kept = [line for line in head.split(b"\r\n") if not line.lower().startswith(b"connection:")]
    return b"\r\n".join(kept) + b"\r\n\r\n" + rest
