"""What services need from the running app, without importing Flask's request machinery."""
from __future__ import annotations

from flask import current_app

from domain.data_crypto import DataCipher
from domain.tokens import TokenSigner


def signer() -> TokenSigner:
    ext = current_app.extensions
    if "diancan.signer" not in ext:
        ext["diancan.signer"] = TokenSigner(current_app.config["SECRET_KEY"])
    return ext["diancan.signer"]


def cipher() -> DataCipher:
    ext = current_app.extensions
    if "diancan.cipher" not in ext:
        ext["diancan.cipher"] = DataCipher(current_app.config["DATA_KEYS"], current_app.config["LOOKUP_KEY"])
    return ext["diancan.cipher"]


def setting(name: str):  # type: ignore[no-untyped-def]
    return current_app.config[name]
