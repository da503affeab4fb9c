"""Sandbox mode: the app serves the Alipay sandbox, fills the ALIPAY_* settings from its identity
(the environment's values win), and its one Alipay client pays through it."""
from __future__ import annotations

import uuid
from pathlib import Path

import requests

from config import Settings
from domain.codepay import creditable


def test_sandbox_mode_fills_alipay_settings_and_the_environment_wins(tmp_path):
    filled = Settings.from_env({"INSTANCE_PATH": str(tmp_path), "WECHAT_SANDBOX": "1"})
    assert filled.ALIPAY_GATEWAY == f"{filled.PUBLIC_BASE_URL}/alipay-sandbox/gateway.do"
    assert filled.ALIPAY_APPID.isdigit() and filled.ALIPAY_SELLER_ID.startswith("2088")
    assert "BEGIN PRIVATE KEY" in Path(filled.ALIPAY_PRIVATE_KEY_FILE).read_text()
    assert "BEGIN PUBLIC KEY" in Path(filled.ALIPAY_PUBLIC_KEY_FILE).read_text()
    real = Settings.from_env({"INSTANCE_PATH": str(tmp_path), "WECHAT_SANDBOX": "1", "ALIPAY_APPID": "2021000000000001",
                              "ALIPAY_GATEWAY": "https://openapi.alipay.com/gateway.do"})
    assert (real.ALIPAY_APPID, real.ALIPAY_GATEWAY) == ("2021000000000001", "https://openapi.alipay.com/gateway.do")
    assert real.ALIPAY_SELLER_ID == filled.ALIPAY_SELLER_ID  # what the environment left unset stays the sandbox's
    off = Settings.from_env({"INSTANCE_PATH": str(tmp_path), "WECHAT_SANDBOX": "0"})
    assert off.ALIPAY_GATEWAY == "" and off.ALIPAY_APPID == ""


def test_the_apps_alipay_client_pays_through_the_live_sandbox(app, live_server):
    from services.alipay_client import alipay_provider

    provider = alipay_provider()
    assert provider is alipay_provider() and provider.channel == "alipay_code"
    assert (provider.app, provider.merchant) == (app.config["ALIPAY_APPID"], app.config["ALIPAY_SELLER_ID"])
    code = requests.post(f"{live_server}/alipay-sandbox/paycode", json={"user": "diner", "password": True},
                         timeout=10).json()["auth_code"]
    no = "DC1-" + uuid.uuid4().hex[:16].upper()
    assert provider.pay(no, code, 4200, "点餐").state == "paying"
    assert requests.post(f"{live_server}/alipay-sandbox/pay/confirm", json={"auth_code": code}, timeout=10).ok
    assert creditable(provider.query(no), no, 4200, provider.merchant, provider.app)


def test_the_phone_routes_check_their_input(live_server):
    bad = requests.post(f"{live_server}/alipay-sandbox/paycode", json={"user": ""}, timeout=10)
    assert (bad.status_code, bad.json()["error"]["code"]) == (422, "validation_error")
    nothing = requests.post(f"{live_server}/alipay-sandbox/pay/confirm", json={"auth_code": 28}, timeout=10)
    assert nothing.status_code == 404
