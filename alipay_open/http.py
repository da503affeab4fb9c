"""HTTP to Alipay's gateway: pooled keep-alive connections, a timeout on every call, and retries
only where repeating is harmless — the shared transport
(``outbound/http.py``) with Alipay's kinds of call.

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

import requests

from outbound.http import CONNECT_TIMEOUT, Policy, never_reached, pooled_session, send

QUERY = Policy(read_timeout=5, repeatable=True, budget=12)
KEYED_WRITE = Policy(read_timeout=8, repeatable=True, budget=15)
ONCE = Policy(read_timeout=10, repeatable=False, budget=15, fresh=True)  # a bar-code pay may take a few seconds

_FORM = {"Content-Type": "application/x-www-form-urlencoded;charset=utf-8"}


def post_form(session: requests.Session, url: str, body: str, policy: Policy,
              sleep: Callable[[float], None] = time.sleep) -> requests.Response:
    """POST the signed, URL-encoded parameters; retried as ``policy`` allows, the last failure raised
    (a 5xx of a repeatable call is retried too and the last one returned)."""
    return send(session, lambda: requests.Request("POST", url, data=body.encode(), headers=dict(_FORM)), policy,
                sleep)


__all__ = ["CONNECT_TIMEOUT", "KEYED_WRITE", "ONCE", "QUERY", "Policy", "never_reached", "pooled_session",
           "post_form"]
