"""Console routes for the menu: categories, dishes, option groups, options and dish photos."""
from __future__ import annotations

from typing import Any

from flask import request
from flask_smorest import Blueprint

from api.admin import SECURED, _staff_id, _store_id
from api.auth import permission_required
from domain.errors import ValidationFailed
from schema.admin import (
    AdminMenuResponse,
    CategoryEnvelope,
    GroupCreate,
    GroupEnvelope,
    GroupPatch,
    ItemCreate,
    ItemEnvelope,
    ItemPatch,
    NamedCreate,
    NamedPatch,
    OptionCreate,
    OptionEnvelope,
    OptionPatch,
)
from services import catalog
from services.context import setting

blp = Blueprint("admin_menu", __name__, url_prefix="/api/v1/admin", description="Store administration: the menu")
PERM = "menu.manage"


@blp.get("/menu")
@permission_required(PERM)
@blp.response(200, AdminMenuResponse)
@blp.doc(**SECURED)
def admin_menu() -> dict[str, Any]:
    """Every category and dish, also those taken off the menu, with their option groups."""
    return {"categories": catalog.admin_menu(_store_id())}


@blp.post("/categories")
@permission_required(PERM)
@blp.arguments(NamedCreate())
@blp.response(201, CategoryEnvelope)
@blp.doc(**SECURED)
def create_category(body: dict[str, Any]) -> Any:
    return {"category": catalog.save_category(_store_id(), body)}, 201


@blp.patch("/categories/<int:category_id>")
@permission_required(PERM)
@blp.arguments(NamedPatch())
@blp.response(200, CategoryEnvelope)
@blp.doc(**SECURED)
def patch_category(body: dict[str, Any], category_id: int) -> dict[str, Any]:
    return {"category": catalog.save_category(_store_id(), body, category_id)}


@blp.delete("/categories/<int:category_id>")
@permission_required(PERM)
@blp.response(204)
@blp.doc(**SECURED)
def delete_category(category_id: int) -> None:
    """Remove an empty category (409 while dishes are in it)."""
    catalog.delete_category(_store_id(), category_id)


@blp.post("/items")
@permission_required(PERM)
@blp.arguments(ItemCreate())
@blp.response(201, ItemEnvelope)
@blp.doc(**SECURED)
def create_item(body: dict[str, Any]) -> Any:
    return {"item": catalog.save_item(_store_id(), body, staff_id=_staff_id())}, 201


@blp.patch("/items/<int:item_id>")
@permission_required(PERM)
@blp.arguments(ItemPatch())
@blp.response(200, ItemEnvelope)
@blp.doc(**SECURED)
def patch_item(body: dict[str, Any], item_id: int) -> dict[str, Any]:
    """Change a dish; orders already placed keep the name and price they were placed with."""
    return {"item": catalog.save_item(_store_id(), body, item_id, _staff_id())}


@blp.put("/items/<int:item_id>/photo")
@permission_required(PERM)
@blp.response(200, ItemEnvelope)
@blp.doc(**SECURED, requestBody={"content": {"multipart/form-data": {"schema": {
    "type": "object", "properties": {"photo": {"type": "string", "format": "binary"}}, "required": ["photo"]}}}})
def put_photo(item_id: int) -> dict[str, Any]:
    """Upload a dish photo (multipart field ``photo``): JPEG, PNG or WebP up to PHOTO_MAX_BYTES,
    re-encoded as JPEG of at most 1200 px a side; 413 when too big, 422 when not a photo."""
    request.max_content_length = setting("PHOTO_MAX_BYTES") + 64 * 1024  # room for the multipart envelope
    upload = request.files.get("photo")
    if upload is None:
        raise ValidationFailed("send the photo as multipart form field 'photo'", {"photo": ["required"]})
    data = upload.read(setting("PHOTO_MAX_BYTES") + 1)
    if len(data) > setting("PHOTO_MAX_BYTES"):
        from werkzeug.exceptions import RequestEntityTooLarge

        raise RequestEntityTooLarge()
    return {"item": catalog.set_photo(_store_id(), item_id, data, _staff_id())}


@blp.delete("/items/<int:item_id>/photo")
@permission_required(PERM)
@blp.response(200, ItemEnvelope)
@blp.doc(**SECURED)
def delete_photo(item_id: int) -> dict[str, Any]:
    return {"item": catalog.remove_photo(_store_id(), item_id, _staff_id())}


@blp.post("/items/<int:item_id>/option-groups")
@permission_required(PERM)
@blp.arguments(GroupCreate())
@blp.response(201, GroupEnvelope)
@blp.doc(**SECURED)
def create_group(body: dict[str, Any], item_id: int) -> Any:
    """An option group on a dish (size, spice, extras) with min/max choices and, optionally, its options."""
    return {"group": catalog.save_group(_store_id(), body, item_id=item_id)}, 201


@blp.patch("/option-groups/<int:group_id>")
@permission_required(PERM)
@blp.arguments(GroupPatch())
@blp.response(200, GroupEnvelope)
@blp.doc(**SECURED)
def patch_group(body: dict[str, Any], group_id: int) -> dict[str, Any]:
    return {"group": catalog.save_group(_store_id(), body, group_id=group_id)}


@blp.delete("/option-groups/<int:group_id>")
@permission_required(PERM)
@blp.response(204)
@blp.doc(**SECURED)
def delete_group(group_id: int) -> None:
    catalog.delete_group(_store_id(), group_id)


@blp.post("/option-groups/<int:group_id>/options")
@permission_required(PERM)
@blp.arguments(OptionCreate())
@blp.response(201, OptionEnvelope)
@blp.doc(**SECURED)
def create_option(body: dict[str, Any], group_id: int) -> Any:
    return {"option": catalog.save_option(_store_id(), body, group_id=group_id)}, 201


@blp.patch("/options/<int:option_id>")
@permission_required(PERM)
@blp.arguments(OptionPatch())
@blp.response(200, OptionEnvelope)
@blp.doc(**SECURED)
def patch_option(body: dict[str, Any], option_id: int) -> dict[str, Any]:
    return {"option": catalog.save_option(_store_id(), body, option_id=option_id, staff_id=_staff_id())}


@blp.delete("/options/<int:option_id>")
@permission_required(PERM)
@blp.response(204)
@blp.doc(**SECURED)
def delete_option(option_id: int) -> None:
    catalog.delete_option(_store_id(), option_id)
