"""Settings from the environment.

With no environment at all this is the demo store: SQLite under ``instance/``, the WeChat
sandbox served by the app itself, and secrets generated into ``instance/`` on first run.
No other module reads ``os.environ``.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from config.sandbox import alipay_sandbox_defaults, feie_sandbox_defaults, sandbox_defaults
from config.secrets import instance_secrets

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INSTANCE = ROOT / "instance"


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass
class Settings:
    HOST: str = "127.0.0.1"
    PORT: int = 5000
    INSTANCE_PATH: str = str(DEFAULT_INSTANCE)
    DATABASE_URL: str = ""
    REDIS_URL: str = ""
    SOCKETIO_CHANNEL: str = "diancan-socketio"  # Redis pub/sub channel shared by the processes
    # "" picks from the server (gunicorn.conf.py sets "gevent": kds/websocket.py); "threading" = simple-websocket
    SOCKETIO_ASYNC_MODE: str = ""
    PUBLIC_BASE_URL: str = ""
    SECRET_KEY: str = ""
    DATA_KEYS: str = ""
    LOOKUP_KEY: str = ""
    DEMO: bool = True
    # None (unset): on only while PUBLIC_BASE_URL is plain http://, so a server given an https
    # address never serves the unauthenticated /wechat-sandbox/pay/confirm unless asked by name.
    WECHAT_SANDBOX: bool | None = None
    WECHAT_APPID: str = ""
    WECHAT_SECRET: str = ""
    WECHAT_API_BASE: str = ""
    WECHAT_TABLE_PAGE: str = "pages/table/index"  # the mini-program page a table's code opens (scene = QR token)
    WECHATPAY_MCHID: str = ""
    WECHATPAY_API_BASE: str = ""
    WECHATPAY_PRIVATE_KEY_FILE: str = ""
    WECHATPAY_CERT_SERIAL: str = ""
    WECHATPAY_APIV3_KEY: str = ""
    WECHATPAY_PUBLIC_KEY_FILE: str = ""
    WECHATPAY_PUBLIC_KEY_ID: str = ""
    # Alipay face-to-face (当面付), public-key mode: the app's id and RSA2 private key, Alipay's public
    # key, the gateway, and the seller's PID (2088…) the money goes to. Sandbox mode fills them.
    ALIPAY_APPID: str = ""
    ALIPAY_PRIVATE_KEY_FILE: str = ""
    ALIPAY_PUBLIC_KEY_FILE: str = ""
    ALIPAY_GATEWAY: str = ""
    ALIPAY_SELLER_ID: str = ""
    ALIPAY_SANDBOX_WAIT_SECONDS: float = 60.0  # the sandbox closes a trade left waiting for the password this long
    STAFF_TOKEN_TTL: int = 12 * 3600
    DINER_TOKEN_TTL: int = 7 * 24 * 3600
    MAX_CONTENT_LENGTH: int = 64 * 1024
    PHOTO_MAX_BYTES: int = 5 * 1024 * 1024  # dish photo uploads (the only route allowed a larger body)
    RATELIMIT_ENABLED: bool = True
    # How many reverse proxies' X-Forwarded-For / -Proto to believe (nginx in front: 1). With 0 the
    # header is ignored: rate limits and lockouts key on an address no client can write.
    TRUSTED_PROXIES: int = 0
    KDS_REPLAY_LIMIT: int = 500
    SOCKET_JOIN_GRACE: int = 10  # seconds an Engine.IO connection may stay open without a namespace
    SOCKETS_PER_ADDRESS: int = 256  # per process; diners share a restaurant's Wi-Fi address
    SOCKETS_PER_TOKEN: int = 8  # namespace sockets one token may hold, per process
    RECONCILE_SECONDS: int = 60  # how often each server process asks WeChat Pay about stragglers; 0: never
    # Payment codes (services/codepay.py): a payment whose payer is confirming on the phone is
    # queried about every CODEPAY_POLL_SECONDS and reversed when not paid within
    # CODEPAY_GIVE_UP_SECONDS. Each process runs a poller (CODEPAY_WORKER=0: none here).
    CODEPAY_POLL_SECONDS: float = 5.0
    CODEPAY_GIVE_UP_SECONDS: float = 60.0
    CODEPAY_WORKER: bool = True
    WECHAT_SANDBOX_PAYCODE_SECONDS: float = 60.0  # the sandbox payer's time to enter the password
    LOG_LEVEL: str = "INFO"
    # Printing: every server process runs a print worker (PRINT_WORKER=0: none in this process).
    PRINT_WORKER: bool = True
    PRINT_POLL_SECONDS: float = 0.5  # how often a worker looks for jobs written by other processes
    PRINT_TIMEOUT_SECONDS: float = 5.0  # connect / answer timeout of a network printer
    PRINT_RETRY_MAX_SECONDS: float = 30.0  # back-off ceiling while a printer does not answer
    PRINT_DOWN_AFTER_SECONDS: float = 60.0  # failing this long, a printer shows as down
    PRINT_LEASE_SECONDS: float = 60.0  # a worker's claim on a job; another may take it after
    PRINT_BATCH: int = 20  # jobs of one printer a worker claims at once (sent in order, recorded one by one)
    FEIE_API_BASE: str = ""  # Feie's open API; sandbox mode: our /feie-sandbox
    FEIE_USER: str = ""
    FEIE_UKEY: str = ""
    # Overload: at most WRITE_SLOTS writes run at once per process (0: 2 on SQLite, 4 on MariaDB);
    # up to WRITE_QUEUE more wait at most WRITE_WAIT_SECONDS for a slot; beyond, 503 overloaded.
    WRITE_SLOTS: int = 0
    WRITE_QUEUE: int = 16
    WRITE_WAIT_SECONDS: float = 0.5
    # The diner's menu: seconds a kept answer is served again without its freshness query. Writes of
    # this process end the window at once; another process's are seen at most this late (0: never kept).
    MENU_FRESH_SECONDS: float = 0.2
    # A store's rounds inside their transaction at once per process (services/order_gate.py)
    ORDER_SLOTS_PER_STORE: int = 2
    METRICS_TOKEN: str = ""  # set: /metrics needs "Authorization: Bearer <token>"; unset: loopback callers only
    SENTRY_DSN: str = ""  # set: errors go to Sentry (no personal data; the same redaction as the logs)
    SEQ_ANNOUNCE_SECONDS: int = 3  # how often each process tells its screens every station's latest seq; 0: never
    FAULT_AFTER_COMMIT: str = ""  # tests only: "exit" ends the process after a commit with kitchen events
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: Any) -> Settings:
        env = dict(os.environ if env is None else env)
        values: dict[str, Any] = {}
        for f in fields(cls):
            if f.name == "extra" or f.name not in env or env[f.name] == "":
                continue
            raw = env[f.name]
            if f.type in ("int", int):
                values[f.name] = int(raw)
            elif f.type in ("float", float):
                values[f.name] = float(raw)
            elif f.type in ("bool", bool, "bool | None"):
                values[f.name] = _flag(raw, f.default)  # type: ignore[arg-type]
            else:
                values[f.name] = raw
        values.update(overrides)
        settings = cls(**values)
        settings._fill_defaults()
        return settings

    def _fill_defaults(self) -> None:
        instance = Path(self.INSTANCE_PATH)
        if not self.DATABASE_URL:
            instance.mkdir(parents=True, exist_ok=True)
            self.DATABASE_URL = f"sqlite:///{instance / 'diancan.db'}"
        if not self.PUBLIC_BASE_URL:
            self.PUBLIC_BASE_URL = f"http://{self.HOST}:{self.PORT}"
        self.PUBLIC_BASE_URL = self.PUBLIC_BASE_URL.rstrip("/")
        if self.WECHAT_SANDBOX is None:
            self.WECHAT_SANDBOX = self.PUBLIC_BASE_URL.lower().startswith("http://")
        if not (self.SECRET_KEY and self.DATA_KEYS and self.LOOKUP_KEY):
            kept = instance_secrets(instance)
            self.SECRET_KEY = self.SECRET_KEY or kept["SECRET_KEY"]
            self.DATA_KEYS = self.DATA_KEYS or kept["DATA_KEYS"]
            self.LOOKUP_KEY = self.LOOKUP_KEY or kept["LOOKUP_KEY"]
        if self.WECHAT_SANDBOX:
            # Sandbox values fill only what the environment left unset, so a real
            # WECHAT_* / WECHATPAY_* value always wins (contract: "overrides").
            defaults = sandbox_defaults(instance, self.PUBLIC_BASE_URL)
            defaults |= feie_sandbox_defaults(instance, self.PUBLIC_BASE_URL)
            defaults |= alipay_sandbox_defaults(instance, self.PUBLIC_BASE_URL)
            for name, value in defaults.items():
                if not getattr(self, name):
                    setattr(self, name, value)

    def flask_config(self) -> dict[str, Any]:
        cfg = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "extra"}
        cfg.update(self.extra)
        return cfg
