"""What the live server writes to its log: routes instead of token-bearing paths, and no
traceback for a client's mistake."""
from __future__ import annotations

import time
import uuid
from pathlib import Path

import pytest
import requests

from tests.helpers import auth, make_item, make_store, make_table, staff_token, token_of


def _log(env) -> Path:
    return Path(env["INSTANCE_PATH"]).parent / "gunicorn.log"


def _log_after(env, start: int, marker: str) -> str:
    """The log written since ``start``, once the line for ``marker``'s request has arrived."""
    deadline = time.monotonic() + 10
    while True:
        with open(_log(env), encoding="utf-8", errors="replace") as fh:
            fh.seek(start)
            text = fh.read()
        if marker in text or time.monotonic() > deadline:
            return text
        time.sleep(0.05)


@pytest.mark.live
def test_access_log_names_the_route_not_the_qr_token(client, env, live_server):
    store = make_store()
    table = make_table(store)
    qr = token_of(table)
    start = _log(env).stat().st_size
    assert requests.get(f"{live_server}/api/v1/tables/{qr}", timeout=10).status_code == 200
    assert requests.get(f"{live_server}/t/{qr}", timeout=10).status_code == 200
    stale = qr[:-4] + "zzzz"
    assert requests.get(f"{live_server}/api/v1/tables/{stale}/cart", timeout=10).status_code in (401, 404)
    marker = f"/healthz-{uuid.uuid4().hex}"
    requests.get(f"{live_server}{marker}", timeout=10)
    text = _log_after(env, start, marker[:12])
    assert qr not in text and stale not in text
    assert "/api/v1/tables/<string:qr_token>" in text and "/t/<string:qr_token>" in text


@pytest.mark.live
def test_a_refused_photo_leaves_no_traceback_in_the_log(client, env, live_server):
    store = make_store()
    item = make_item(store)
    owner = staff_token(client, store)
    start = _log(env).stat().st_size
    r = requests.put(f"{live_server}/api/v1/admin/items/{item.id}/photo", headers=auth(owner), timeout=10,
                     files={"photo": ("shell.jpg", b"<?php echo 1; ?>", "image/jpeg")})
    assert r.status_code == 422
    text = _log_after(env, start, "/photo")
    assert "/api/v1/admin/items/<int:item_id>/photo" in text
    assert "Traceback" not in text and "ValidationFailed" not in text
