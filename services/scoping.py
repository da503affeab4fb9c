"""Rows by id, always within the caller's store: the one place tenant scoping of look-ups lives."""
from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.errors import NotFound

M = TypeVar("M")


def owned(db: Session, model: type[M], store_id: int, row_id: int, what: str) -> M:
    """The ``model`` row with this id in this store; NotFound for an unknown id or another store's."""
    cls: Any = model
    row = db.execute(select(cls).where(cls.id == row_id, cls.store_id == store_id)).scalar_one_or_none()
    if row is None:
        raise NotFound(f"no such {what}")
    return row  # type: ignore[no-any-return]


def taken(db: Session, model: type[M], store_id: int, column: Any, value: object,
          except_id: int | None = None) -> bool:
    """Whether a ``model`` row of this store already has ``column == value`` (other than ``except_id``)."""
    cls: Any = model
    query = select(cls.id).where(cls.store_id == store_id, column == value)
    if except_id is not None:
        query = query.where(cls.id != except_id)
    return db.execute(query.limit(1)).first() is not None
