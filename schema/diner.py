"""Diner login, table lookup and the menu as the contract shows them."""
from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from domain.urls import photo_srcset, photo_url
from schema import RequestSchema
from services import menu


class DinerLoginRequest(RequestSchema):
    code = fields.Str(required=True, validate=validate.Length(1, 128))


class DinerRefSchema(Schema):
    id = fields.Int()


class DinerLoginResponse(Schema):
    token = fields.Str()
    expires_in = fields.Int()
    diner = fields.Nested(DinerRefSchema)


class StoreRefSchema(Schema):
    id = fields.Int()
    name = fields.Str()
    pay_mode = fields.Str()
    currency = fields.Str()
    timezone = fields.Str()
    opens_at = fields.Str(allow_none=True, metadata={"description": "HH:MM store time; null: always open"})
    closes_at = fields.Str(allow_none=True)
    service_charge_bp = fields.Int(metadata={"description": "service charge on each order, basis points"})
    ask_headcount = fields.Bool(metadata={"description": "ask the diners how many they are (用餐人数), once per check"})
    kds_late_minutes = fields.Int(metadata={"description": "minutes after which a round is late: the diner may "
                                                           "chase it (催单)"})


class TableRefSchema(Schema):
    id = fields.Int()
    code = fields.Str()


class SessionRefSchema(Schema):
    id = fields.Int()
    headcount = fields.Int(allow_none=True, metadata={"description": "how many sit at the table; null: not asked yet"})


class TableLookupResponse(Schema):
    store = fields.Nested(StoreRefSchema)
    table = fields.Nested(TableRefSchema)
    session = fields.Nested(SessionRefSchema, allow_none=True)


class MenuOptionSchema(Schema):
    id = fields.Int()
    name = fields.Str()
    price_delta = fields.Int()


class MenuGroupSchema(Schema):
    id = fields.Int()
    name = fields.Str()
    required = fields.Bool()
    min = fields.Int(attribute="min_select")
    max = fields.Int(attribute="max_select")
    options = fields.List(fields.Nested(MenuOptionSchema))


class MenuItemSchema(Schema):
    id = fields.Int()
    name = fields.Str()
    description = fields.Str()
    price = fields.Int()
    station = fields.Str()
    sold_out = fields.Bool()
    stock = fields.Int(allow_none=True)
    available_from = fields.Str(allow_none=True, metadata={"description": "HH:MM store time; null: all day"})
    available_until = fields.Str(allow_none=True)
    option_groups = fields.List(fields.Nested(MenuGroupSchema))
    photo_url = fields.Function(lambda i: photo_url(i), allow_none=True,
                                metadata={"description": "path of the dish photo (JPEG), or null"})
    photo_srcset = fields.Function(lambda i: photo_srcset(i), allow_none=True,
                                   metadata={"description": "square thumbnails of the photo as an HTML srcset "
                                                            "(76, 152 and 228 px wide), or null"})


class MenuCategorySchema(Schema):
    id = fields.Int()
    name = fields.Str()
    items = fields.List(fields.Nested(MenuItemSchema))


class MenuResponse(Schema):
    categories = fields.List(fields.Nested(MenuCategorySchema))


def table_answer(found: Any) -> dict[str, Any]:
    """``GET /tables/{qr_token}``'s answer for a resolved table (the diner page embeds it too)."""
    data: dict[str, Any] = TableLookupResponse().dump(
        {"store": found.store, "table": found.table, "session": found.check})
    return data


def menu_answer(store_id: int) -> dict[str, Any]:
    """``GET /stores/{id}/menu``'s answer, cached per menu version with live stock and sold-out."""
    return menu.menu_payload(store_id, lambda cats: MenuResponse().dump(
        {"categories": [{"id": c.id, "name": c.name, "items": items} for c, items in cats]}))


class CancelLineRequest(RequestSchema):
    reason = fields.Str(load_default="", validate=validate.Length(max=200))


class MyDataResponse(Schema):
    diner = fields.Dict()
    orders = fields.List(fields.Dict())
