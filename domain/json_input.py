"""What a JSON body may hold before any route reads it (contract: never a 500 for client input).

Python's JSON parser recurses once per level of nesting, so ``[[[[…`` 5,000 levels deep (10 KB)
ends in RecursionError; the depth is therefore counted on the raw text, before parsing. Strings
may not hold NUL or lone UTF-16 surrogates (``"\\ud800"``): neither can be stored in MariaDB's
utf8mb4 or sent on to WeChat, so they fail deep inside a request instead of at its door.
``NaN`` and ``Infinity`` are not JSON and are refused too.
"""
from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any

MAX_DEPTH = 64

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_BAD_TEXT = re.compile("[\x00\ud800-\udfff]")


class UnsafeJson(ValueError):
    """The body is not JSON we accept; the message says why, for the client."""


class TooDeep(UnsafeJson):
    """Nested beyond MAX_DEPTH: would crash any parser, whatever the body claims to be."""


def nesting_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in ``text``, brackets inside strings not counted."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    return max(accumulate(1 if b in "[{" else -1 for b in brackets), default=0)


def has_bad_text(value: str) -> bool:
    """NUL, or half of a surrogate pair (a valid pair is one character once decoded)."""
    return _BAD_TEXT.search(value) is not None


def _no_constants(name: str) -> Any:
    raise UnsafeJson(f"{name} is not a JSON number")


def load(raw: bytes) -> Any:
    """Parse a request body, enforcing the rules above. Raises UnsafeJson."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise UnsafeJson("the body is not UTF-8") from None
    if nesting_depth(text) > MAX_DEPTH:
        raise TooDeep(f"JSON nested deeper than {MAX_DEPTH} levels")
    try:
        value = json.loads(text, parse_constant=_no_constants)
    except UnsafeJson:
        raise
    except (ValueError, RecursionError):  # RecursionError only if the scan above were ever wrong
        raise UnsafeJson("the body is not valid JSON") from None
    check_text(value)
    return value


def check_text(value: Any) -> None:
    """Every string in a parsed JSON value (keys too) is free of NUL and lone surrogates."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if has_bad_text(item):
                raise UnsafeJson("text may not contain NUL or unpaired surrogate characters")
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
