"""The Alipay sandbox alone, without the product: for SDK tests and for integrators who want an
Alipay to talk to (``flask --app alipay_open.sandbox.standalone run``; state and keys in
``INSTANCE_PATH``, default ``instance/``)."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask


def create_sandbox_app(instance_path: str | os.PathLike[str], wait_seconds: float = 60.0) -> Flask:
    from alipay_open.sandbox import bp
    from config.sandbox import alipay_sandbox_identity

    instance = Path(instance_path).resolve()
    alipay_sandbox_identity(instance)  # made once, before requests race to make it
    app = Flask("alipay_sandbox", instance_path=str(instance))
    app.config.update(INSTANCE_PATH=str(instance), ALIPAY_SANDBOX_WAIT_SECONDS=wait_seconds)
    app.register_blueprint(bp)
    return app


def create_app() -> Flask:  # what ``flask --app alipay_open.sandbox.standalone`` looks for
    from config import Settings

    settings = Settings.from_env()
    return create_sandbox_app(settings.INSTANCE_PATH, settings.ALIPAY_SANDBOX_WAIT_SECONDS)
