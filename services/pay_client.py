"""The app's payment clients, built from the configuration on first use: the one WeChat Pay
client, and the payment-code provider of each channel (``code_provider``)."""
from __future__ import annotations

from flask import current_app

from domain.codepay import CodeProvider
from domain.errors import Unavailable
from services.alipay_client import alipay_configured, alipay_provider
from services.context import provided
from wechat.codepay import WechatCodeProvider
from wechat.pay import PayConfig, WechatPay


def pay_client() -> WechatPay:
    return provided("diancan.pay", WechatPay, _make_pay_client)


def _make_pay_client() -> WechatPay:
    cfg = current_app.config
    with open(cfg["WECHATPAY_PRIVATE_KEY_FILE"], "rb") as fh:
        merchant_key = fh.read()
    with open(cfg["WECHATPAY_PUBLIC_KEY_FILE"], "rb") as fh:
        wechat_key = fh.read()
    return WechatPay(PayConfig(
        appid=cfg["WECHAT_APPID"], mchid=cfg["WECHATPAY_MCHID"], api_base=cfg["WECHATPAY_API_BASE"],
        merchant_key_pem=merchant_key, merchant_serial=cfg["WECHATPAY_CERT_SERIAL"],
        apiv3_key=cfg["WECHATPAY_APIV3_KEY"], wechat_public_keys={cfg["WECHATPAY_PUBLIC_KEY_ID"]: wechat_key}))


def code_provider(channel: str) -> CodeProvider:
    """The provider that charges a payment code of ``channel`` (``domain.codepay.channel_of``).
    ``app.extensions["diancan.code.<channel>"]`` may hold a fake in tests."""
    name = f"diancan.code.{channel}"
    ext = current_app.extensions
    if name in ext:
        found: CodeProvider = ext[name]
        return found
    if channel == "wechat_code":
        notify = f"{current_app.config['PUBLIC_BASE_URL']}/api/v1/wechat/refund/notify"
        return provided(name, WechatCodeProvider, lambda: WechatCodeProvider(pay_client(), notify))
    if channel == "alipay_code" and alipay_configured():
        return alipay_provider()
    raise Unavailable("Alipay payment codes are not set up on this server yet: take another way of paying")
