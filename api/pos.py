"""The cashier's phone: ring up (tables and takeaway), items by code, the check, splits,
discounts, moving tables and shifts. Thin: schema in, one service call, schema out."""
from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from api.auth import current_staff, permission_required
from domain.checkout import DiscountAsk
from domain.errors import ValidationFailed
from domain.pricing import LineRequest
from schema.orders import OrderEnvelopeSchema
from schema.pos import (
    DiscountRequest,
    MoveRequest,
    PosItemEnvelope,
    PosMenuResponse,
    PosOrderRequest,
    ShiftCloseRequest,
    ShiftEnvelope,
    ShiftOpenRequest,
    SplitQuery,
    SplitResponse,
    StaffTableSessionEnvelope,
    TakeawaysEnvelope,
)
from services import admin, checks, menu, pos, shifts
from services.staff import StaffPrincipal

blp = Blueprint("pos", __name__, url_prefix="/api/v1", description="The cashier's phone (POS)")
SECURED = {"security": [{"bearer": []}]}


def _who() -> StaffPrincipal:
    who = current_staff()
    assert who is not None
    return who




@blp.post("/pos/orders")
@permission_required("orders.take")
@blp.arguments(PosOrderRequest())
@blp.response(201, OrderEnvelopeSchema)
@blp.doc(**SECURED)
def ring_up(body: dict[str, Any]) -> Any:
    """A staff round for a table, or a walk-in takeaway (its own check and a pickup number);
    the same client_key again answers 200 with the first order."""
    who = _who()
    lines = [LineRequest(item_id=ln["item_id"], qty=ln["qty"], option_ids=tuple(ln["option_ids"]),
                         note=ln["note"].strip()) for ln in body["items"]]
    order, created = pos.place_staff_order(who.store_id, who.id, body["client_key"], lines, body["remark"].strip(),
                                           table_id=body["table_id"])
    return {"order": order}, 201 if created else 200


@blp.get("/pos/menu")
@permission_required("orders.take")
@blp.response(200, PosMenuResponse)
@blp.doc(**SECURED)
def pos_menu() -> dict[str, Any]:
    """The menu to ring up from, with each item's code: the phone keeps it for scanning offline."""
    store_id = _who().store_id
    store = admin.get_store(store_id)
    return {"store": {"id": store.id, "name": store.name, "pay_mode": store.pay_mode},
            "categories": [{"id": c.id, "name": c.name, "items": items} for c, items in menu.store_menu(store_id)]}


@blp.get("/pos/items/by-code/<path:code>")
@permission_required("orders.take")
@blp.response(200, PosItemEnvelope)
@blp.doc(**SECURED)
def item_by_code(code: str) -> dict[str, Any]:
    """The dish or shelf good whose printed barcode / QR text is ``code``; unknown: 404."""
    if len(code) > 64:
        raise ValidationFailed("a code is at most 64 characters", {"code": ["too long"]})
    return {"item": pos.item_by_code(_who().store_id, code)}


@blp.get("/pos/takeaways")
@permission_required("orders.take")
@blp.response(200, TakeawaysEnvelope)
@blp.doc(**SECURED)
def takeaways() -> dict[str, Any]:
    """Open walk-in checks, oldest first, with their pickup numbers."""
    return {"sessions": [checks.StaffCheck(c, []) for c in pos.open_takeaways(_who().store_id)]}


@blp.get("/table-sessions/<int:session_id>/split")
@permission_required("payments.take")
@blp.arguments(SplitQuery(), location="query")
@blp.response(200, SplitResponse)
@blp.doc(**SECURED)
def split(query: dict[str, Any], session_id: int) -> dict[str, Any]:
    """What is due now in ``ways`` equal shares (fen) that add up exactly; the first shares carry the odd fen."""
    due, shares = checks.split(_who().store_id, session_id, query["ways"])
    return {"due": due, "shares": shares}


@blp.post("/table-sessions/<int:session_id>/discounts")
@permission_required("discounts.give")
@blp.arguments(DiscountRequest())
@blp.response(201, StaffTableSessionEnvelope)
@blp.doc(**SECURED)
def discount(body: dict[str, Any], session_id: int) -> Any:
    """A discount on the check (or one line) with a reason: percent (``value`` 10 = 10 %, two decimals)
    or amount (fen). Beyond the role's limit: 403, or give a manager's sign-in as ``approver``."""
    who = _who()
    value = body["value"]
    if body["kind"] == "percent":
        bp = round(value * 100)
    elif float(value).is_integer():
        bp = int(value)
    else:
        raise ValidationFailed("an amount is whole fen", {"value": ["integer fen"]})
    approver = body["approver"]
    check = checks.give_discount(who.store_id, who, session_id, body["client_key"], DiscountAsk(body["kind"], bp),
                                 body["reason"].strip(), body["order_item_id"],
                                 checks.Approver(approver["username"], approver["password"]) if approver else None)
    return {"session": checks.staff_check(who.store_id, check.id)}, 201


@blp.post("/table-sessions/<int:session_id>/move")
@permission_required("checks.move")
@blp.arguments(MoveRequest())
@blp.response(200, StaffTableSessionEnvelope)
@blp.doc(**SECURED)
def move(body: dict[str, Any], session_id: int) -> dict[str, Any]:
    """Move the check to a free table, or merge it into the open check of an occupied one."""
    who = _who()
    check = checks.move_check(who.store_id, who.id, session_id, body["to_table_id"])
    return {"session": checks.staff_check(who.store_id, check.id)}


@blp.post("/shifts")
@permission_required("shifts.run")
@blp.arguments(ShiftOpenRequest())
@blp.response(201, ShiftEnvelope)
@blp.doc(**SECURED)
def open_shift(body: dict[str, Any]) -> Any:
    """Open your shift with the float in the drawer; one open shift per cashier (409 otherwise)."""
    who = _who()
    shift, created = shifts.open_shift(who.store_id, who.id, body["opening_cash"], body["client_key"])
    return {"shift": shifts.get_shift(who, shift.id)}, 201 if created else 200


@blp.get("/shifts/current")
@permission_required("shifts.run")
@blp.response(200, ShiftEnvelope)
@blp.doc(**SECURED)
def current_shift() -> dict[str, Any]:
    """Your open shift with its X report; ``shift`` is null when none is open."""
    who = _who()
    shift = shifts.current_shift(who.store_id, who.id)
    return {"shift": None if shift is None else shifts.get_shift(who, shift.id)}


@blp.get("/shifts/<int:shift_id>")
@permission_required("shifts.run")
@blp.response(200, ShiftEnvelope)
@blp.doc(**SECURED)
def get_shift(shift_id: int) -> dict[str, Any]:
    """X report while open, the Z report once closed."""
    return {"shift": shifts.get_shift(_who(), shift_id)}


@blp.post("/shifts/<int:shift_id>/close")
@permission_required("shifts.run")
@blp.arguments(ShiftCloseRequest())
@blp.response(200, ShiftEnvelope)
@blp.doc(**SECURED)
def close_shift(body: dict[str, Any], shift_id: int) -> dict[str, Any]:
    """Close with the counted cash; a difference from the expected cash needs a note (422 without)."""
    return {"shift": shifts.close_shift(_who(), shift_id, body["counted_cash"], body["note"])}
