"""Payments: diners' WeChat payments, cashiers' cash, refunds, anomalies and WeChat's notify answer."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from schema import RequestSchema


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


class NotifyFailSchema(Schema):
    """WeChat's own answer shape for a notify we refuse: WeChat retries it later."""

    code = fields.Str(metadata={"description": "always FAIL", "enum": ["FAIL"]})
    message = fields.Str()
