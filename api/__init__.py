"""HTTP API under /api/v1: parse with schema/, call one service, serialize the answer."""
from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter

from api import errors, guards, overload
from api.errors import ContractApi
from api.openapi import mark_always_present


class BoundedInt(IntegerConverter):
    """``<int:…>`` ids in paths: a number no column can hold is simply not found (not a 500)."""

    def __init__(self, map, *args, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = BoundedInt
    app.config.setdefault("API_TITLE", "Diancan API")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api/v1")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    api = ContractApi(app, spec_kwargs={"components": {"securitySchemes": {
        "bearer": {"type": "http", "scheme": "bearer"}}}})
    api.register_converter(BoundedInt, lambda c: {"type": "integer", "minimum": 0, "maximum": 2**31 - 1})
    mark_always_present(api)
    app.extensions["diancan.api"] = api
    errors.init_app(app)
    overload.init_app(app)
    guards.init_app(app)  # before the rate limiter, which may read the body

    from api import (
        admin,
        admin_menu,
        admin_printers,
        admin_staff,
        codepay,
        coupons,
        devices,
        diner,
        floor,
        incidents,
        kds,
        limits,
        payments,
        pos,
        reports,
        staff,
        stock,
        table_service,
        together,
    )

    limits.init_app(app)
    for module in (diner, staff, kds, admin, admin_menu, admin_printers, admin_staff, table_service, devices,
                   payments, codepay, floor, incidents, pos, reports, coupons, together, stock):
        api.register_blueprint(module.blp)
