"""Rate limits answer the contract's 429, per diner: one busy phone does not block the table."""
from __future__ import annotations

import uuid

import pytest
import requests

from tests.helpers import auth, make_item, make_store, make_table, sandbox_code, token_of
from tests.servers import free_port, gunicorn_server


@pytest.mark.live
def test_too_many_calls_from_one_diner_get_429_rate_limited(client, env, live_server, tmp_path):
    store = make_store()
    table, dish = make_table(store), make_item(store)
    table_token = token_of(table)
    with gunicorn_server({**env, "RATELIMIT_ENABLED": "1"}, tmp_path / "limits.log", port=free_port()) as base:
        def login() -> str:
            r = requests.post(f"{base}/api/v1/diner/login", json={"code": sandbox_code(live_server)}, timeout=10)
            return r.json()["token"]

        noisy, quiet = login(), login()
        url = f"{base}/api/v1/tables/{table_token}/calls"
        codes = [requests.post(url, json={"kind": "waiter"}, headers=auth(noisy), timeout=10).status_code
                 for _ in range(12)]
        assert codes[:10] == [201] + [200] * 9
        limited = requests.post(url, json={"kind": "waiter"}, headers=auth(noisy), timeout=10)
        assert limited.status_code == 429
        assert limited.json()["error"]["code"] == "rate_limited"
        assert requests.post(url, json={"kind": "waiter"}, headers=auth(quiet), timeout=10).status_code == 200
        body = {"table_token": table_token, "client_key": uuid.uuid4().hex, "items": [{"item_id": dish.id, "qty": 1}]}
        assert requests.post(f"{base}/api/v1/orders", json=body, headers=auth(noisy), timeout=10).status_code == 201
