"""The OpenAPI document says which answer fields a client can count on.

Every field of a response schema is marked ``required`` (always present; it may still be null
where the schema allows null), except fields declared with ``metadata={"optional": True}``, which
appear only in some answers. Request schemas (``RequestSchema``) keep marshmallow's own
``required``. ``tests/api/test_openapi_answers.py`` validates real answers against the document,
so a field marked required that an answer leaves out fails a test.
"""
from __future__ import annotations

from typing import Any

from apispec.ext.marshmallow.common import resolve_schema_instance
from flask_smorest import Api

from schema import RequestSchema


def mark_always_present(api: Api) -> None:
    converter = api.ma_plugin.converter
    assert converter is not None
    plain = converter.schema2jsonschema

    def schema2jsonschema(schema: Any) -> dict[str, Any]:
        doc = plain(schema)
        instance = resolve_schema_instance(schema)
        if isinstance(instance, RequestSchema):
            return doc
        present = [field.data_key or name for name, field in instance.fields.items()
                   if not field.load_only and not field.metadata.get("optional")]
        if present:
            doc["required"] = sorted(set(doc.get("required", [])) | set(present))
        return doc

    converter.schema2jsonschema = schema2jsonschema  # type: ignore[method-assign]
