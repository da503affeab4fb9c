"""The app's one WeChat Pay client, built from the configuration on first use."""
from __future__ import annotations

from flask import current_app

from services.context import provided
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
