"""What services need from the running app, without importing Flask's request machinery."""
from __future__ import annotations

from typing import Any, TypeVar

from flask import current_app

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


def signer() -> TokenSigner:
    return provided("diancan.signer", TokenSigner, lambda: TokenSigner(current_app.config["SECRET_KEY"]))


def cipher() -> DataCipher:
    cfg = current_app.config
    return provided("diancan.cipher", DataCipher, lambda: DataCipher(cfg["DATA_KEYS"], cfg["LOOKUP_KEY"]))


def setting(name: str) -> Any:
    return current_app.config[name]
