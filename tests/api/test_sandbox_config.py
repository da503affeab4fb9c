"""The WeChat sandbox (whose /pay/confirm marks any payment paid, unauthenticated) is on only
while the server speaks plain http:// or when asked for by name; the demo store, whose passwords
are public, exists only with it; and a running sandbox says so loudly in the log."""
from __future__ import annotations

import logging

import pytest

from app import create_app
from config import Settings
from models import Store, db


def _settings(tmp_path, **env: str) -> Settings:
    return Settings.from_env({"INSTANCE_PATH": str(tmp_path), **env})


def test_the_sandbox_is_on_by_default_only_over_plain_http(tmp_path):
    assert _settings(tmp_path).WECHAT_SANDBOX is True  # the demo: http://127.0.0.1:5000
    assert _settings(tmp_path, PUBLIC_BASE_URL="http://192.168.1.5:5000").WECHAT_SANDBOX is True
    assert _settings(tmp_path, PUBLIC_BASE_URL="https://order.example.com").WECHAT_SANDBOX is False
    assert _settings(tmp_path, PUBLIC_BASE_URL="HTTPS://order.example.com").WECHAT_SANDBOX is False


def test_the_sandbox_over_https_only_when_set_explicitly(tmp_path):
    on = _settings(tmp_path, PUBLIC_BASE_URL="https://staging.example.com", WECHAT_SANDBOX="1")
    assert on.WECHAT_SANDBOX is True and on.WECHATPAY_API_BASE.startswith("https://staging.example.com")
    assert _settings(tmp_path, PUBLIC_BASE_URL="http://127.0.0.1:5000", WECHAT_SANDBOX="0").WECHAT_SANDBOX is False
    assert _settings(tmp_path, PUBLIC_BASE_URL="https://x.example", WECHAT_SANDBOX="").WECHAT_SANDBOX is False


def test_without_the_sandbox_its_routes_are_not_served(tmp_path):
    served = create_app(_settings(tmp_path, PUBLIC_BASE_URL="https://staging.example", WECHAT_SANDBOX="1"))
    assert served.test_client().post("/wechat-sandbox/login", json={"user": "x"}).status_code == 200
    app = create_app(_settings(tmp_path, PUBLIC_BASE_URL="https://order.example.com"))
    for path, body in (("/wechat-sandbox/login", {"user": "x"}), ("/wechat-sandbox/pay/confirm", {"prepay_id": "wx1"})):
        assert app.test_client().post(path, json=body).status_code == 404


@pytest.mark.parametrize("env,loud", [
    ({}, True), ({"PUBLIC_BASE_URL": "https://o.example", "WECHAT_SANDBOX": "1"}, True),
    ({"PUBLIC_BASE_URL": "https://o.example"}, False),
])
def test_a_running_sandbox_says_so_loudly_at_start_up(tmp_path, caplog, env, loud):
    with caplog.at_level(logging.WARNING):
        create_app(_settings(tmp_path, **env))
    warned = [r for r in caplog.records if r.levelno >= logging.WARNING and "WECHAT_SANDBOX" in r.getMessage()]
    assert bool(warned) is loud, [r.getMessage() for r in caplog.records]
    if loud:
        assert "/wechat-sandbox/pay/confirm" in warned[0].getMessage()


def _demo_exists() -> bool:
    found = db.session.query(Store.id).filter_by(slug="demo").first() is not None
    db.session.commit()
    return found


def test_seed_demo_only_while_the_sandbox_is_on(env):
    production = create_app(Settings.from_env(env | {"PUBLIC_BASE_URL": "https://order.example.com",
                                                     "WECHAT_SANDBOX": ""}))
    with production.app_context():
        result = production.test_cli_runner().invoke(args=["seed-demo"])
        assert result.exit_code == 0, result.output
        assert "sandbox is off" in result.output and "owner-demo-pass" not in result.output
        assert not _demo_exists()
        db.session.remove()
    demo = create_app(Settings.from_env(env))  # the tests' server: http://127.0.0.1, sandbox on
    with demo.app_context():
        result = demo.test_cli_runner().invoke(args=["seed-demo"])
        assert result.exit_code == 0, result.output
        assert _demo_exists()
        db.session.remove()
