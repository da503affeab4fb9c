"""The app's one Alipay client (payment codes), built from the configuration on first use."""
from __future__ import annotations

from flask import current_app

from alipay_open.client import AlipayCodeProvider, AlipayConfig
from domain.codepay import CodeProvider
from services.context import provided


def alipay_configured() -> bool:
    """Sandbox mode fills the ALIPAY_* settings; outside it a server takes Alipay codes once they are set."""
    cfg = current_app.config
    return all(cfg.get(name) for name in ("ALIPAY_APPID", "ALIPAY_GATEWAY", "ALIPAY_PRIVATE_KEY_FILE",
                                          "ALIPAY_PUBLIC_KEY_FILE", "ALIPAY_SELLER_ID"))


def alipay_provider() -> CodeProvider:
    return provided("diancan.alipay", AlipayCodeProvider, _make_alipay_provider)


def _make_alipay_provider() -> AlipayCodeProvider:
    cfg = current_app.config
    with open(cfg["ALIPAY_PRIVATE_KEY_FILE"]) as fh:
        app_key = fh.read()
    with open(cfg["ALIPAY_PUBLIC_KEY_FILE"]) as fh:
        alipay_key = fh.read()
    return AlipayCodeProvider(AlipayConfig(
        appid=cfg["ALIPAY_APPID"], seller_id=cfg["ALIPAY_SELLER_ID"], gateway=cfg["ALIPAY_GATEWAY"],
        app_private_key_pem=app_key, alipay_public_key_pem=alipay_key))
