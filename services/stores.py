"""Creating stores (the tenant) with their counters and owner."""
from __future__ import annotations

from sqlalchemy import select

from domain.errors import Conflict
from models import Staff, Station, Store
from services import counters
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
