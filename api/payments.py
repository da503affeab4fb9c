"""Payments: diners start WeChat Pay, cashiers record cash, WeChat Pay notifies us."""
from __future__ import annotations

import logging
from typing import Any

from flask import Response, jsonify, request
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from api.auth import current_diner, current_staff, diner_required, permission_required
from api.guards import raw_body
from schema import RequestSchema
from services import payments, refunds

log = logging.getLogger(__name__)
blp = Blueprint("payments", __name__, url_prefix="/api/v1", description="Payments and WeChat Pay notifies")


class PaymentRequest(RequestSchema):
    client_key = fields.Str(required=True, validate=validate.Length(8, 64))
    coupon_id = fields.Int(strict=True, load_default=None, allow_none=True, validate=validate.Range(1, 2**31 - 1),
                           metadata={"description": "one of the diner's claimed coupons, taken off this payment"})


class OfflinePaymentRequest(RequestSchema):
    client_key = fields.Str(required=True, validate=validate.Length(8, 64))
    channel = fields.Str(load_default="cash", validate=validate.OneOf(["cash", "other"]))
    amount = fields.Int(strict=True, load_default=None, allow_none=True, validate=validate.Range(1, 10_000_000))
    tendered = fields.Int(strict=True, load_default=None, allow_none=True, validate=validate.Range(1, 10_000_000),
                          metadata={"description": "cash handed over (fen); the answer carries the change"})
    order_item_ids = fields.List(fields.Int(strict=True, validate=validate.Range(1, 2**31 - 1)), load_default=None,
                                 allow_none=True, validate=validate.Length(1, 200),
                                 metadata={"description": "pay exactly these lines of the check (split by items)"})


class PaymentSchema(Schema):
    id = fields.Int()
    out_trade_no = fields.Str()
    amount = fields.Int()
    channel = fields.Str()
    status = fields.Str()
    tendered = fields.Int(allow_none=True)
    change = fields.Int(allow_none=True)


class RequestPaymentSchema(Schema):
    appId = fields.Str()  # noqa: N815 - wx.requestPayment's own names
    timeStamp = fields.Str()  # noqa: N815
    nonceStr = fields.Str()  # noqa: N815
    package = fields.Str()
    signType = fields.Str()  # noqa: N815
    paySign = fields.Str()  # noqa: N815


class StartedSchema(Schema):
    payment = fields.Nested(PaymentSchema)
    request_payment = fields.Nested(RequestPaymentSchema)


class PaymentEnvelope(Schema):
    payment = fields.Nested(PaymentSchema)


def _start(body: dict[str, Any], **target: int) -> tuple[dict[str, Any], int]:
    diner_id = current_diner()
    assert diner_id is not None
    started = payments.start_wechat_payment(diner_id, body["client_key"], coupon_id=body["coupon_id"], **target)
    return {"payment": started.payment, "request_payment": started.request_payment}, 201


@blp.post("/orders/<int:order_id>/payments")
@diner_required
@blp.arguments(PaymentRequest)
@blp.response(201, StartedSchema)
@blp.doc(security=[{"bearer": []}])
def pay_order(body: dict[str, Any], order_id: int) -> Any:
    """Pay first: pay this order with WeChat Pay; it reaches the kitchen once paid."""
    return _start(body, order_id=order_id)


@blp.post("/table-sessions/<int:session_id>/payments")
@diner_required
@blp.arguments(PaymentRequest)
@blp.response(201, StartedSchema)
@blp.doc(security=[{"bearer": []}])
def pay_check(body: dict[str, Any], session_id: int) -> Any:
    """Pay later: pay what is due on the table's check with WeChat Pay."""
    return _start(body, table_session_id=session_id)


@blp.post("/table-sessions/<int:session_id>/payments/offline")
@permission_required("payments.take")
@blp.arguments(OfflinePaymentRequest)
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


class AnomalySchema(Schema):
    id = fields.Int()
    out_trade_no = fields.Str()
    reason = fields.Str()
    amount = fields.Int(allow_none=True, metadata={"description": "fen taken beyond what the check owed"})
    payment_id = fields.Int(allow_none=True)
    table_session_id = fields.Int(allow_none=True)
    table_code = fields.Str(allow_none=True)
    refund_status = fields.Str(allow_none=True, metadata={"description": "the automatic refund: processing, "
                                                                         "success or failed (retried by the cron)"})
    created_at = fields.DateTime()


class AnomaliesEnvelope(Schema):
    anomalies = fields.List(fields.Nested(AnomalySchema))


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


class RefundRequest(RequestSchema):
    client_key = fields.Str(required=True, validate=validate.Length(8, 64))
    amount = fields.Int(required=True, strict=True, validate=validate.Range(1, 10_000_000))
    reason = fields.Str(load_default="", validate=validate.Length(max=80))


class RefundSchema(Schema):
    id = fields.Int()
    payment_id = fields.Int()
    out_refund_no = fields.Str()
    amount = fields.Int()
    status = fields.Str()


class RefundEnvelope(Schema):
    refund = fields.Nested(RefundSchema)


@blp.post("/payments/<int:payment_id>/refunds")
@permission_required("payments.refund")
@blp.arguments(RefundRequest)
@blp.response(201, RefundEnvelope)
@blp.doc(security=[{"bearer": []}])
def refund(body: dict[str, Any], payment_id: int) -> Any:
    """Refund a paid payment, fully or in part; never more than was paid."""
    who = current_staff()
    assert who is not None
    return {"refund": payments.refund_payment(who.store_id, who.id, payment_id, body["amount"], body["reason"],
                                              body["client_key"])}, 201


class NotifyFailSchema(Schema):
    """WeChat's own answer shape for a notify we refuse: WeChat retries it later."""

    code = fields.Str(metadata={"description": "always FAIL", "enum": ["FAIL"]})
    message = fields.Str()


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
