"""New rows of the order path, written with one Core INSERT per table.

The ORM's unit of work costs several times the statement it sends: in issue #14's profile a
fifth of an order's CPU went to flushing five objects (the order, its lines, the ticket, the
ticket's lines, the kitchen event). The order path builds its objects with ``new`` and hands each
table's to ``insert_new``: one INSERT for all of them (ids back by ``RETURNING`` on SQLite and
MariaDB 10.5+, in the objects' order), the mapped defaults filled in as a flush would. The
objects then stay outside the session, fully loaded: read them freely (views, events, printing);
a change to one goes through a statement, or through a copy the session loads.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import Table, insert, inspect
from sqlalchemy.orm import Mapper

from services.uow import Tx

T = TypeVar("T")
# per class: its table, (attribute, column) pairs, and its INSERT without and with RETURNING id
_COLUMNS: dict[type, tuple[Any, list[tuple[str, Any]], Any, Any]] = {}


def core(cls: type) -> Table:
    """The mapped class's table, for Core statements on the hot path (they skip the ORM's
    per-statement machinery)."""
    table: Any = inspect(cls).local_table
    assert isinstance(table, Table)
    return table


def _columns(cls: type) -> tuple[Any, list[tuple[str, Any]], Any, Any]:
    """The class's table, per column (attribute name, Column) with the primary key excluded, and
    its INSERT statements (built once: building one costs more than running it)."""
    known = _COLUMNS.get(cls)
    if known is None:
        mapper: Mapper[Any] = inspect(cls)
        table = core(cls)
        pairs = [(prop.key, prop.columns[0]) for prop in mapper.column_attrs
                 if prop.columns[0].table is table and not prop.columns[0].primary_key]
        known = _COLUMNS[cls] = (table, pairs, insert(table),
                                 insert(table).returning(table.c.id, sort_by_parameter_order=True))
    return known


def _row(obj: Any, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """The object's column values; an attribute never set takes its column's default (set on the
    object too, so reading it later never goes back to the database)."""
    values = obj.__dict__
    row: dict[str, Any] = {}
    for key, column in pairs:
        if key in values:
            value = values[key]
        else:
            default = column.default
            if default is None:
                value = None
            elif default.is_callable:
                value = default.arg(None)
            else:
                value = default.arg
            values[key] = value
        row[column.key] = value
    return row


def new(cls: type[T], **values: Any) -> T:
    """A new instance of a mapped class holding ``values`` (columns and relationships), built
    without the ORM's attribute events (which cost more than the INSERT): for ``insert_new``,
    and read-only after it. Reading an attribute never set goes to the database: set them all."""
    obj: T = inspect(cls).class_manager.new_instance()
    obj.__dict__.update(values)
    return obj


def fill(obj: Any, **values: Any) -> None:
    """Set more of ``new``'s values (an id from the INSERT, the lines once written)."""
    obj.__dict__.update(values)


def insert_new(tx: Tx, objs: Sequence[T]) -> Sequence[T]:
    """INSERT these new objects (one mapped class) in one statement and set their ids."""
    if not objs:
        return objs
    _table, pairs, one, many = _columns(type(objs[0]))
    rows = [_row(obj, pairs) for obj in objs]
    tx.session.flush()  # what these rows refer to (a check just opened) is written first
    conn = tx.session.connection()
    if len(rows) == 1:
        result = conn.execute(one, rows[0])
        fill(objs[0], id=result.inserted_primary_key[0])  # type: ignore[index]
        return objs
    ids = conn.execute(many, rows).scalars().all()
    for obj, id_ in zip(objs, ids, strict=True):
        fill(obj, id=id_)
    return objs
