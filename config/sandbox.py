"""The WeChat sandbox's identity (sandbox mode's configuration): app id, secrets and keys, made on first run.

Two RSA key pairs, as in real life: the merchant's (the app signs its Pay requests and the
paySign with it; the sandbox verifies with its public half) and WeChat Pay's (the sandbox signs
answers and notifies; the app verifies with the "WeChat Pay public key"). Plus the APIv3 key
that encrypts notify resources.
"""
from __future__ import annotations

import secrets
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from config.secrets import kept_secrets


def _pem_pair() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return private, public


def _identity() -> dict[str, str]:
    merchant_key, merchant_pub = _pem_pair()
    platform_key, platform_pub = _pem_pair()
    return {
        "appid": "wx" + secrets.token_hex(8),
        "secret": secrets.token_hex(16),
        "mchid": str(1900000000 + secrets.randbelow(99999999)),
        "merchant_key": merchant_key, "merchant_pub": merchant_pub,
        "merchant_serial": secrets.token_hex(20).upper(),
        "platform_key": platform_key, "platform_pub": platform_pub,
        "public_key_id": "PUB_KEY_ID_" + "".join(str(secrets.randbelow(10)) for _ in range(28)),
        "apiv3_key": secrets.token_urlsafe(24)[:32],
    }


def sandbox_identity(instance: Path) -> dict[str, str]:
    path = instance / "wechat-sandbox" / "identity.json"
    ident = kept_secrets(path, _identity)
    if "merchant_key" not in ident:  # made before the sandbox had Pay keys: add them, keep the rest
        older = ident
        path.unlink()
        ident = kept_secrets(path, lambda: {**_identity(), **older})
    return ident


def sandbox_defaults(instance: Path, public_base_url: str) -> dict[str, str]:
    """Values the WECHAT_* settings take in sandbox mode when the environment sets none."""
    ident = sandbox_identity(instance)
    folder = instance / "wechat-sandbox"
    files = {"merchant_key.pem": ident["merchant_key"], "wechatpay_public_key.pem": ident["platform_pub"]}
    for name, text in files.items():
        path = folder / name
        if not path.exists():
            path.write_text(text)
            path.chmod(0o600)
    return {
        "WECHAT_APPID": ident["appid"],
        "WECHAT_SECRET": ident["secret"],
        "WECHAT_API_BASE": f"{public_base_url}/wechat-sandbox",
        "WECHATPAY_MCHID": ident["mchid"],
        "WECHATPAY_API_BASE": f"{public_base_url}/wechat-sandbox",
        "WECHATPAY_PRIVATE_KEY_FILE": str(folder / "merchant_key.pem"),
        "WECHATPAY_CERT_SERIAL": ident["merchant_serial"],
        "WECHATPAY_APIV3_KEY": ident["apiv3_key"],
        "WECHATPAY_PUBLIC_KEY_FILE": str(folder / "wechatpay_public_key.pem"),
        "WECHATPAY_PUBLIC_KEY_ID": ident["public_key_id"],
    }


def feie_sandbox_defaults(instance: Path, public_base_url: str) -> dict[str, str]:
    """The FEIE_* settings in sandbox mode: our Feie sandbox's URL and a developer account made once."""
    ident = kept_secrets(instance / "feie-sandbox" / "identity.json", lambda: {
        "user": f"dev{secrets.randbelow(10**8):08d}@sandbox.feieyun.test", "ukey": secrets.token_hex(8)})
    return {"FEIE_API_BASE": f"{public_base_url}/feie-sandbox/Api/Open/", "FEIE_USER": ident["user"],
            "FEIE_UKEY": ident["ukey"]}
