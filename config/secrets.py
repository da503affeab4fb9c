"""Secrets kept under ``instance/``: generated once, then read back on every start."""
from __future__ import annotations

import base64
import json
import os
import secrets
from collections.abc import Callable
from pathlib import Path


def kept_secrets(path: Path, make: Callable[[], dict[str, str]]) -> dict[str, str]:
    """Secrets that must survive restarts: made once by ``make``, then read from ``path`` (0600).

    Written to a temporary file and renamed, so a crash never leaves half a key behind.
    """
    if path.exists():
        return json.loads(path.read_text())
    path.parent.mkdir(parents=True, exist_ok=True)
    data = make()
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(data, fh)
    os.replace(tmp, path)
    return data


def instance_secrets(instance: Path) -> dict[str, str]:
    return kept_secrets(instance / "secrets.json", lambda: {
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DATA_KEYS": "1:" + base64.b64encode(secrets.token_bytes(32)).decode(),
        "LOOKUP_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
    })
