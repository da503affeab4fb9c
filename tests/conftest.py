"""Fixtures: one migrated database and one live gunicorn server per test session.

``TEST_DATABASE_URL`` picks the database: SQLite in a temporary directory by default, or a
MariaDB server (``mysql+pymysql://root@127.0.0.1/``), on which a fresh database is created for
the session and dropped after. Every test makes its own store, so tests never share tenants.
"""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import create_app
from config import Settings
from models import db
from models.migrate import upgrade
from tests.servers import free_port, gunicorn_server


def _database_url(tmp: Path) -> Iterator[str]:
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url or url.startswith("sqlite"):
        yield f"sqlite:///{tmp / 'test.db'}"
        return
    import pymysql

    base = url.rsplit("/", 1)[0]
    name = f"diancan_test_{uuid.uuid4().hex[:8]}"
    conn = pymysql.connect(host="127.0.0.1", user="root", password="")
    with conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE {name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    try:
        yield f"{base}/{name}?charset=utf8mb4"
    finally:
        with conn.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.close()


@pytest.fixture(scope="session")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The environment both the test app and the live server run with."""
    tmp = tmp_path_factory.mktemp("diancan")
    port = free_port()
    for url in _database_url(tmp):
        values = {
            "DATABASE_URL": url, "INSTANCE_PATH": str(tmp / "instance"), "HOST": "127.0.0.1", "PORT": str(port),
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}", "WECHAT_SANDBOX": "1", "LOG_LEVEL": "WARNING",
            "RATELIMIT_ENABLED": "0",  # tests/api/test_rate_limits.py runs its own server with limits on
            # Printers: quick retries, "down" after 1.5 s, so tests see both without waiting a minute.
            "PRINT_RETRY_MAX_SECONDS": "0.3", "PRINT_DOWN_AFTER_SECONDS": "1.5", "PRINT_TIMEOUT_SECONDS": "2",
            "PRINT_POLL_SECONDS": "0.2",
            # The shared live server prints nothing: printing tests start the workers (and servers) they mean.
            "PRINT_WORKER": "0",
            # Payment codes: no background poller in the shared server (GET /api/v1/payments/{id}
            # follows a payment itself); quick polls so following takes half a second, not five.
            "CODEPAY_WORKER": "0", "CODEPAY_POLL_SECONDS": "0.5",
            # Racing tests send bursts on a busy CI machine: shedding load would only make them flaky
            # (tests/api/test_overload.py tests the gate itself).
            "WRITE_QUEUE": "100000", "WRITE_WAIT_SECONDS": "120",
        }
        settings = Settings.from_env(values)  # generates the instance secrets once
        values |= {"SECRET_KEY": settings.SECRET_KEY, "DATA_KEYS": settings.DATA_KEYS,
                   "LOOKUP_KEY": settings.LOOKUP_KEY}
        upgrade(url)
        yield values


@pytest.fixture(scope="session")
def app(env: dict[str, str]):  # type: ignore[no-untyped-def]
    application = create_app(Settings.from_env(env))
    application.config["TESTING"] = True
    with application.app_context():
        yield application
        db.session.remove()


@pytest.fixture()
def client(app):  # type: ignore[no-untyped-def]
    yield app.test_client()
    db.session.remove()


@pytest.fixture(scope="session")
def live_server(env: dict[str, str]) -> Iterator[str]:
    """gunicorn with the gevent worker, as ``make run`` serves it, on the test database."""
    with gunicorn_server(env, Path(env["INSTANCE_PATH"]).parent / "gunicorn.log") as base:
        assert base == env["PUBLIC_BASE_URL"]
        yield base
