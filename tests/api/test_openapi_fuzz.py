"""Schemathesis walks every operation of our OpenAPI document: nothing a client sends is a 500."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import make_item, make_store, make_table, staff_token

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.live
def test_no_request_from_the_openapi_document_causes_a_server_error(client, live_server, tmp_path):
    store = make_store()
    make_table(store)
    make_item(store)
    owner = staff_token(client, store)
    cli = Path(sys.executable).with_name("schemathesis")
    result = subprocess.run(
        [str(cli), "run", f"{live_server}/api/v1/openapi.json", "--checks", "not_a_server_error",
         "-H", f"Authorization: Bearer {owner}", "--max-examples", "25", "--seed", "1",
         "--no-color"],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout[-4000:]
