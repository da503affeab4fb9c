"""HTTP to WeChat: the shared transport (``outbound/http.py``: pooled connections, a timeout per
call, retries only where repeating is harmless) and WeChat Pay's kinds of call.

Repeatable at WeChat: queries, and its keyed writes — a prepay with the same ``out_trade_no`` is
the same order, a refund with the same ``out_refund_no`` the same refund, a close of a closed order
a no-op. WeChat's own advice for ``SYSTEM_ERROR`` is exactly that: call again with the same
parameters.
"""
from __future__ import annotations

from outbound.http import CONNECT_TIMEOUT, Policy, never_reached, pooled_session, send

QUERY = Policy(read_timeout=5, repeatable=True, budget=12)
KEYED_WRITE = Policy(read_timeout=8, repeatable=True, budget=15)
ONCE = Policy(read_timeout=8, repeatable=False, budget=15)

__all__ = ["CONNECT_TIMEOUT", "KEYED_WRITE", "ONCE", "QUERY", "Policy", "never_reached", "pooled_session", "send"]
