"""The Alipay sandbox on its own (its own keys and state), served over HTTP for the SDK and the client."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from flask import Flask

from alipay_open.sandbox.standalone import create_sandbox_app
from config.sandbox import alipay_sandbox_identity
from tests.wechat.local_servers import serve


@dataclass
class Sandbox:
    url: str  # …/alipay-sandbox
    app: Flask
    ident: dict[str, str]

    @property
    def gateway(self) -> str:
        return f"{self.url}/gateway.do"

    def paycode(self, user: str = "alice", password: bool = False, **faults: object) -> str:
        resp = requests.post(f"{self.url}/paycode", json={"user": user, "password": password, "faults": faults},
                             timeout=10)
        resp.raise_for_status()
        return str(resp.json()["auth_code"])

    def confirm(self, auth_code: str) -> requests.Response:
        return requests.post(f"{self.url}/pay/confirm", json={"auth_code": auth_code}, timeout=10)


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    instance: Path = tmp_path_factory.mktemp("alipay-sandbox")
    app = create_sandbox_app(instance)
    with serve(app) as base:
        yield Sandbox(url=f"{base}/alipay-sandbox", app=app, ident=alipay_sandbox_identity(instance))


@pytest.fixture()
def short_wait(sandbox: Sandbox) -> Iterator[float]:
    """The sandbox closes trades left waiting for the password after 0.3 s instead of 60."""
    sandbox.app.config["ALIPAY_SANDBOX_WAIT_SECONDS"] = 0.3
    yield 0.3
    sandbox.app.config["ALIPAY_SANDBOX_WAIT_SECONDS"] = 60.0
