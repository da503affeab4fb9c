"""The sandbox alone, without the product: for SDK tests and for integrators who want a WeChat
to talk to (``flask --app wechat.sandbox.standalone run``; state and keys in ``INSTANCE_PATH``,
default ``instance/``)."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask


def create_sandbox_app(instance_path: str | os.PathLike[str]) -> Flask:
    from config.sandbox import sandbox_identity
    from wechat.sandbox import bp

    instance = Path(instance_path).resolve()
    ident = sandbox_identity(instance)
    app = Flask("wechat_sandbox", instance_path=str(instance))
    app.config.update(INSTANCE_PATH=str(instance), WECHAT_APPID=ident["appid"], WECHAT_SECRET=ident["secret"])
    app.register_blueprint(bp)
    return app


def create_app() -> Flask:  # what ``flask --app wechat.sandbox.standalone`` looks for
    from config import Settings

    return create_sandbox_app(Settings.from_env().INSTANCE_PATH)
