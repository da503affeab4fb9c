"""What services need from the running app, without importing Flask's request machinery.

The app's ``extensions`` are the container: ``create_app`` puts the token signer and the data
cipher there (``install``); the WeChat, Alipay and printer clients are made there on first use
(they read key files a deployment without that provider does not have). A test puts a fake
under the same name (``monkeypatch.setitem(app.extensions, "diancan.pay", fake)``) and the
services use it: ``tests/services`` run the use cases that way, in-process, with no server.
"""
from __future__ import annotations

from typing import Any, TypeVar

from flask import Flask, current_app

from domain.data_crypto import DataCipher
from domain.tokens import TokenSigner

T = TypeVar("T")


def provided(name: str, kind: type[T], make: Any) -> T:
    """The app's one ``kind`` under ``name``, made by ``make()`` on first use (a test may put a fake there)."""
    ext = current_app.extensions
    if name not in ext:
        ext[name] = make()
    found = ext[name]
    if not isinstance(found, kind):
        raise TypeError(f"app.extensions[{name!r}] is not a {kind.__name__}")
    return found


def install(app: Flask) -> None:
    """Build what every request needs once, when the app is made."""
    cfg = app.config
    app.extensions.setdefault("diancan.signer", TokenSigner(cfg["SECRET_KEY"]))
    app.extensions.setdefault("diancan.cipher", DataCipher(cfg["DATA_KEYS"], cfg["LOOKUP_KEY"]))


def signer() -> TokenSigner:
    return provided("diancan.signer", TokenSigner, lambda: TokenSigner(current_app.config["SECRET_KEY"]))


def cipher() -> DataCipher:
    cfg = current_app.config
    return provided("diancan.cipher", DataCipher, lambda: DataCipher(cfg["DATA_KEYS"], cfg["LOOKUP_KEY"]))


def setting(name: str) -> Any:
    return current_app.config[name]
