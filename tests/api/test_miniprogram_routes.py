"""The mini-program calls only routes the server documents: every path and method in
``miniprogram/lib/routes.js`` (the only routes its api module can call) is in the OpenAPI
document, and its sandbox stand-ins exist in sandbox mode."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _routes() -> dict[str, dict[str, list[str]]]:
    node = shutil.which("node")
    assert node, "Node.js is needed for the mini-program (make test installs it in CI)"
    out = subprocess.run([node, "-e", "console.log(JSON.stringify(require('./miniprogram/lib/routes.js')))"],  # noqa: S603
                         cwd=ROOT, capture_output=True, text=True, check=True, timeout=30).stdout
    return json.loads(out)


ROUTES = _routes()


@pytest.mark.parametrize(("name", "route"), sorted(ROUTES["ROUTES"].items()))
def test_every_route_the_mini_program_calls_is_documented(client, name, route):
    method, path = route
    doc = client.get("/api/v1/openapi.json").get_json()
    assert path in doc["paths"], f"{name}: {path} is not in the OpenAPI document"
    assert method.lower() in doc["paths"][path], f"{name}: {method} {path} is not documented"


def test_no_route_needs_a_method_wx_request_cannot_send():
    allowed = {"GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS"}  # wx.request has no PATCH
    assert {m for m, _ in ROUTES["ROUTES"].values()} <= allowed


@pytest.mark.parametrize(("name", "route"), sorted(ROUTES["SANDBOX_ROUTES"].items()))
def test_the_sandbox_stand_ins_exist(app, name, route):
    method, path = route
    rules = {(rule.rule, m) for rule in app.url_map.iter_rules() for m in rule.methods or ()}
    assert (path, method) in rules, name
