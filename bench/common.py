"""What the benchmarks share: a demo store on a fresh database, a logged-in diner, an order body."""
from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests

from app import create_app
from config import Settings
from models import Item, Table, db
from models.migrate import upgrade
from services.demo import seed_demo
from services.tables import qr_token


def bench_env(tmp: Path, port: int, **extra: str) -> dict[str, str]:
    """The server's environment: its own instance folder, no rate limits, shared secrets."""
    env = {"INSTANCE_PATH": str(tmp), "PORT": str(port), "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
           "LOG_LEVEL": "WARNING", "RATELIMIT_ENABLED": "0", "DATABASE_URL": f"sqlite:///{tmp / 'bench.db'}",
           # one machine plays a whole restaurant: every screen shares the cook's token and one address
           "SOCKETS_PER_TOKEN": "100000", "SOCKETS_PER_ADDRESS": "100000"}
    env |= extra
    settings = Settings.from_env(env)
    return env | {k: getattr(settings, k) for k in ("SECRET_KEY", "DATA_KEYS", "LOOKUP_KEY")}


def prepare_demo(env: dict[str, str], stock: int | None = None) -> tuple[list[str], int]:
    """Migrate, seed the demo store; the tables' QR tokens and the id of the dish to order."""
    upgrade(env["DATABASE_URL"])
    app = create_app(Settings.from_env(env))
    with app.app_context():
        store = seed_demo()
        assert store is not None
        tables = db.session.query(Table).filter_by(store_id=store.id).all()
        item = db.session.query(Item).filter_by(store_id=store.id, name="拍黄瓜").one()
        item.stock = stock
        db.session.commit()
        return [qr_token(t) for t in tables], item.id


def diner_session(base: str, user: str) -> requests.Session:
    s = requests.Session()
    code = s.post(f"{base}/wechat-sandbox/login", json={"user": user}, timeout=10).json()["code"]
    token = s.post(f"{base}/api/v1/diner/login", json={"code": code}, timeout=10).json()["token"]
    s.headers["Authorization"] = f"Bearer {token}"
    return s


def order_body(table_token: str, item_id: int) -> dict[str, Any]:
    return {"table_token": table_token, "client_key": uuid.uuid4().hex,
            "items": [{"item_id": item_id, "qty": 1, "option_ids": [], "note": ""}]}


@contextmanager
def demo_server() -> Iterator[tuple[str, list[str], int]]:
    """A gunicorn (gevent worker) serving the demo store on a fresh SQLite database:
    yields its base URL, the tables' QR tokens and the id of a dish; stops it after."""
    from tests.servers import free_port, start_gunicorn, stop

    tmp = Path(tempfile.mkdtemp(prefix="diancan-bench-"))
    port = free_port()
    env = bench_env(tmp, port)
    tables, item_id = prepare_demo(env)
    proc = start_gunicorn(env, tmp / "gunicorn.log", port)
    try:
        yield f"http://127.0.0.1:{port}", tables, item_id
    finally:
        stop(proc)


DEMO_OWNER = {"store": "demo", "username": "owner", "password": "owner-demo-pass"}  # noqa: S105 - the demo's


def staff_login(base: str, login: dict[str, str] = DEMO_OWNER) -> str:
    return requests.post(f"{base}/api/v1/staff/login", json=login, timeout=10).json()["token"]
