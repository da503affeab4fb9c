"""Diners: WeChat login to our own token. We keep an encrypted openid and its keyed hash only."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from domain.errors import Unauthorized
from domain.tokens import TokenInvalid
from models import Diner, db, utcnow
from services.context import cipher, setting, signer
from services.uow import transaction
from wechat.miniprogram import code_to_openid

OPENID = "openid"


def login(code: str) -> tuple[str, Diner]:
    """Exchange a ``wx.login`` code for our token; the openid never leaves this function.

    Raises Unauthorized (bad or used code), RateLimited, UpstreamError (WeChat failing).
    """
    openid = code_to_openid(code)  # outside the transaction: no DB lock while WeChat answers
    c = cipher()
    digest = c.lookup_hash(openid, OPENID)
    diner: Diner | None = None
    for attempt in (1, 2):
        try:
            with transaction() as tx:
                diner = tx.session.execute(select(Diner).where(Diner.openid_hash == digest)).scalar_one_or_none()
                if diner is None:
                    diner = Diner(openid_hash=digest, openid_enc=c.encrypt(openid, OPENID))
                    tx.session.add(diner)
                diner.last_seen_at = utcnow()
            break
        except IntegrityError:
            # The same diner logged in twice at once on a first visit: the other row won; use it.
            if attempt == 2:
                raise
    assert diner is not None
    return signer().issue("diner", {"d": diner.id}), diner


def authenticate(token: str) -> int:
    try:
        claims = signer().read("diner", token, setting("DINER_TOKEN_TTL"))
    except TokenInvalid as exc:
        raise Unauthorized("invalid or expired token") from exc
    diner_id = claims.get("d")
    if not isinstance(diner_id, int) or db.session.get(Diner, diner_id) is None:
        raise Unauthorized("invalid or expired token")
    return diner_id
