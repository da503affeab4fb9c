"""The sandbox's identity: app id, secrets and keys, generated into instance/ on first run."""
from __future__ import annotations

import json
import os
import secrets
from pathlib import Path


def _load_or_create(path: Path) -> dict[str, str]:
    if path.exists():
        return json.loads(path.read_text())
    data = {
        "appid": "wx" + secrets.token_hex(8),
        "secret": secrets.token_hex(16),
        "mchid": str(1900000000 + secrets.randbelow(99999999)),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(data, fh)
    os.replace(tmp, path)
    return data


def sandbox_defaults(instance: Path, public_base_url: str) -> dict[str, str]:
    """Values the WECHAT_* settings take in sandbox mode when the environment sets none."""
    ident = _load_or_create(instance / "wechat-sandbox" / "identity.json")
    return {
        "WECHAT_APPID": ident["appid"],
        "WECHAT_SECRET": ident["secret"],
        "WECHAT_API_BASE": f"{public_base_url}/wechat-sandbox",
        "WECHATPAY_MCHID": ident["mchid"],
        "WECHATPAY_API_BASE": f"{public_base_url}/wechat-sandbox",
    }
