"""Per-store gapless counters (see models.store.StoreCounter)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import Select, Update, bindparam, func, select, update
from sqlalchemy.orm import Session

from models import StoreCounter
from services.rows import core

KITCHEN_SEQ = "kitchen_seq"
ORDER_NUMBER = "order_number"
ALL_COUNTERS = (KITCHEN_SEQ, ORDER_NUMBER)


_COUNTERS = core(StoreCounter)  # Core: these statements skip the ORM's update machinery
_T = _COUNTERS.c
_THIS = (_T.store_id == bindparam("b_store"), _T.name == bindparam("b_name"))  # not column names: UPDATE reserves those
# built once: constructing a statement costs more than running it from SQLAlchemy's cache
_BUMP = {
    "sqlite": update(_COUNTERS).where(*_THIS).values(value=_T.value + 1).returning(_T.value),
    "mysql": update(_COUNTERS).where(*_THIS).values(value=func.last_insert_id(_T.value + 1)),
    "other": update(_COUNTERS).where(*_THIS).values(value=_T.value + 1),
}
_READ = select(_T.value).where(*_THIS)
_SET = update(_COUNTERS).where(*_THIS).values(value=bindparam("b_value"))
_SWAP_MYSQL = update(_COUNTERS).where(*_THIS).values(value=bindparam("b_value") + 0 * func.last_insert_id(_T.value))


def _family(dialect: str) -> str:
    return "mysql" if dialect in ("mysql", "mariadb") else "sqlite" if dialect == "sqlite" else "other"


def next_value(db: Session, store_id: int, name: str) -> int:
    """Bump and return the counter in one statement; its row stays locked until this transaction ends.

    MariaDB/MySQL hand the new value back through ``LAST_INSERT_ID(expr)`` (the OK packet's
    insert id), SQLite through ``RETURNING``; any other database reads it with a second query.
    """
    conn = db.connection()
    family = _family(conn.dialect.name)
    params = {"b_store": store_id, "b_name": name}
    if family == "sqlite":
        value = conn.execute(_BUMP["sqlite"], params).scalar_one_or_none()
        if value is None:
            raise LookupError(f"store {store_id} has no counter {name}")
        return int(value)
    result = conn.execute(_BUMP[family], params)
    if result.rowcount != 1:
        raise LookupError(f"store {store_id} has no counter {name}")
    if family == "mysql":
        return int(result.lastrowid)
    return int(conn.execute(_READ, params).scalar_one())


def swap(db: Session, store_id: int, name: str, value: int) -> int:
    """Set a counter to ``value`` and return what it held (0 if new).

    Only for counters written while this transaction already holds the store's kitchen_seq row
    lock (so two writers never meet here), e.g. the last seq of each station. On MariaDB/MySQL
    one statement: the old value leaves through ``LAST_INSERT_ID(value)`` (evaluated before
    the assignment), multiplied by zero so it does not change what is written.
    """
    conn = db.connection()
    params = {"b_store": store_id, "b_name": name, "b_value": value}
    if _family(conn.dialect.name) == "mysql":
        result = conn.execute(_SWAP_MYSQL, params)
        if result.rowcount == 1:  # matched (FOUND_ROWS), changed or not
            return int(result.lastrowid)
        db.add(StoreCounter(store_id=store_id, name=name, value=value))
        db.flush()
        return 0
    old = conn.execute(_READ, params).scalar_one_or_none()
    if old is None:
        db.add(StoreCounter(store_id=store_id, name=name, value=value))
        db.flush()
        return 0
    conn.execute(_SET, params)
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


def left_after_statements(stmt: Update, first: tuple[Any, Any] | None, column: Any, new_value: Any,
                          read_back: Select[Any]) -> dict[str, Any]:
    """For ``left_after``, built once per use: ``stmt`` (an UPDATE of one row, with bound
    parameters) setting ``first`` (None: nothing else) and then ``column = new_value``, per
    database family."""
    before = [first] if first is not None else []
    return {
        "mysql": stmt.ordered_values(*before, (column, func.last_insert_id(new_value))),
        "sqlite": stmt.ordered_values(*before, (column, new_value)).returning(column),
        "other": stmt.ordered_values(*before, (column, new_value)),
        "read_back": read_back,
    }


def left_after(db: Session, statements: dict[str, Any], params: dict[str, Any]) -> int | None:
    """Run an UPDATE of one row from ``left_after_statements`` and return the column's new value,
    or None when no row matched.

    One statement on MariaDB/MySQL (the value leaves through ``LAST_INSERT_ID(expr)``: 0 is a
    value here, the row count says whether it ran) and on SQLite (``RETURNING``); elsewhere
    ``read_back`` reads it after.
    """
    conn = db.connection()
    family = _family(conn.dialect.name)
    if family == "mysql":
        result = conn.execute(statements["mysql"], params)
        return int(result.lastrowid) if result.rowcount == 1 else None
    if family == "sqlite":
        value = conn.execute(statements["sqlite"], params).scalar_one_or_none()
        return None if value is None else int(value)
    if conn.execute(statements["other"], params).rowcount != 1:
        return None
    return int(conn.execute(statements["read_back"], params).scalar_one())
