"""HTTP API under /api/v1: parse with schema/, call one service, serialize the answer."""
from __future__ import annotations

from flask import Flask

from api import errors
from api.errors import ContractApi


def init_app(app: Flask) -> None:
    app.config.setdefault("API_TITLE", "Diancan API")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api/v1")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    api = ContractApi(app, spec_kwargs={"components": {"securitySchemes": {
        "bearer": {"type": "http", "scheme": "bearer"}}}})
    app.extensions["diancan.api"] = api
    errors.init_app(app)

    from api import admin, diner, kds, staff

    for module in (diner, staff, kds, admin):
        api.register_blueprint(module.blp)
