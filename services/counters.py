"""Per-store gapless counters (see models.store.StoreCounter)."""
from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models import StoreCounter

KITCHEN_SEQ = "kitchen_seq"
ORDER_NUMBER = "order_number"
ALL_COUNTERS = (KITCHEN_SEQ, ORDER_NUMBER)


def next_value(db: Session, store_id: int, name: str) -> int:
    """Bump and return the counter; its row stays locked until this transaction ends."""
    result = db.execute(
        update(StoreCounter)
        .where(StoreCounter.store_id == store_id, StoreCounter.name == name)
        .values(value=StoreCounter.value + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise LookupError(f"store {store_id} has no counter {name}")
    return int(db.execute(
        select(StoreCounter.value).where(StoreCounter.store_id == store_id, StoreCounter.name == name)
    ).scalar_one())


def swap(db: Session, store_id: int, name: str, value: int) -> int:
    """Set a counter to ``value`` and return what it held (0 if new).

    Only for counters written while this transaction already holds the store's kitchen_seq row
    lock (so two writers never meet here), e.g. the last seq of each station.
    """
    old = db.execute(
        select(StoreCounter.value).where(StoreCounter.store_id == store_id, StoreCounter.name == name)
    ).scalar_one_or_none()
    if old is None:
        db.add(StoreCounter(store_id=store_id, name=name, value=value))
        db.flush()
        return 0
    db.execute(
        update(StoreCounter).where(StoreCounter.store_id == store_id, StoreCounter.name == name)
        .values(value=value).execution_options(synchronize_session=False)
    )
    return int(old)


def next_daily(db: Session, store_id: int, name: str, day: str) -> int:
    """Bump a counter that starts again at 1 each business ``day`` (e.g. takeaway pickup numbers).

    Only while this transaction holds a lock that serialises its writers (the order-number row):
    the day's row is created on first use, and two creators would otherwise collide.
    """
    key = f"{name}:{day}"
    old = current_value(db, store_id, key)
    swap(db, store_id, key, old + 1)
    return old + 1


def current_value(db: Session, store_id: int, name: str) -> int:
    value = db.execute(
        select(StoreCounter.value).where(StoreCounter.store_id == store_id, StoreCounter.name == name)
    ).scalar_one_or_none()
    return int(value or 0)


def create_counters(db: Session, store_id: int) -> None:
    for name in ALL_COUNTERS:
        db.add(StoreCounter(store_id=store_id, name=name, value=0))
