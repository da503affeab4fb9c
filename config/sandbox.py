"""The WeChat sandbox's identity (sandbox mode's configuration): app id, secrets and keys, made on first run.

Two RSA key pairs, as in real life: the merchant's (the app signs its Pay requests and the
paySign with it; the sandbox verifies with its public half) and WeChat Pay's (the sandbox signs
answers and notifies; the app verifies with the "WeChat Pay public key"). Plus the APIv3 key
that encrypts notify resources.

WeChat Pay's key is published two ways, as WeChat does: as the "WeChat Pay public key" with its
``PUB_KEY_ID_…`` id, and inside a self-signed X.509 "platform certificate" that merchants on the
older scheme download from ``GET /v3/certificates`` and name by its serial number.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import secrets
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from config.secrets import kept_secrets

# A fixed validity, so every process derives the very same certificate from the same key
# (PKCS#1 v1.5 signatures are deterministic): nothing more to store, nothing to race on.
CERT_NOT_BEFORE = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
CERT_NOT_AFTER = dt.datetime(2035, 1, 1, tzinfo=dt.UTC)


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


def _key_files(folder: Path, files: dict[str, str]) -> None:
    """The sandbox's keys as the files the *_FILE settings name (written once, owner-only)."""
    for name, text in files.items():
        path = folder / name
        if not path.exists():
            path.write_text(text)
            path.chmod(0o600)


def sandbox_defaults(instance: Path, public_base_url: str) -> dict[str, str]:
    """Values the WECHAT_* settings take in sandbox mode when the environment sets none."""
    ident = sandbox_identity(instance)
    folder = instance / "wechat-sandbox"
    _key_files(folder, {"merchant_key.pem": ident["merchant_key"], "wechatpay_public_key.pem": ident["platform_pub"]})
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


@functools.lru_cache(maxsize=8)
def _certificate(platform_key_pem: str) -> x509.Certificate:
    key = serialization.load_pem_private_key(platform_key_pem.encode(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    der = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    serial = int.from_bytes(hashlib.sha1(der).digest(), "big") >> 1  # noqa: S324 - a serial, not security
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Tenpay.com (sandbox)"),
                      x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "Tenpay.com CA Center"),
                      x509.NameAttribute(NameOID.COMMON_NAME, "Tenpay.com Sandbox Platform")])
    return (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(serial).not_valid_before(CERT_NOT_BEFORE).not_valid_after(CERT_NOT_AFTER)
            .sign(key, hashes.SHA256()))


def platform_certificate(ident: dict[str, str]) -> tuple[str, str, x509.Certificate]:
    """The platform certificate: its PEM, its serial as WeChat writes it (upper-case hex), itself."""
    cert = _certificate(ident["platform_key"])
    return cert.public_bytes(serialization.Encoding.PEM).decode(), format(cert.serial_number, "X"), cert


def feie_sandbox_defaults(instance: Path, public_base_url: str) -> dict[str, str]:
    """The FEIE_* settings in sandbox mode: our Feie sandbox's URL and a developer account made once."""
    ident = kept_secrets(instance / "feie-sandbox" / "identity.json", lambda: {
        "user": f"dev{secrets.randbelow(10**8):08d}@sandbox.feieyun.test", "ukey": secrets.token_hex(8)})
    return {"FEIE_API_BASE": f"{public_base_url}/feie-sandbox/Api/Open/", "FEIE_USER": ident["user"],
            "FEIE_UKEY": ident["ukey"]}


def _alipay_identity() -> dict[str, str]:
    app_key, app_pub = _pem_pair()
    alipay_key, alipay_pub = _pem_pair()
    return {
        # Alipay's app ids are 16 digits (2021… live, 9021… in Alipay's own sandbox); PIDs are 2088 + 12.
        "appid": "9021" + "".join(str(secrets.randbelow(10)) for _ in range(12)),
        "seller_id": "2088" + "".join(str(secrets.randbelow(10)) for _ in range(12)),
        "app_key": app_key, "app_pub": app_pub, "alipay_key": alipay_key, "alipay_pub": alipay_pub,
    }


def alipay_sandbox_identity(instance: Path) -> dict[str, str]:
    """The Alipay sandbox's identity, as Alipay's open platform gives a developer in public-key mode:
    an app id, the seller's PID, the app's RSA2 key pair (the app signs with the private half, the
    sandbox checks with the public half) and Alipay's key pair (the sandbox signs its answers, the
    app checks them with "Alipay's public key")."""
    return kept_secrets(instance / "alipay-sandbox" / "identity.json", _alipay_identity)


def alipay_sandbox_defaults(instance: Path, public_base_url: str) -> dict[str, str]:
    """Values the ALIPAY_* settings take in sandbox mode when the environment sets none."""
    ident = alipay_sandbox_identity(instance)
    folder = instance / "alipay-sandbox"
    _key_files(folder, {"app_private_key.pem": ident["app_key"], "alipay_public_key.pem": ident["alipay_pub"]})
    return {
        "ALIPAY_APPID": ident["appid"],
        "ALIPAY_SELLER_ID": ident["seller_id"],
        "ALIPAY_GATEWAY": f"{public_base_url}/alipay-sandbox/gateway.do",
        "ALIPAY_PRIVATE_KEY_FILE": str(folder / "app_private_key.pem"),
        "ALIPAY_PUBLIC_KEY_FILE": str(folder / "alipay_public_key.pem"),
    }
