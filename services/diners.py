"""Diners: WeChat login to our own token. We keep an encrypted openid and its keyed hash only."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.exc import IntegrityError

from domain.errors import Unauthorized
from domain.tokens import TokenInvalid
from models import CartLine, CheckDiner, CouponClaim, Diner, Order, Payment, db, utcnow
from services.cart import lines_changed
from services.context import cipher, setting, signer
from services.rows import core
from services.uow import keys_revoked, reading, transaction
from wechat.miniprogram import code_to_openid

OPENID = "openid"


def login(code: str) -> tuple[str, Diner]:
    """Exchange a ``wx.login`` code for our token; the openid never leaves this function.

    Raises Unauthorized (bad or used code), RateLimited, UpstreamError (WeChat failing).
    """
    return sign_in(code_to_openid(code))  # WeChat asked outside the transaction: no DB lock while it answers


def sign_in(openid: str) -> tuple[str, Diner]:
    """Our token for the diner behind a verified openid, recording them on their first visit."""
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


_ALIVE = select(core(Diner).c.id).where(core(Diner).c.id == bindparam("id"))  # Core: once per request
ALIVE = core(Diner).c.id  # for a use case that checks the diner in a statement of its own (``place_order``)


def signed_diner(token: str) -> int:
    """The diner a token names, by its signature and age alone (no query): enough to key a rate
    limit, or for a use case that checks the diner still exists in its own transaction. Raises
    Unauthorized."""
    try:
        claims = signer().read("diner", token, setting("DINER_TOKEN_TTL"))
    except TokenInvalid as exc:
        raise Unauthorized("invalid or expired token") from exc
    diner_id = claims.get("d")
    if not isinstance(diner_id, int):
        raise Unauthorized("invalid or expired token")
    return diner_id


def authenticate(token: str) -> int:
    """The diner a token names, who must still exist (forgotten diners' tokens stop at once)."""
    diner_id = signed_diner(token)
    if db.session.connection().execute(_ALIVE, {"id": diner_id}).first() is None:
        raise Unauthorized("invalid or expired token")
    return diner_id


def gone_among(diner_ids: set[int]) -> set[int]:
    """Which of these diners were deleted (their sockets are cut by the sweeper)."""
    if not diner_ids:
        return set()
    with reading() as db:
        live = set(db.execute(select(Diner.id).where(Diner.id.in_(diner_ids))).scalars())
    return diner_ids - live


def my_data(diner_id: int) -> dict[str, Any]:
    """Everything we keep about a diner, for the diner: when they came, and what they ordered."""
    with reading() as db:
        diner = db.get(Diner, diner_id)
        if diner is None:
            raise Unauthorized("invalid or expired token")
        orders = db.execute(select(Order).where(Order.diner_id == diner_id).order_by(Order.id)).scalars().all()
        data: dict[str, Any] = {
            "diner": {"id": diner.id, "created_at": diner.created_at, "last_seen_at": diner.last_seen_at},
            "orders": [{"id": o.id, "store_id": o.store_id, "number": o.number, "total": o.total, "status": o.status,
                        "created_at": o.created_at,
                        "items": [{"name": i.name, "qty": i.qty, "line_total": i.line_total} for i in o.items]}
                       for o in orders],
        }
    return data


def forget(diner_id: int) -> None:
    """Delete the diner: the encrypted openid and its hash go; their orders stay for the
    restaurant's books but no longer point at anyone. The token stops working at once."""
    _forget_many([diner_id])


def _forget_many(diner_ids: list[int]) -> None:
    with transaction() as tx:
        def unlink() -> None:
            for model in (Order, CartLine, Payment, CouponClaim):  # claims stay counted, pointing at no one
                tx.session.execute(
                    update(model).where(model.diner_id.in_(diner_ids)).values(diner_id=None)
                    .execution_options(synchronize_session=False))

        carts = list(tx.session.execute(
            select(CartLine.table_session_id).where(CartLine.diner_id.in_(diner_ids)).distinct()).scalars())
        lines_changed(tx, carts, unlink)  # the tables' carts show the lines under no one, at once
        tx.session.execute(delete(CheckDiner).where(CheckDiner.diner_id.in_(diner_ids)))
        tx.session.execute(delete(Diner).where(Diner.id.in_(diner_ids)))
        tx.emit(keys_revoked())


def anonymise_inactive(retention: timedelta, batch: int = 500) -> int:
    """Forget every diner not seen for ``retention`` (design rule 6), a batch per transaction.

    Their orders stay for the books, pointing at no one. Returns how many were forgotten.
    """
    cutoff, done = utcnow() - retention, 0
    while True:
        with reading() as db:
            ids = list(db.execute(
                select(Diner.id).where(Diner.last_seen_at < cutoff).order_by(Diner.id).limit(batch)).scalars())
        if not ids:
            return done
        _forget_many(ids)
        done += len(ids)


def rotate_keys(batch: int = 500) -> int:
    """Re-encrypt every stored openid under the newest ``DATA_KEYS`` key, a batch per transaction.

    After it reports 0 left, older keys can be dropped from ``DATA_KEYS``. The look-up hash is
    keyed separately (``LOOKUP_KEY``) and does not change. Returns how many rows were rewritten.
    """
    c, done, after = cipher(), 0, 0
    while True:
        with transaction() as tx:
            rows = list(tx.session.execute(
                select(Diner).where(Diner.id > after).order_by(Diner.id).limit(batch).with_for_update()).scalars())
            for diner in rows:
                if diner.openid_enc[0] != c.current:
                    diner.openid_enc = c.encrypt(c.decrypt(diner.openid_enc, OPENID), OPENID)
                    done += 1
        if not rows:
            return done
        after = rows[-1].id
