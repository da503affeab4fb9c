"""HTTP to Alipay's gateway: pooled keep-alive connections, a timeout on every call, and retries
only where repeating is harmless — the same rules as ``wechat/http.py`` (which this package may
not import: each provider package stands on config and domain alone).

- A request that certainly never reached Alipay (connection refused, connect timeout) is sent
  again whatever it was.
- A request that may have reached it (reset after sending, read timeout, a 5xx from a proxy) is
  sent again only when that is harmless: ``alipay.trade.query``; ``alipay.trade.cancel`` (closing
  a closed trade answers the same); ``alipay.trade.refund`` (keyed by ``out_request_no``: the same
  refund again moves no money). Never ``alipay.trade.pay``: Alipay's rule for an unknown pay
  outcome is to query, then cancel — not to pay again.

So that a pay never meets a kept-alive connection the gateway has just closed (the one failure a
fresh connection cannot have, and one it could not safely retry), a pay goes on a connection of
its own; everything else reuses the pool.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError, NewConnectionError

CONNECT_TIMEOUT = 3.05


@dataclass(frozen=True)
class Policy:
    read_timeout: float
    repeatable: bool
    budget: float  # seconds the caller can wait in all, retries included
    attempts: int = 3
    fresh: bool = False  # on a new connection, never a kept-alive one


QUERY = Policy(read_timeout=5, repeatable=True, budget=12)
KEYED_WRITE = Policy(read_timeout=8, repeatable=True, budget=15)
ONCE = Policy(read_timeout=10, repeatable=False, budget=15, fresh=True)  # a bar-code pay may take a few seconds


def pooled_session(pool_size: int = 16) -> requests.Session:
    """Up to ``pool_size`` idle connections kept; the adapter never retries on its own."""
    session = requests.Session()
    adapter = HTTPAdapter(pool_connections=2, pool_maxsize=pool_size, max_retries=0)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


def never_reached(exc: requests.RequestException) -> bool:
    if isinstance(exc, requests.ConnectTimeout):
        return True
    reason = exc.args[0].reason if exc.args and isinstance(exc.args[0], MaxRetryError) else None
    return isinstance(reason, NewConnectionError | ConnectTimeoutError)


def post_form(session: requests.Session, url: str, body: str, policy: Policy,
              sleep: Callable[[float], None] = time.sleep) -> requests.Response:
    """POST the signed, URL-encoded parameters; retried as ``policy`` allows, the last failure raised
    (a 5xx of a repeatable call is retried too and the last one returned)."""
    if policy.fresh:
        with pooled_session(pool_size=1) as own:
            return _post(own, url, body, policy, sleep)
    return _post(session, url, body, policy, sleep)


def _post(session: requests.Session, url: str, body: str, policy: Policy,
          sleep: Callable[[float], None]) -> requests.Response:
    headers = {"Content-Type": "application/x-www-form-urlencoded;charset=utf-8"}
    deadline = time.monotonic() + policy.budget
    attempt = 0
    while True:
        attempt += 1
        left = deadline - time.monotonic()
        timeout = (min(CONNECT_TIMEOUT, max(left, 0.5)), min(policy.read_timeout, max(left, 0.5)))
        try:
            resp = session.post(url, data=body.encode(), headers=headers, timeout=timeout)
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
