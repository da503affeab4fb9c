"""Creating stores (the tenant) with their counters and owner; what an order needs of its store."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, bindparam, exists, select
from sqlalchemy.orm import Session

from domain.errors import Conflict
from models import Printer, RecipeLine, Staff, Station, Store
from services import counters
from services.rows import core
from services.staff import hash_password, normal_username
from services.uow import transaction

DEFAULT_STATIONS = (("hot", "热菜"), ("cold", "凉菜"), ("bar", "饮品"))


def create_store(slug: str, name: str, owner_username: str, owner_password: str,
                 pay_mode: str = "pay_later") -> Store:
    """A new store with default stations, its counters and an owner. Raises Conflict if taken."""
    with transaction() as tx:
        if tx.session.execute(select(Store.id).where(Store.slug == slug)).first():
            raise Conflict("store '{slug}' exists", slug=slug)
        store = Store(slug=slug, name=name, pay_mode=pay_mode)
        tx.session.add(store)
        tx.session.flush()
        counters.create_counters(tx.session, store.id)
        for i, (code, label) in enumerate(DEFAULT_STATIONS):
            tx.session.add(Station(store_id=store.id, code=code, name=label, sort=i))
        tx.session.add(Staff(store_id=store.id, username=normal_username(owner_username), name=owner_username,
                             role="owner",
                             password_hash=hash_password(owner_password)))
    return store


@dataclass(frozen=True)
class OrderRules:
    """What taking an order needs of its store, read in one narrow statement (``order_rules``):
    its settings, its menu's version, and whether it has printers and recipes at all (a store
    without either costs no query for them per order)."""

    id: int
    pay_mode: str
    timezone: str
    opens_at: str | None
    closes_at: str | None
    service_charge_bp: int
    max_portions_round: int
    max_portions_check: int
    menu_version: int
    created_at: datetime
    has_printers: bool
    has_recipes: bool


_S = core(Store).c
_SETTINGS = [f for f in OrderRules.__dataclass_fields__ if not f.startswith("has_")]
_RULES = select(
    *(_S[name] for name in _SETTINGS),  # the dataclass's fields, in its order
    exists().where(core(Printer).c.store_id == _S.id, core(Printer).c.deleted_at.is_(None)),
    exists().where(core(RecipeLine).c.store_id == _S.id),
).where(_S.id == bindparam("store_id"))


def rules_with(*also: Any) -> Select[Any]:
    """The rules' statement with more columns (scalar subqueries) read in the same round trip."""
    return _RULES.add_columns(*also)


def order_rules(db: Session, store_id: int, stmt: Select[Any] = _RULES,
                **params: Any) -> tuple[OrderRules, tuple[Any, ...]] | None:
    """The store's rules and, for a statement from ``rules_with``, its other columns (``params``
    fill their parameters); None for an unknown store."""
    row = db.connection().execute(stmt, {"store_id": store_id, **params}).one_or_none()
    if row is None:
        return None
    n = len(_SETTINGS)
    settings = dict(zip(_SETTINGS, row[:n], strict=True))
    return OrderRules(**settings, has_printers=bool(row[n]), has_recipes=bool(row[n + 1])), tuple(row[n + 2:])
