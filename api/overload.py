"""Overload: a process takes only as many writes at once as it can finish, and says so quickly.

At the dinner rush two hundred phones may send their round in the same second. Queueing them all
inside one process makes every answer slow and starves ``/healthz``, so a load balancer takes the
process out of service in the middle of the rush. Instead, writes pass an admission gate: a few run
at once, a bounded number wait a short while for a slot, and the rest are told at once to come back
(503 ``overloaded`` with ``Retry-After``). Every write a client retries carries its key, so the retry
lands once. WeChat Pay's notifies are never turned away: they are how money is credited.
"""
from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING

from flask import Flask

from api.errors import retry_after

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
NEVER_REFUSED = ("/api/v1/wechat/",)


class AdmissionGate:
    """At most ``slots`` holders at once; at most ``queue`` waiters, each for at most ``wait`` seconds.

    Under gunicorn's gevent worker ``threading`` is patched, so waiting parks a greenlet, not the
    process.
    """

    def __init__(self, slots: int, queue: int, wait: float) -> None:
        self._slots = threading.BoundedSemaphore(slots)
        self.queue, self.wait = queue, wait
        self.waiting = 0
        self.refused = 0

    def enter(self) -> bool:
        if self._slots.acquire(blocking=False):
            # Let every other request that arrived with this one reach the gate before this one
            # runs: on SQLite a write never yields until it answers, so without this pause the
            # gate would never see the crowd, and /healthz would wait behind all of it.
            time.sleep(0)
            return True
        if self.waiting >= self.queue:
            self.refused += 1
            return False
        self.waiting += 1
        try:
            admitted = self._slots.acquire(timeout=self.wait)
        finally:
            self.waiting -= 1
        if not admitted:
            self.refused += 1
        return admitted

    def leave(self) -> None:
        self._slots.release()


REFUSAL = json.dumps({"error": {"code": "overloaded",
                              "message": "the restaurant is very busy right now; retrying in a moment"}}).encode()


class AdmissionMiddleware:
    """The gate in front of the whole app: a refused write costs no Flask request at all."""

    def __init__(self, app: WSGIApplication, gate: AdmissionGate) -> None:
        self.app, self.gate = app, gate

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if environ.get("REQUEST_METHOD") not in WRITES or not path.startswith("/api/") \
                or path.startswith(NEVER_REFUSED):
            return self.app(environ, start_response)
        if not self.gate.enter():
            start_response("503 SERVICE UNAVAILABLE", [
                ("Content-Type", "application/json"), ("Content-Length", str(len(REFUSAL))),
                ("Retry-After", retry_after()), ("Cache-Control", "no-store")])
            return [REFUSAL]
        try:  # Flask has the whole answer by the time it returns; only the sending is left
            return self.app(environ, start_response)
        finally:
            self.gate.leave()


def init_app(app: Flask) -> None:
    # MariaDB: 4, not 16 (bench/burst.py, 200 orders at once: /healthz at most 101–191 ms against 571;
    # a store's rounds pass ORDER_SLOTS_PER_STORE at a time anyway, so more slots only queue inside).
    slots = app.config["WRITE_SLOTS"] or (2 if app.config["DATABASE_URL"].startswith("sqlite") else 4)
    gate = AdmissionGate(slots, app.config["WRITE_QUEUE"], app.config["WRITE_WAIT_SECONDS"])
    app.extensions["diancan.admission"] = gate
    app.wsgi_app = AdmissionMiddleware(app.wsgi_app, gate)  # type: ignore[method-assign]
