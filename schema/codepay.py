"""Payment codes (付款码): the cashier charges a diner's scanned WeChat or Alipay code."""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate

from domain.codepay import channel_of
from schema import RequestSchema

ID = validate.Range(1, 2**31 - 1)
CODE_PATTERN = r"^(1[0-5]\d{16}|(2[5-9]|30)\d{14,22})$"


def _payment_code(value: str) -> None:
    if channel_of(value) is None:
        raise ValidationError("not a payment code: WeChat's are 18 digits starting 10-15, Alipay's 16-24 digits "
                              "starting 25-30")


class CodePaymentRequest(RequestSchema):
    client_key = fields.Str(required=True, validate=validate.Length(8, 64))
    auth_code = fields.Str(required=True, validate=[validate.Length(1, 32), _payment_code],
                           metadata={"description": "the payment code scanned from the diner's WeChat or Alipay",
                                     "pattern": CODE_PATTERN})
    amount = fields.Int(strict=True, load_default=None, allow_none=True, validate=validate.Range(1, 10_000_000),
                        metadata={"description": "fen; all that is due when absent"})
    order_item_ids = fields.List(fields.Int(strict=True, validate=ID), load_default=None, allow_none=True,
                                 validate=validate.Length(1, 200),
                                 metadata={"description": "pay exactly these lines of the check (split by items)"})


class CodePaymentSchema(Schema):
    id = fields.Int(required=True)
    channel = fields.Str(required=True, metadata={"enum": ["wechat_code", "alipay_code"]})
    amount = fields.Int(required=True)
    status = fields.Str(required=True, metadata={
        "enum": ["paid", "paying", "failed"],
        "description": "paying: the payer is confirming on the phone (follow with GET /api/v1/payments/{id}); "
                       "failed: no money kept (refused, or not paid in time and reversed)"})
    out_trade_no = fields.Str()
    failure = fields.Str(allow_none=True, metadata={
        "description": "the provider's code when failed (e.g. TRADE_ERROR: code used or expired; TIMEOUT: "
                       "not paid within 60 s, reversed)"})


class CodePaymentEnvelope(Schema):
    payment = fields.Nested(CodePaymentSchema, required=True)


class FollowedPaymentSchema(Schema):
    id = fields.Int(required=True)
    channel = fields.Str(required=True)
    amount = fields.Int(required=True)
    status = fields.Str(required=True, metadata={
        "description": "payment codes: paying, paid or failed; WeChat JSAPI: created, paying, paid or closed; "
                       "cash and other: paid"})
    out_trade_no = fields.Str()
    failure = fields.Str(allow_none=True)
    reversal = fields.Str(allow_none=True, metadata={
        "description": "payment codes given up: pending (being reversed), done, refused, or refunded (the "
                       "provider took the money all the same: given back)"})
    table_session_id = fields.Int()
    tendered = fields.Int(allow_none=True)
    change = fields.Int(allow_none=True)


class FollowedPaymentEnvelope(Schema):
    payment = fields.Nested(FollowedPaymentSchema, required=True)
