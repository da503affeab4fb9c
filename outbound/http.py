"""HTTP to a payment provider: pooled keep-alive connections, a timeout on every call, and
retries that are safe because of what they retry.

A pooled connection can die between two calls (the providers' servers, like gunicorn's keep-alive,
close idle connections), and the next request written into it then fails before any answer. Such a
failure is retried on a fresh connection. What is retried depends on the call (``Policy``):

- a request that certainly never reached the server (connection refused, connect timeout) is
  repeated whatever it was;
- a request that may have reached it (reset or closed after sending, read timeout, a 5xx) is
  repeated only when repeating it is harmless (``repeatable``): queries, and keyed writes the
  provider treats as the same call when repeated (WeChat's prepay with the same ``out_trade_no``,
  refunds with the same refund number, Alipay's cancel and refund).
- a call that must never meet a kept-alive connection the server has just closed (the one failure
  a fresh connection cannot have, for a call that cannot be repeated safely) goes on a connection of
  its own (``fresh``).

Each attempt is built afresh (``build``), so a signed request gets a new timestamp and nonce.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError, NewConnectionError

CONNECT_TIMEOUT = 3.05  # a little over a multiple of 3 s, TCP's retransmission step


@dataclass(frozen=True)
class Policy:
    """How one kind of call is made: its read timeout, whether a request that may have reached
    the provider can be sent again, how long the caller can wait in all (retries included), and
    whether it goes on a connection of its own."""

    read_timeout: float
    repeatable: bool
    budget: float
    attempts: int = 3
    fresh: bool = False


def pooled_session(pool_size: int = 16) -> requests.Session:
    """A session whose adapters keep up to ``pool_size`` idle connections per host and never retry
    on their own (the retry decision is ours, per call)."""
    session = requests.Session()
    adapter = HTTPAdapter(pool_connections=4, pool_maxsize=pool_size, max_retries=0)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


def never_reached(exc: requests.RequestException) -> bool:
    """True when the request cannot have reached the server: no connection was ever made."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    reason = exc.args[0].reason if exc.args and isinstance(exc.args[0], MaxRetryError) else None
    return isinstance(reason, NewConnectionError | ConnectTimeoutError)


def send(session: requests.Session, build: Callable[[], requests.Request], policy: Policy,
         sleep: Callable[[float], None] = time.sleep) -> requests.Response:
    """Send what ``build`` makes, retrying as ``policy`` allows; the last failure is raised.

    A 5xx answer of a repeatable call is retried too; the last one is returned as it is."""
    if policy.fresh:
        with pooled_session(pool_size=1) as own:
            return _send(own, build, policy, sleep)
    return _send(session, build, policy, sleep)


def _send(session: requests.Session, build: Callable[[], requests.Request], policy: Policy,
          sleep: Callable[[float], None]) -> requests.Response:
    deadline = time.monotonic() + policy.budget
    attempt = 0
    while True:
        attempt += 1
        left = deadline - time.monotonic()
        req = build()
        timeout = (min(CONNECT_TIMEOUT, max(left, 0.5)), min(policy.read_timeout, max(left, 0.5)))
        try:  # through session.request, so the environment's proxies and CA bundle apply
            resp = session.request(str(req.method), str(req.url), data=req.data or None, headers=req.headers,
                                   timeout=timeout)
        except (requests.ConnectionError, requests.Timeout) as exc:
            if not (never_reached(exc) or policy.repeatable) or not _again(attempt, policy, deadline):
                raise
        else:
            if resp.status_code < 500 or not policy.repeatable or not _again(attempt, policy, deadline):
                return resp
            resp.close()
        if attempt > 1:  # the first retry goes at once on a fresh connection; later ones wait a little
            sleep(min(0.2 * attempt, max(deadline - time.monotonic(), 0)))


def _again(attempt: int, policy: Policy, deadline: float) -> bool:
    return attempt < policy.attempts and time.monotonic() < deadline - 0.5
