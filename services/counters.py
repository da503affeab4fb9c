"""Per-store gapless counters (see models.store.StoreCounter)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import Select, Update, func, select, update
from sqlalchemy.orm import Session

from models import StoreCounter
from services.rows import core

KITCHEN_SEQ = "kitchen_seq"
ORDER_NUMBER = "order_number"
ALL_COUNTERS = (KITCHEN_SEQ, ORDER_NUMBER)


_COUNTERS = core(StoreCounter)  # Core: these statements skip the ORM's update machinery
_T = _COUNTERS.c


def next_value(db: Session, store_id: int, name: str) -> int:
    """Bump and return the counter in one statement; its row stays locked until this transaction ends.

    MariaDB/MySQL hand the new value back through ``LAST_INSERT_ID(expr)`` (the OK packet's
    insert id), SQLite through ``RETURNING``; any other database reads it with a second query.
    """
    where = (_T.store_id == store_id, _T.name == name)
    conn = db.connection()
    dialect = conn.dialect.name
    if dialect == "sqlite":
        value = conn.execute(
            update(_COUNTERS).where(*where).values(value=_T.value + 1).returning(_T.value)
        ).scalar_one_or_none()
        if value is None:
            raise LookupError(f"store {store_id} has no counter {name}")
        return int(value)
    mysql = dialect in ("mysql", "mariadb")
    result = conn.execute(
        update(_COUNTERS).where(*where)
        .values(value=func.last_insert_id(_T.value + 1) if mysql else _T.value + 1)
    )
    if result.rowcount != 1:
        raise LookupError(f"store {store_id} has no counter {name}")
    if mysql:
        return int(result.lastrowid)
    return int(db.execute(select(StoreCounter.value).where(*where)).scalar_one())


def swap(db: Session, store_id: int, name: str, value: int) -> int:
    """Set a counter to ``value`` and return what it held (0 if new).

    Only for counters written while this transaction already holds the store's kitchen_seq row
    lock (so two writers never meet here), e.g. the last seq of each station. On MariaDB/MySQL
    one statement: the old value leaves through ``LAST_INSERT_ID(value)`` (evaluated before
    the assignment), multiplied by zero so it does not change what is written.
    """
    where = (StoreCounter.store_id == store_id, StoreCounter.name == name)
    conn = db.connection()
    if conn.dialect.name in ("mysql", "mariadb"):
        result = conn.execute(
            update(_COUNTERS).where(_T.store_id == store_id, _T.name == name)
            .values(value=value + 0 * func.last_insert_id(_T.value))  # Core, as in next_value
        )
        if result.rowcount == 1:  # matched (FOUND_ROWS), changed or not
            return int(result.lastrowid)
        db.add(StoreCounter(store_id=store_id, name=name, value=value))
        db.flush()
        return 0
    old = db.execute(select(StoreCounter.value).where(*where)).scalar_one_or_none()
    if old is None:
        db.add(StoreCounter(store_id=store_id, name=name, value=value))
        db.flush()
        return 0
    db.execute(update(StoreCounter).where(*where).values(value=value).execution_options(synchronize_session=False))
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


def left_after(db: Session, stmt: Update, first: tuple[Any, Any], column: Any, new_value: Any,
               read_back: Select[Any]) -> int | None:
    """Run ``stmt`` (an UPDATE of one row) setting ``first`` and then ``column = new_value``;
    return the column's new value, or None when no row matched.

    One statement on MariaDB/MySQL (the value leaves through ``LAST_INSERT_ID(expr)``: 0 is a
    value here, the row count says whether it ran) and on SQLite (``RETURNING``); elsewhere
    ``read_back`` reads it after.
    """
    conn = db.connection()
    dialect = conn.dialect.name
    if dialect in ("mysql", "mariadb"):
        result = conn.execute(stmt.ordered_values(first, (column, func.last_insert_id(new_value))))
        return int(result.lastrowid) if result.rowcount == 1 else None
    if dialect == "sqlite":
        value = conn.execute(stmt.ordered_values(first, (column, new_value)).returning(column)).scalar_one_or_none()
        return None if value is None else int(value)
    if conn.execute(stmt.ordered_values(first, (column, new_value))).rowcount != 1:
        return None
    return int(conn.execute(read_back).scalar_one())
