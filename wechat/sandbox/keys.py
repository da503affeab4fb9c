"""The sandbox's identity: app id, secrets and keys, generated into instance/ on first run."""
from __future__ import annotations

import secrets
from pathlib import Path


def sandbox_defaults(instance: Path, public_base_url: str) -> dict[str, str]:
    """Values the WECHAT_* settings take in sandbox mode when the environment sets none."""
    from config import kept_secrets

    ident = kept_secrets(instance / "wechat-sandbox" / "identity.json", lambda: {
        "appid": "wx" + secrets.token_hex(8),
        "secret": secrets.token_hex(16),
        "mchid": str(1900000000 + secrets.randbelow(99999999)),
    })
    return {
        "WECHAT_APPID": ident["appid"],
        "WECHAT_SECRET": ident["secret"],
        "WECHAT_API_BASE": f"{public_base_url}/wechat-sandbox",
        "WECHATPAY_MCHID": ident["mchid"],
        "WECHATPAY_API_BASE": f"{public_base_url}/wechat-sandbox",
    }
