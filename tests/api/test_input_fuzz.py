"""Hand-written fuzzing: every route of the app's URL map gets deep nesting, NUL, lone
surrogates, huge numbers and odd dates, as a guest, a diner and the owner; none answers 5xx.

Schemathesis (test_openapi_fuzz.py) explores what the OpenAPI document describes; this walks
the URL map itself, so undocumented routes (the sandbox, the notifies, pages) are covered too.
"""
from __future__ import annotations

import json
import re
from typing import Any

import pytest

from models import Staff, db
from tests.helpers import (
    auth,
    diner_token,
    make_item,
    make_staff,
    make_store,
    make_table,
    order_body,
    staff_token,
    token_of,
)

DEEP = "[" * 5000 + "]" * 5000
NASTY: list[Any] = ["\ud800", "a\udfffb", "\x00", "x\x00y", 10**40, -(10**40), 2**63, 1e308, -1,
                    "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00", "9999-12-31", "0000-00-00",
                    [[[[[[[[["\ud800"]]]]]]]]], {"\x00": "\udc00"}]
GENERIC_FIELDS = ["name", "code", "store", "username", "password", "client_key", "table_token", "note", "remark",
                  "status", "amount", "price", "qty", "since", "until", "date", "stations", "reason", "kind",
                  "user", "prepay_id", "package", "after", "version", "items", "option_ids"]
# Already URL-encoded: a lone surrogate's bytes, NUL, a byte that is not UTF-8.
ODD_QUERY = ["0001-01-01T00:00:00%2B14:00", "9999-12-31", "10000-01-01", str(10**40), "-1", "1e308", "%ED%B2%80",
             "%00", "%FF", "NaN"]
SKIPPED = {"static", "vendor"}
LAST = {"staff.close_session", "diner.forget_me"}  # they end the session the other requests use


def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def _fields(spec: dict[str, Any], rule: str, method: str) -> list[str]:
    op = spec.get("paths", {}).get(_openapi_path(rule), {}).get(method.lower(), {})
    schema = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
    if "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return sorted(set(schema.get("properties", {})) | set(GENERIC_FIELDS))


def _query_names(spec: dict[str, Any], rule: str) -> list[str]:
    op = spec.get("paths", {}).get(_openapi_path(rule), {}).get("get", {})
    return [p["name"] for p in op.get("parameters", []) if p.get("in") == "query"] or ["since", "date", "limit"]


RAW = [DEEP.encode(), b'{"a":' * 65 + b"1" + b"}" * 65, b"[NaN]", b"\xed\xa0\x80", b"1" * 5000]


def _bodies(fields: list[str], signed_in: bool) -> list[bytes]:
    """Raw attacks for everyone; field-by-field ones (which pass the door) for callers who get past login."""
    if not signed_in:
        return RAW
    line = {"item_id": 1, "qty": 1, "option_ids": [], "note": ""}
    return RAW + [json.dumps({f: value for f in fields} | {"items": [line | {k: value} for k in line]}).encode()
                  for value in NASTY]


@pytest.mark.live
def test_no_crafted_input_on_any_route_causes_a_server_error(app, client, live_server):
    store = make_store()
    table, dish = make_table(store), make_item(store)
    cook = make_staff(store, "cook")
    diner = diner_token(client, live_server)
    order = client.post("/api/v1/orders", json=order_body(table, dish), headers=auth(diner)).get_json()["order"]
    owner = staff_token(client, store)
    ids = {"item_id": dish.id, "table_id": table.id, "order_id": order["id"], "line_id": order["items"][0]["id"],
           "session_id": order["table_session_id"], "staff_id": cook.id, "store_id": store.id}
    strings = {"qr_token": token_of(table)}
    spec = app.extensions["diancan.api"].spec.to_dict()
    rules = [r for r in app.url_map.iter_rules() if r.endpoint not in SKIPPED]
    rules.sort(key=lambda r: r.endpoint in LAST)
    failures: list[str] = []
    sent = 0
    for rule in rules:
        values = {a: ids.get(a, 1) if a.endswith("_id") else strings.get(a, "x" * 20) for a in rule.arguments}
        path = rule.rule
        for name, value in values.items():
            path = re.sub(rf"<(?:[^:<>]+:)?{name}>", str(value), path)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for token in (None, diner, owner):
                headers = auth(token) if token else {}
                if method == "GET":
                    for odd in ODD_QUERY:
                        query = "&".join(f"{n}={odd}" for n in _query_names(spec, rule.rule))
                        r = client.get(f"{path}?{query}", headers=headers)
                        sent += 1
                        if r.status_code >= 500:
                            failures.append(f"{r.status_code} GET {rule.rule}?{query} ({'auth' if token else 'guest'})")
                    continue
                for body in _bodies(_fields(spec, rule.rule, method), token is not None):
                    r = client.open(path, method=method, data=body, content_type="application/json", headers=headers)
                    sent += 1
                    if r.status_code >= 500:
                        failures.append(f"{r.status_code} {method} {rule.rule} {body[:80]!r} "
                                        f"({'auth' if token else 'guest'}): {r.get_data(as_text=True)[:120]}")
    assert sent > 1000
    assert not failures, "\n".join(failures[:40])
    db.session.remove()
    assert db.session.get(Staff, cook.id) is not None
