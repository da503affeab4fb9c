"""Payment codes (付款码): the cashier charges a diner's scanned WeChat or Alipay code, and any
payment can be followed until it settles. Thin: schema in, one service call, schema out."""
from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from flask_smorest import Blueprint

from api.auth import current_staff, permission_required
from api.errors import ErrorSchema
from models import utcnow
from schema.codepay import CodePaymentEnvelope, CodePaymentRequest, FollowedPaymentEnvelope
from services import codepay

blp = Blueprint("codepay", __name__, url_prefix="/api/v1", description="Payment codes (付款码) and following payments")
SECURED = {"security": [{"bearer": []}]}


@blp.post("/table-sessions/<int:session_id>/payments/code")
@permission_required("payments.take")
@blp.arguments(CodePaymentRequest())
@blp.response(201, CodePaymentEnvelope, description="the payment: paid, paying (follow it) or failed; the same "
                                                    "client_key again answers the same payment as it stands")
@blp.alt_response(404, schema=ErrorSchema, description="not_found: no such check in this store")
@blp.alt_response(409, schema=ErrorSchema, description="invalid_state: nothing due, an amount above what is due, "
                                                       "part of the check being paid meanwhile, the code already "
                                                       "being charged, or a line already paid")
@blp.alt_response(422, schema=ErrorSchema, description="validation_error: not a payment code (letters, wrong "
                                                       "length, unknown prefix), or an amount out of range")
@blp.alt_response(503, schema=ErrorSchema, description="unavailable: that provider (Alipay) is not set up here")
@blp.doc(**SECURED)
def pay_by_code(body: dict[str, Any], session_id: int) -> Any:
    """Charge the diner's WeChat or Alipay payment code (scanned) for the check: all that is due,
    ``amount``, or the lines ``order_item_ids``. The channel is told by the code's digits.
    ``paying`` means the payer is entering the password: follow ``GET /api/v1/payments/{id}``; a
    payment not paid within 60 s is reversed and never credited."""
    who = current_staff()
    assert who is not None
    payment = codepay.take_code_payment(who.store_id, who.id, session_id, body["client_key"], body["auth_code"],
                                        body["amount"], body["order_item_ids"])
    return {"payment": payment}, 201


@blp.get("/payments/<int:payment_id>")
@permission_required("payments.take")
@blp.response(200, FollowedPaymentEnvelope, headers={
    "Retry-After": {"description": "while the payment is still paying: seconds until the provider is asked "
                                   "again, so following sooner learns nothing new", "schema": {"type": "integer"}}})
@blp.alt_response(404, schema=ErrorSchema, description="not_found: no such payment in this store")
@blp.doc(**SECURED)
def follow(payment_id: int) -> Any:
    """A payment as it stands. A payment code still ``paying`` is asked about at the provider when
    its next poll is due (about every 5 s), so polling this route follows it to paid or failed."""
    who = current_staff()
    assert who is not None
    payment = codepay.follow_payment(who.store_id, payment_id)
    headers = {}
    if payment.status == "paying":
        wait = (payment.next_poll_at - utcnow()) if payment.next_poll_at else timedelta(seconds=1)
        headers["Retry-After"] = str(max(1, math.ceil(wait.total_seconds())))
    return {"payment": payment}, 200, headers
