"""Diner routes: login, table by QR token, menu, orders, checks."""
from __future__ import annotations

from typing import Any

from flask import Response, jsonify
from flask_smorest import Blueprint

from api.auth import (
    current_diner,
    current_staff,
    diner_required,
    diner_signed,
    permission_required,
    require_staff,
    signed_diner,
)
from api.limits import diner_or_ip, limiter, table_key
from api.prepared import prepare, respond
from domain.errors import NotFound, Unauthorized
from domain.pricing import LineRequest
from schema.diner import (
    CancelLineRequest,
    DinerLoginRequest,
    DinerLoginResponse,
    MenuResponse,
    MyDataResponse,
    TableLookupResponse,
    dump_menu,
    table_answer,
)
from schema.orders import OrderCreateRequest, OrderEnvelopeSchema, TableSessionEnvelopeSchema
from schema.pos import StaffTableSessionEnvelope
from services import diners, menu, orders, tables
from services.context import setting
from services.views import order_view

blp = Blueprint("diner", __name__, url_prefix="/api/v1", description="Diners: login, menu, orders")


@blp.post("/diner/login")
@limiter.limit("300/minute")  # per address: a whole restaurant may share one Wi-Fi
@blp.arguments(DinerLoginRequest())
@blp.response(200, DinerLoginResponse)
def diner_login(body: dict[str, Any]) -> dict[str, Any]:
    token, diner = diners.login(body["code"])
    return {"token": token, "expires_in": setting("DINER_TOKEN_TTL"), "diner": {"id": diner.id}}


@blp.get("/tables/<string:qr_token>")
@blp.response(200, TableLookupResponse)
def table_lookup(qr_token: str) -> dict[str, Any]:
    return table_answer(tables.resolve(qr_token))


@blp.get("/stores/<int:store_id>/menu")
@blp.response(200, MenuResponse)
def store_menu(store_id: int) -> Response:
    """The menu a diner orders from; cached per menu version, with live stock and sold-out."""
    # already in the response's shape, encoded and compressed once per version: not dumped again
    return respond(menu.menu_answer(store_id, dump_menu, prepare))


@blp.post("/orders")
@diner_signed
@limiter.limit("30/minute", key_func=diner_or_ip)
@limiter.limit("120/minute", key_func=table_key)
@blp.arguments(OrderCreateRequest())
@blp.response(201, OrderEnvelopeSchema)
@blp.alt_response(200, schema=OrderEnvelopeSchema, success=True,
                  description="The same client_key again: the order it placed the first time, unchanged")
@blp.doc(security=[{"bearer": []}])
def create_order(body: dict[str, Any]) -> Any:
    lines = [LineRequest(item_id=ln["item_id"], qty=ln["qty"], option_ids=tuple(ln["option_ids"]),
                         note=ln["note"].strip()) for ln in body["items"]]
    diner_id = signed_diner()  # place_order checks that the diner still exists, in its transaction
    order, created = orders.place_order(orders.Orderer(diner_id=diner_id), body["table_token"],
                                        body["client_key"], lines, body["remark"].strip())
    # the same view the table's phones get (OrderSchema's fields): not walked by the schema again
    return jsonify({"order": order_view(order)}), 201 if created else 200


def _may_see_session(table_session_id: int, store_id: int) -> bool:
    who = current_staff()
    if who is not None:
        return who.store_id == store_id
    diner_id = current_diner()
    return diner_id is not None and orders.diner_in_check(diner_id, table_session_id)


@blp.get("/orders/<int:order_id>")
@blp.response(200, OrderEnvelopeSchema)
@blp.doc(security=[{"bearer": []}])
def get_order(order_id: int) -> dict[str, Any]:
    order = orders.get_order(order_id)
    if not _may_see_session(order.table_session_id, order.store_id):
        raise NotFound("no such order")  # not 403: do not confirm that the id exists
    return {"order": order}


@blp.get("/table-sessions/<int:session_id>")
@blp.response(200, StaffTableSessionEnvelope, description="The check; its discounts, payments and times for staff only")
@blp.doc(security=[{"bearer": []}])
def get_table_session(session_id: int) -> Any:
    """The check; staff also get its discounts and payments (``StaffTableSessionEnvelope``)."""
    who = current_staff()
    if who is not None:
        from services import checks

        return jsonify(StaffTableSessionEnvelope().dump({"session": checks.staff_check(who.store_id, session_id)}))
    check = orders.get_check(session_id)
    if not _may_see_session(check.id, check.store_id):
        raise NotFound("no such check")
    return {"session": check}


@blp.post("/orders/<int:order_id>/items/<int:line_id>/cancel")
@blp.arguments(CancelLineRequest())
@blp.response(200, OrderEnvelopeSchema)
@blp.doc(security=[{"bearer": []}])
def cancel_line(body: dict[str, Any], order_id: int, line_id: int) -> dict[str, Any]:
    """A diner takes back a dish the kitchen has not started; staff void any line, with a reason."""
    who = current_staff()
    if who is not None:
        require_staff("orders.void")
        orderer = orders.Orderer(staff_id=who.id, staff_store_id=who.store_id)
    elif current_diner() is not None:
        orderer = orders.Orderer(diner_id=current_diner())
    else:
        raise Unauthorized("login required")
    return {"order": orders.cancel_line(orderer, order_id, line_id, body["reason"])}


@blp.post("/table-sessions/<int:session_id>/close")
@permission_required("checks.close")
@blp.response(200, TableSessionEnvelopeSchema)
@blp.doc(security=[{"bearer": []}])
def close_table_session(session_id: int) -> dict[str, Any]:
    """Clear the table: the check closes when nothing is due."""
    who = current_staff()
    assert who is not None
    return {"session": orders.close_check(who.store_id, session_id, who.id)}


@blp.get("/diner/me/data")
@diner_required
@blp.response(200, MyDataResponse)
@blp.doc(security=[{"bearer": []}])
def my_data() -> dict[str, Any]:
    """Everything we keep about you: when you first and last came, and what you ordered."""
    diner_id = current_diner()
    assert diner_id is not None
    return _jsonable(diners.my_data(diner_id))  # times as ISO 8601, like every other answer


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value.isoformat() if hasattr(value, "isoformat") else value


@blp.delete("/diner/me")
@diner_required
@blp.response(204)
@blp.doc(security=[{"bearer": []}])
def forget_me() -> None:
    """Delete what we keep about you; your past orders stay, pointing at no one."""
    diner_id = current_diner()
    assert diner_id is not None
    diners.forget(diner_id)
