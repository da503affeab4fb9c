"""A TCP proxy that loses answers: the request reaches the server, the reply never reaches us.

That is what a weak restaurant Wi-Fi does to a phone: the order was taken, the phone never heard.
"""
from __future__ import annotations

import random
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from tests.servers import read_http_request


class AnswerDroppingProxy:
    def __init__(self, upstream_port: int, drop_rate: float, seed: int = 7) -> None:
        self.upstream_port = upstream_port
        self.drop_rate = drop_rate
        self.random = random.Random(seed)
        self.lock = threading.Lock()
        self.dropped = 0
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(128)
        self.port = self.listener.getsockname()[1]
        self.stopping = False

    def _should_drop(self) -> bool:
        with self.lock:
            drop = self.random.random() < self.drop_rate
            self.dropped += drop
            return drop

    def _serve(self) -> None:
        while not self.stopping:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, client: socket.socket) -> None:
        """One request per connection (clients send ``Connection: close``)."""
        with client, socket.create_connection(("127.0.0.1", self.upstream_port), timeout=30) as upstream:
            client.settimeout(30)
            request = read_http_request(client)
            if request is None:
                return
            upstream.sendall(request)
            reply = b""
            while chunk := upstream.recv(65536):
                reply += chunk
            if self._should_drop():
                client.shutdown(socket.SHUT_RDWR)  # the server answered; the phone hears nothing
                return
            client.sendall(reply)

    @contextmanager
    def running(self) -> Iterator[str]:
        thread = threading.Thread(target=self._serve, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{self.port}"
        finally:
            self.stopping = True
            self.listener.close()
