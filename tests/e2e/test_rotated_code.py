"""A phone left open on a table whose code is rotated is cut off at once and says the code is no
longer valid, instead of hearing the next party's orders or trying to reconnect forever."""
from __future__ import annotations

import pytest
import requests
from playwright.sync_api import expect

from tests.helpers import auth, make_item, make_store, make_table, staff_token, token_of

pytestmark = [pytest.mark.e2e, pytest.mark.live]


def test_a_phone_on_a_rotated_code_says_the_code_is_no_longer_valid(client, live_server, phone):
    store = make_store()
    table = make_table(store, code="R1")
    make_item(store, name="酸梅汤", price=800, station="bar")
    owner = staff_token(client, store)
    page = phone.new_page()
    frames: list[str] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(str(payload))))
    page.goto(f"{live_server}/t/{token_of(table)}")
    expect(page.locator("[data-item]", has_text="酸梅汤")).to_be_visible()
    for _ in range(100):  # until the server has accepted the page's /table socket
        if any(f.startswith("40/table,") for f in frames):
            break
        page.wait_for_timeout(50)
    assert any(f.startswith("40/table,") for f in frames), frames
    r = requests.post(f"{live_server}/api/v1/admin/tables/{table.id}/rotate-qr", headers=auth(owner), timeout=10)
    assert r.status_code == 200
    expect(page.locator("#error-text")).to_contain_text("此桌码已失效。请扫描桌上最新的二维码", timeout=5000)
