"""Admin request and response shapes."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from domain.choices import PAY_MODES
from domain.errors import N_
from domain.permissions import ROLES
from domain.pricing import MAX_SERVICE_CHARGE_BP
from domain.urls import photo_url
from models import utcnow
from schema import RequestSchema
from schema.diner import MenuGroupSchema, MenuOptionSchema

HHMM = validate.Regexp(r"^([01][0-9]|2[0-3]):[0-5][0-9]$", error=N_("HH:MM, 00:00 to 23:59"))


NAME = validate.Length(1, 50)
SORT = validate.Range(0, 10_000)
FEN = validate.Range(0, 10_000_000)


class StorePatch(RequestSchema):
    name = fields.Str(validate=validate.Length(1, 100))
    pay_mode = fields.Str(validate=validate.OneOf(PAY_MODES))
    kds_warn_minutes = fields.Int(strict=True, validate=validate.Range(1, 240))
    kds_late_minutes = fields.Int(strict=True, validate=validate.Range(1, 480))
    cashier_discount_bp = fields.Int(strict=True, validate=validate.Range(0, 10_000),
                                     metadata={"description": "largest discount a cashier gives, bp of a check"})
    manager_discount_bp = fields.Int(strict=True, validate=validate.Range(0, 10_000),
                                     metadata={"description": "largest discount a manager gives (owners: any)"})
    opens_at = fields.Str(allow_none=True, validate=HHMM, metadata={"description": "HH:MM store time; null: always"})
    closes_at = fields.Str(allow_none=True, validate=HHMM)
    service_charge_bp = fields.Int(strict=True, validate=validate.Range(0, MAX_SERVICE_CHARGE_BP),
                                   metadata={"description": "basis points of each order's subtotal; 1000 = 10%"})
    max_portions_round = fields.Int(strict=True, validate=validate.Range(1, 2000),
                                    metadata={"description": "most portions in one round (order); beyond: 422"})
    max_portions_check = fields.Int(strict=True, validate=validate.Range(1, 10_000),
                                    metadata={"description": "most portions on one check; beyond: 422"})
    ask_headcount = fields.Bool(metadata={"description": "ask diners how many they are (用餐人数), once per check; "
                                                         "the daily report's covers add them up"})


class StoreSchema(Schema):
    id = fields.Int()
    slug = fields.Str()
    name = fields.Str()
    pay_mode = fields.Str()
    currency = fields.Str()
    timezone = fields.Str()
    kds_warn_minutes = fields.Int()
    kds_late_minutes = fields.Int()
    opens_at = fields.Str(allow_none=True)
    closes_at = fields.Str(allow_none=True)
    service_charge_bp = fields.Int()
    cashier_discount_bp = fields.Int()
    manager_discount_bp = fields.Int()
    max_portions_round = fields.Int()
    max_portions_check = fields.Int()
    ask_headcount = fields.Bool()


class StoreEnvelope(Schema):
    store = fields.Nested(StoreSchema)


class ItemPatch(RequestSchema):
    price = fields.Int(strict=True, validate=FEN)
    stock = fields.Int(strict=True, allow_none=True, validate=validate.Range(0, 1_000_000))
    sold_out = fields.Bool()
    name = fields.Str(validate=validate.Length(1, 80))
    station = fields.Str(validate=validate.Length(1, 20))
    available_from = fields.Str(allow_none=True, validate=HHMM)
    available_until = fields.Str(allow_none=True, validate=HHMM)
    description = fields.Str(validate=validate.Length(max=500))
    category_id = fields.Int(strict=True, validate=validate.Range(1, 2**31 - 1))
    active = fields.Bool(metadata={"description": "false: off the menu (dishes are never deleted)"})
    sort = fields.Int(strict=True, validate=SORT)
    code = fields.Str(allow_none=True, validate=validate.Length(1, 64),
                      metadata={"description": "barcode / QR text on the dish or shelf (EAN-13 or any text); "
                                               "unique in the store; null removes it"})


class OptionCreate(RequestSchema):
    name = fields.Str(required=True, validate=NAME)
    price_delta = fields.Int(strict=True, load_default=0, validate=validate.Range(-1_000_000, 1_000_000))
    sort = fields.Int(strict=True, validate=SORT)


class OptionPatch(RequestSchema):
    name = fields.Str(validate=NAME)
    price_delta = fields.Int(strict=True, validate=validate.Range(-1_000_000, 1_000_000))
    sort = fields.Int(strict=True, validate=SORT)


class GroupPatch(RequestSchema):
    name = fields.Str(validate=NAME)
    min = fields.Int(strict=True, validate=validate.Range(0, 20))
    max = fields.Int(strict=True, validate=validate.Range(1, 20))
    sort = fields.Int(strict=True, validate=SORT)


class GroupCreate(GroupPatch):
    name = fields.Str(required=True, validate=NAME)
    min = fields.Int(strict=True, load_default=0, validate=validate.Range(0, 20))
    max = fields.Int(strict=True, load_default=1, validate=validate.Range(1, 20))
    options = fields.List(fields.Nested(OptionCreate), load_default=list, validate=validate.Length(max=30))


class ItemCreate(ItemPatch):
    category_id = fields.Int(required=True, strict=True, validate=validate.Range(1, 2**31 - 1))
    name = fields.Str(required=True, validate=validate.Length(1, 80))
    price = fields.Int(required=True, strict=True, validate=FEN)
    station = fields.Str(required=True, validate=validate.Length(1, 20))


class AdminOptionSchema(MenuOptionSchema):
    sort = fields.Int()


class AdminGroupSchema(MenuGroupSchema):
    """What diners see of a group, plus what the console orders and files it by."""

    item_id = fields.Int()
    sort = fields.Int()
    options = fields.List(fields.Nested(AdminOptionSchema))


class AdminItemSchema(Schema):
    id = fields.Int()
    code = fields.Str(allow_none=True)
    category_id = fields.Int()
    name = fields.Str()
    description = fields.Str()
    price = fields.Int()
    station = fields.Str()
    stock = fields.Int(allow_none=True)
    sold_out = fields.Bool()
    active = fields.Bool()
    sort = fields.Int()
    available_from = fields.Str(allow_none=True)
    available_until = fields.Str(allow_none=True)
    photo_url = fields.Function(lambda i: photo_url(i), allow_none=True)
    option_groups = fields.List(fields.Nested(AdminGroupSchema))


class ItemEnvelope(Schema):
    item = fields.Nested(AdminItemSchema)


class GroupEnvelope(Schema):
    group = fields.Nested(AdminGroupSchema)


class OptionEnvelope(Schema):
    option = fields.Nested(AdminOptionSchema)


class NamedPatch(RequestSchema):
    """Rename or reorder something that has just a name and a place in a list (a category, an area)."""

    name = fields.Str(validate=NAME)
    sort = fields.Int(strict=True, validate=SORT)


class NamedCreate(NamedPatch):
    name = fields.Str(required=True, validate=NAME)


class NamedSchema(Schema):
    id = fields.Int()
    name = fields.Str()
    sort = fields.Int()


class AdminCategorySchema(NamedSchema):
    items = fields.List(fields.Nested(AdminItemSchema))


class CategoryEnvelope(Schema):
    category = fields.Nested(NamedSchema)


class AdminMenuResponse(Schema):
    categories = fields.List(fields.Nested(AdminCategorySchema))


class AreaEnvelope(Schema):
    area = fields.Nested(NamedSchema)


class AreasEnvelope(Schema):
    areas = fields.List(fields.Nested(NamedSchema))


TABLE_CODE = validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,19}$", error=N_("1-20 letters, digits, _ or -"))


class TablePatch(RequestSchema):
    code = fields.Str(validate=TABLE_CODE)
    area_id = fields.Int(strict=True, allow_none=True, validate=validate.Range(1, 2**31 - 1))
    seats = fields.Int(strict=True, validate=validate.Range(1, 99))
    active = fields.Bool()


class TableCreate(TablePatch):
    code = fields.Str(required=True, validate=TABLE_CODE)


class AdminTableSchema(Schema):
    id = fields.Int()
    code = fields.Str()
    area = fields.Str(allow_none=True)
    area_id = fields.Int(allow_none=True)
    seats = fields.Int()
    active = fields.Bool()
    qr_url = fields.Str()


class AdminTablesResponse(Schema):
    tables = fields.List(fields.Nested(AdminTableSchema))


class TableEnvelope(Schema):
    table = fields.Nested(AdminTableSchema)


class StationSchema(Schema):
    id = fields.Int()
    code = fields.Str()
    name = fields.Str()
    sort = fields.Int()


class StationCreate(RequestSchema):
    code = fields.Str(required=True, validate=validate.Regexp(r"^[a-z0-9_-]{1,20}$", error=N_("1-20 of a-z 0-9 _ -")))
    name = fields.Str(required=True, validate=validate.Length(1, 50))
    sort = fields.Int(strict=True, load_default=0, validate=validate.Range(0, 1000))


class StationPatch(RequestSchema):
    name = fields.Str(validate=validate.Length(1, 50))
    sort = fields.Int(strict=True, validate=validate.Range(0, 1000))


class StationEnvelope(Schema):
    station = fields.Nested(StationSchema)


class StationsEnvelope(Schema):
    stations = fields.List(fields.Nested(StationSchema))


USERNAME_PATTERN = r"[A-Za-z0-9_.-]{2,40}"  # also checked by the create-store command
USERNAME = validate.Regexp(f"^{USERNAME_PATTERN}$", error=N_("2-40 letters, digits, _ . or -"))
ROLE = validate.OneOf(ROLES)


class StaffCreate(RequestSchema):
    username = fields.Str(required=True, validate=USERNAME)
    name = fields.Str(required=True, validate=NAME)
    role = fields.Str(required=True, validate=ROLE)
    password = fields.Str(required=True, load_only=True, validate=validate.Length(1, 200))


class StaffPatch(RequestSchema):
    name = fields.Str(validate=NAME)
    role = fields.Str(validate=ROLE)
    active = fields.Bool(metadata={"description": "false ends every session of this person at once"})


class PasswordReset(RequestSchema):
    password = fields.Str(required=True, load_only=True, validate=validate.Length(1, 200))


class AdminStaffSchema(Schema):
    id = fields.Int()
    username = fields.Str()
    name = fields.Str()
    role = fields.Str()
    active = fields.Bool()
    locked = fields.Function(lambda s: bool(s.locked_until and s.locked_until > utcnow()))
    created_at = fields.DateTime()


class StaffEnvelope(Schema):
    staff = fields.Nested(AdminStaffSchema)


class StaffListEnvelope(Schema):
    staff = fields.List(fields.Nested(AdminStaffSchema))
