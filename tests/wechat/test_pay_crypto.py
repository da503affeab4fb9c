"""Signatures and keys without any server: certificates as well as public keys, and overrides."""
from __future__ import annotations

import base64
import datetime as dt
import json
import os

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.x509.oid import NameOID

from config import Settings
from wechat.pay import PayConfig, WechatPay, sign

KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
PLATFORM = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _pem(key) -> bytes:  # type: ignore[no-untyped-def]
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _certificate(key) -> bytes:  # type: ignore[no-untyped-def]
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Tenpay.com Root CA")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now)
            .not_valid_after(now + dt.timedelta(days=365)).sign(key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.PEM)


def _client(wechat_keys: dict[str, bytes]) -> WechatPay:
    return WechatPay(PayConfig(appid="wx1", mchid="1900000001", api_base="http://127.0.0.1:9",
                               merchant_key_pem=_pem(KEY), merchant_serial="ABC", apiv3_key="k" * 32,
                               wechat_public_keys=wechat_keys))


def test_a_merchant_still_on_platform_certificates_verifies_notifies():
    pay = _client({"5157F09EFDC096DE15EBE81A47057A7232F1B8E1": _certificate(PLATFORM)})
    nonce = "n0nce1234567"  # WeChat uses 12 characters
    resource = {"out_trade_no": "DC1-X", "trade_state": "SUCCESS"}
    ct = AESGCM(b"k" * 32).encrypt(nonce.encode(), json.dumps(resource).encode(), b"transaction")
    body = json.dumps({"resource": {"algorithm": "AEAD_AES_256_GCM", "ciphertext": base64.b64encode(ct).decode(),
                                    "associated_data": "transaction", "nonce": nonce}})
    ts = str(int(dt.datetime.now(dt.UTC).timestamp()))
    headers = {"Wechatpay-Serial": "5157F09EFDC096DE15EBE81A47057A7232F1B8E1", "Wechatpay-Timestamp": ts,
               "Wechatpay-Nonce": "abc", "Wechatpay-Signature": sign(PLATFORM, f"{ts}\nabc\n{body}\n")}
    assert pay.parse_notify(headers, body) == resource


def test_authorization_header_signs_method_path_time_nonce_and_body():
    pay = _client({"PUB_KEY_ID_1": PLATFORM.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)})
    header = pay.authorization("POST", "/v3/pay/transactions/jsapi", '{"a":1}')
    fields = dict(part.split("=", 1) for part in header.split(" ", 1)[1].split(","))
    fields = {k: v.strip('"') for k, v in fields.items()}
    message = f"POST\n/v3/pay/transactions/jsapi\n{fields['timestamp']}\n{fields['nonce_str']}\n{{\"a\":1}}\n"
    KEY.public_key().verify(base64.b64decode(fields["signature"]), message.encode(), padding.PKCS1v15(),
                            hashes.SHA256())
    assert fields["mchid"] == "1900000001" and fields["serial_no"] == "ABC"


def test_every_wechat_variable_that_is_set_overrides_the_sandbox(tmp_path):
    mine = {"WECHAT_APPID": "wxmine", "WECHATPAY_MCHID": "1234567890", "WECHATPAY_API_BASE": "https://pay.example",
            "WECHATPAY_PUBLIC_KEY_ID": "PUB_KEY_ID_MINE"}
    settings = Settings.from_env({"INSTANCE_PATH": str(tmp_path), "WECHAT_SANDBOX": "1", **mine})
    for name, value in mine.items():
        assert getattr(settings, name) == value
    assert settings.WECHAT_SECRET and settings.WECHATPAY_APIV3_KEY  # the rest still come from the sandbox
    assert oct(os.stat(tmp_path / "wechat-sandbox" / "identity.json").st_mode)[-3:] == "600"


def test_an_answer_signed_with_another_algorithm_is_refused():
    import pytest

    from wechat.pay import NotifyRejected

    pay = _client({"PUB_KEY_ID_1": PLATFORM.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)})
    ts = str(int(dt.datetime.now(dt.UTC).timestamp()))
    headers = {"Wechatpay-Serial": "PUB_KEY_ID_1", "Wechatpay-Timestamp": ts, "Wechatpay-Nonce": "n",
               "Wechatpay-Signature": sign(PLATFORM, f"{ts}\nn\n{{}}\n")}
    pay.verify_signed(headers | {"Wechatpay-Signature-Type": "WECHATPAY2-SHA256-RSA2048"}, "{}")
    with pytest.raises(NotifyRejected):
        pay.verify_signed(headers | {"Wechatpay-Signature-Type": "WECHATPAY2-SM2-WITH-SM3"}, "{}")
