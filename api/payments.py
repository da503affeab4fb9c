"""Payments: diners start WeChat Pay, cashiers record cash, WeChat Pay notifies us."""
from __future__ import annotations

import logging
from typing import Any

from flask import Response, jsonify, request
from flask_smorest import Blueprint

from api.auth import current_diner, current_staff, diner_required, permission_required
from api.guards import raw_body
from schema.payments import (
    AnomaliesEnvelope,
    NotifyFailSchema,
    OfflinePaymentRequest,
    PaymentEnvelope,
    PaymentRequest,
    RefundEnvelope,
    RefundRequest,
    StartedSchema,
)
from services import payments, refunds

log = logging.getLogger(__name__)
blp = Blueprint("payments", __name__, url_prefix="/api/v1", description="Payments and WeChat Pay notifies")


def _start(body: dict[str, Any], **target: int) -> tuple[dict[str, Any], int]:
    diner_id = current_diner()
    assert diner_id is not None
    started = payments.start_wechat_payment(diner_id, body["client_key"], coupon_id=body["coupon_id"], **target)
    return {"payment": started.payment, "request_payment": started.request_payment}, 201


@blp.post("/orders/<int:order_id>/payments")
@diner_required
@blp.arguments(PaymentRequest())
@blp.response(201, StartedSchema)
@blp.doc(security=[{"bearer": []}])
def pay_order(body: dict[str, Any], order_id: int) -> Any:
    """Pay first: pay this order with WeChat Pay; it reaches the kitchen once paid."""
    return _start(body, order_id=order_id)


@blp.post("/table-sessions/<int:session_id>/payments")
@diner_required
@blp.arguments(PaymentRequest())
@blp.response(201, StartedSchema)
@blp.doc(security=[{"bearer": []}])
def pay_check(body: dict[str, Any], session_id: int) -> Any:
    """Pay later: pay what is due on the table's check with WeChat Pay."""
    return _start(body, table_session_id=session_id)


@blp.post("/table-sessions/<int:session_id>/payments/offline")
@permission_required("payments.take")
@blp.arguments(OfflinePaymentRequest())
@blp.response(201, PaymentEnvelope)
@blp.doc(security=[{"bearer": []}])
def pay_offline(body: dict[str, Any], session_id: int) -> Any:
    """A cashier records cash (or another way of paying) for a check."""
    who = current_staff()
    assert who is not None
    payment = payments.record_offline_payment(who.store_id, who.id, session_id, body["client_key"], body["channel"],
                                              body["amount"], body["tendered"], body["order_item_ids"])
    return {"payment": payment}, 201


@blp.post("/payments/<int:payment_id>/cancel")
@permission_required("payments.take")
@blp.response(200, PaymentEnvelope)
@blp.doc(security=[{"bearer": []}])
def cancel_payment(payment_id: int) -> Any:
    """Stop a diner's WeChat payment still in flight (closed at WeChat first), so the check can
    be paid another way. 409 when it is paid, or the diner had just paid it."""
    who = current_staff()
    assert who is not None
    return {"payment": payments.cancel_wechat_payment(who.store_id, who.id, payment_id)}


@blp.get("/payments/anomalies")
@permission_required("payments.refund")
@blp.response(200, AnomaliesEnvelope)
@blp.doc(security=[{"bearer": []}])
def anomalies() -> Any:
    """Money that moved other than as we asked, newest first: genuine notifies we could not
    match, and credits beyond what a check owed (refunded automatically)."""
    who = current_staff()
    assert who is not None
    return {"anomalies": refunds.list_anomalies(who.store_id)}


@blp.post("/payments/<int:payment_id>/refunds")
@permission_required("payments.refund")
@blp.arguments(RefundRequest())
@blp.response(201, RefundEnvelope)
@blp.doc(security=[{"bearer": []}])
def refund(body: dict[str, Any], payment_id: int) -> Any:
    """Refund a paid payment, fully or in part; never more than was paid."""
    who = current_staff()
    assert who is not None
    return {"refund": payments.refund_payment(who.store_id, who.id, payment_id, body["amount"], body["reason"],
                                              body["client_key"])}, 201


NOTIFY_FAIL = "not verified (signature, serial, timestamp or resource): WeChat retries"


@blp.post("/wechat/refund/notify")
@blp.doc(description="WeChat Pay v3 refund notify")
@blp.response(204, description="handled (also when already handled before)")
@blp.alt_response(401, schema=NotifyFailSchema, description=NOTIFY_FAIL)
@raw_body
def refund_notify() -> Any:
    try:
        payments.handle_refund_notify(request.headers, request.get_data(as_text=True))
    except payments.NotifyRejected as exc:
        log.warning("refund notify rejected: %s", exc)
        return jsonify({"code": "FAIL", "message": "rejected"}), 401
    return Response(status=204)


@blp.post("/wechat/pay/notify")
@blp.doc(description="WeChat Pay v3 payment notify: 204 when handled; 4xx with {code: FAIL} makes WeChat retry")
@blp.response(204, description="handled (also when already handled before)")
@blp.alt_response(401, schema=NotifyFailSchema, description=NOTIFY_FAIL)
@raw_body
def pay_notify() -> Any:
    body = request.get_data(as_text=True)
    try:
        payments.handle_pay_notify(request.headers, body)  # counted by outcome in monitoring
    except payments.NotifyRejected as exc:
        log.warning("pay notify rejected: %s", exc)
        return jsonify({"code": "FAIL", "message": "rejected"}), 401
    return Response(status=204)
