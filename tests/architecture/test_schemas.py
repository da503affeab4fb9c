"""Marshmallow schemas live in schema/, one module per resource (ARCHITECTURE.md).

The one exception is ``services/views.py``: the payloads screens and phones receive are built
there once, for the event log and the REST answers alike, and services may not import schema/.
"""
from __future__ import annotations

import importlib

from marshmallow import Schema

from tests.architecture.imports import PACKAGES, ROOT, application_files

VIEWS = "services.views"


def _application_modules() -> list[str]:
    names = []
    for path in application_files():
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[0] not in PACKAGES:  # the top-level scripts (app, cli, wsgi) build apps
            continue
        if parts[-1] == "__init__":
            parts.pop()
        names.append(".".join(parts))
    return names


def _schemas() -> dict[str, str]:
    """Every Schema subclass the application defines: class name -> module."""
    modules = set(_application_modules())
    for name in sorted(modules):
        importlib.import_module(name)
    found: dict[str, str] = {}
    todo = list(Schema.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__ in modules:
            found[f"{cls.__module__}.{cls.__qualname__}"] = cls.__module__
    return found


def test_schemas_are_defined_in_schema_only() -> None:
    outside = sorted(name for name, module in _schemas().items()
                     if module != "schema" and not module.startswith("schema.") and module != VIEWS)
    assert outside == []


def test_the_scan_sees_schemas_where_they_live() -> None:
    """The scan can fail: it finds the schemas of schema/ and the views of services."""
    modules = set(_schemas().values())
    assert {"schema.payments", "schema.kitchen", VIEWS} <= modules
