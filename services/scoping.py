"""Rows by id, always within the caller's store: the one place tenant scoping of look-ups lives."""
from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.errors import N_, NotFound

# What ``owned`` looks for → its message, each a template of the catalogue (api/i18n.py).
NO_SUCH = {
    "area": N_("no such area"), "category": N_("no such category"), "check": N_("no such check"),
    "coupon": N_("no such coupon"), "ingredient": N_("no such ingredient"), "item": N_("no such item"),
    "option group": N_("no such option group"), "option": N_("no such option"),
    "print job": N_("no such print job"), "printer": N_("no such printer"), "shift": N_("no such shift"),
    "staff member": N_("no such staff member"), "station": N_("no such station"), "table": N_("no such table"),
}

M = TypeVar("M")


def owned(db: Session, model: type[M], store_id: int, row_id: int, what: str) -> M:
    """The ``model`` row with this id in this store; NotFound for an unknown id or another store's."""
    cls: Any = model
    row = db.execute(select(cls).where(cls.id == row_id, cls.store_id == store_id)).scalar_one_or_none()
    if row is None:
        raise NotFound(NO_SUCH[what])
    return row  # type: ignore[no-any-return]


def taken(db: Session, model: type[M], store_id: int, column: Any, value: object,
          except_id: int | None = None) -> bool:
    """Whether a ``model`` row of this store already has ``column == value`` (other than ``except_id``)."""
    cls: Any = model
    query = select(cls.id).where(cls.store_id == store_id, column == value)
    if except_id is not None:
        query = query.where(cls.id != except_id)
    return db.execute(query.limit(1)).first() is not None
