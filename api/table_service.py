"""At the table: the shared cart, submitting it as a round, and calls for the waiter or the bill."""
from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from api.auth import current_diner, current_staff, diner_required, permission_required
from api.limits import diner_or_ip, limiter, table_key
from schema.table_service import (
    CallEnvelope,
    CallRequest,
    CallsEnvelope,
    CartAddRequest,
    CartEnvelope,
    CartQtyRequest,
    CartSubmitRequest,
    HeadcountEnvelope,
    HeadcountRequest,
    OrderEnvelopeSchema,
)
from services import calls, cart, orders, seating

blp = Blueprint("table_service", __name__, url_prefix="/api/v1", description="Shared cart and waiter calls")
CART_LIMIT = "120/minute"


def _cart(view: cart.CartView) -> dict[str, Any]:
    return {"cart": view.message()["cart"] | {"me": view.me}}


@blp.get("/tables/<string:qr_token>/cart")
@diner_required
@blp.response(200, CartEnvelope)
@blp.doc(security=[{"bearer": []}])
def get_cart(qr_token: str) -> dict[str, Any]:
    return _cart(cart.get_cart(qr_token, current_diner()))


@blp.post("/tables/<string:qr_token>/cart/lines")
@diner_required
@limiter.limit(CART_LIMIT, key_func=diner_or_ip)
@blp.arguments(CartAddRequest())
@blp.response(200, CartEnvelope)
@blp.doc(security=[{"bearer": []}])
def add_line(body: dict[str, Any], qr_token: str) -> dict[str, Any]:
    diner_id = current_diner()
    assert diner_id is not None
    return _cart(cart.add_line(qr_token, diner_id, body["item_id"], body["qty"], body["option_ids"],
                               body["note"].strip()))


@blp.route("/tables/<string:qr_token>/cart/lines/<int:line_id>", methods=["PATCH", "POST"])
@diner_required
@limiter.limit(CART_LIMIT, key_func=diner_or_ip)
@blp.arguments(CartQtyRequest())
@blp.response(200, CartEnvelope)
@blp.doc(security=[{"bearer": []}])
def set_quantity(body: dict[str, Any], qr_token: str, line_id: int) -> dict[str, Any]:
    """Set a line's quantity (0 removes it). POST does the same as PATCH: WeChat mini-programs'
    ``wx.request`` cannot send PATCH."""
    diner_id = current_diner()
    assert diner_id is not None
    return _cart(cart.set_quantity(qr_token, diner_id, line_id, body["qty"], body["version"]))


@blp.post("/tables/<string:qr_token>/cart/submit")
@diner_required
@limiter.limit("20/minute", key_func=diner_or_ip)
@limiter.limit("60/minute", key_func=table_key)
@blp.arguments(CartSubmitRequest())
@blp.response(201, OrderEnvelopeSchema)
@blp.alt_response(200, schema=OrderEnvelopeSchema, success=True,
                  description="The same client_key again: the order it placed the first time, unchanged")
@blp.doc(security=[{"bearer": []}])
def submit_cart(body: dict[str, Any], qr_token: str) -> Any:
    """Order everything in the table's cart as one round and empty the cart (idempotent on client_key)."""
    order, created = orders.place_order(orders.Orderer(diner_id=current_diner()), qr_token, body["client_key"],
                                        None, body["remark"].strip())
    return {"order": order}, 201 if created else 200


@blp.put("/tables/<string:qr_token>/headcount")
@diner_required
@limiter.limit("20/minute", key_func=diner_or_ip)
@blp.arguments(HeadcountRequest())
@blp.response(200, HeadcountEnvelope)
@blp.doc(security=[{"bearer": []}])
def set_headcount(body: dict[str, Any], qr_token: str) -> dict[str, Any]:
    """How many sit at the table (用餐人数), asked once per check when the store takes a headcount;
    opens the check if nobody ordered yet. 409 ``invalid_state`` when the store takes none."""
    diner_id = current_diner()
    assert diner_id is not None
    check = seating.set_headcount(qr_token, diner_id, body["headcount"])
    return {"session": {"id": check.id, "headcount": check.headcount}}


@blp.post("/tables/<string:qr_token>/calls")
@diner_required
@limiter.limit("10/minute", key_func=diner_or_ip)
@blp.arguments(CallRequest())
@blp.response(201, CallEnvelope)
@blp.alt_response(200, schema=CallEnvelope, success=True,
                  description="Pressed again while the call is open: that same call")
@blp.doc(security=[{"bearer": []}])
def call_staff(body: dict[str, Any], qr_token: str) -> Any:
    """Call the waiter (or ask for the bill), with a reason if any: water, tableware, or hurry for a
    late round. Pressing again while the call is open changes nothing."""
    call, code, created = calls.call_staff(qr_token, body["kind"], body["reason"], body["order_id"])
    return {"call": calls.call_view(call, code)}, 201 if created else 200


@blp.get("/calls")
@permission_required("calls.handle")
@blp.response(200, CallsEnvelope)
@blp.doc(security=[{"bearer": []}])
def open_calls() -> dict[str, Any]:
    who = current_staff()
    assert who is not None
    return {"calls": [calls.call_view(c, code) for c, code in calls.open_calls(who.store_id)]}


@blp.post("/calls/<int:call_id>/done")
@permission_required("calls.handle")
@blp.response(200, CallEnvelope)
@blp.doc(security=[{"bearer": []}])
def finish_call(call_id: int) -> dict[str, Any]:
    who = current_staff()
    assert who is not None
    call, code = calls.finish_call(who.store_id, call_id, who.id)
    return {"call": calls.call_view(call, code)}
