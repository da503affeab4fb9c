"""JSON for Socket.IO packets, under the rules HTTP bodies meet (``domain.json_input``).

A packet nested 5,000 levels deep would end in RecursionError inside python-socketio, logged
with a traceback for every such packet. Here a packet that breaks the rules reads as an event
no namespace handles (and, at connect, as no credentials), so it is simply ignored.
"""
from __future__ import annotations

import json
from typing import Any

from domain import json_input

IGNORED = ["diancan.refused-packet"]


def dumps(obj: Any, *args: Any, **kwargs: Any) -> str:
    return json.dumps(obj, *args, **kwargs)


def loads(text: str | bytes, *args: Any, **kwargs: Any) -> Any:
    raw = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    try:
        return json_input.load(raw)
    except json_input.UnsafeJson:
        return list(IGNORED)
