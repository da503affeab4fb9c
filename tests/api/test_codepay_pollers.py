"""The payment-code pollers of two server processes (gunicorn, gevent) on one database: payments
nobody follows are still seen paid, each is credited once, and the two processes share the
polls (leased per payment and interval) instead of doubling them."""
from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select

from models import AuditLog, Payment, db
from tests.api.codepay_helpers import confirm, key, paycode, setup_check
from tests.helpers import auth
from tests.servers import free_port, gunicorn_server

pytestmark = pytest.mark.live
POLL = 0.3


@pytest.fixture(scope="module")
def two_pollers(env: dict[str, str], live_server: str) -> Iterator[list[str]]:
    """Two more processes on the test database, each running its poller; WeChat Pay stays the
    shared live server's sandbox."""
    extra = {"CODEPAY_WORKER": "1", "CODEPAY_POLL_SECONDS": str(POLL), "CODEPAY_GIVE_UP_SECONDS": "30"}
    log = Path(env["INSTANCE_PATH"]).parent
    with gunicorn_server(env | extra, log / "poller-1.log", free_port()) as one, \
            gunicorn_server(env | extra, log / "poller-2.log", free_port()) as two:
        yield [one, two]


def test_two_processes_poll_unfollowed_payments_to_paid_once_without_doubling(client, live_server, two_pollers):
    rows = []
    for base in two_pollers * 2:
        store, token, sid = setup_check(client, price=2100)
        code = paycode(live_server, password=True)
        r = requests.post(f"{base}/api/v1/table-sessions/{sid}/payments/code", headers=auth(token), timeout=30,
                          json={"client_key": key(), "auth_code": code})
        assert r.status_code == 201 and r.json()["payment"]["status"] == "paying", r.text
        rows.append((r.json()["payment"]["id"], code, time.monotonic()))
    for _, code, _ in rows:  # the payers type their passwords a second later; nobody follows
        threading.Timer(1.0, confirm, (live_server, code)).start()
    deadline = time.monotonic() + 20
    while True:
        db.session.remove()
        states = [db.session.get(Payment, pid).status for pid, _, _ in rows]
        db.session.commit()
        if set(states) == {"paid"}:
            break
        assert time.monotonic() < deadline, states
        time.sleep(0.2)
    took = time.monotonic() - min(started for _, _, started in rows)
    db.session.remove()
    for pid, _, _ in rows:
        credits = db.session.execute(select(func.count()).select_from(AuditLog).where(
            AuditLog.action == "payment.wechat_code", AuditLog.target_id == pid)).scalar_one()
        assert credits == 1
        polls = db.session.get(Payment, pid).polls
        assert 1 <= polls <= took / POLL + 2, (polls, took)  # one process's worth, not two
    db.session.commit()
