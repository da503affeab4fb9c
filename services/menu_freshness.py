"""How long a kept menu answer may be served again without asking the database.

At the rush every phone asks for the menu, and most of a kept answer's cost is its one freshness
query (``services.menu.cached_answer``). Once a check finds the kept answer current, this process
serves it without a query for ``MENU_FRESH_SECONDS`` (a fraction of a second), counted from when
the check began.

Within this process nothing waits for the window: any write through its engines to ``items`` or
``stores`` (a console edit and its menu version, stock taken or given back by an order, a sold-out)
ends every store's window as soon as its connection goes back to the pool, i.e. right after the
commit (or rollback), so the next GET checks again. Detection is on the SQL itself, so a write by
any path (ORM flush, Core ``update``, raw SQL) counts, and a check that was under way while a write
committed does not open a window (the process-wide ``generation`` it began with is gone).

Another process's write is seen by the first check that begins after it commits: at most
``MENU_FRESH_SECONDS`` late. That is safe because the menu only shows stock; an order takes it on
the server, in its own transaction, whatever the phone saw.
"""
from __future__ import annotations

import re
import time
from typing import Any

from sqlalchemy import Engine, event

# Write statements naming either table ("order_items" and "item_id" do not match \bitems\b).
_WATCHED = re.compile(r"\b(?:items|stores)\b", re.IGNORECASE)
_WROTE = "diancan.menu_write"  # key in the pooled connection's info: it wrote since its checkout
_STORES = 512

_generation = 0  # bumped when a connection that wrote a watched table goes back to the pool
# store_id -> (time.monotonic() when the last check that found the kept answer current began,
#              the generation when it began)
_checked: dict[int, tuple[float, int]] = {}


def generation() -> int:
    return _generation


def fresh(store_id: int, window: float) -> bool:
    """True while the last check of the store's kept answer began less than ``window`` seconds ago
    and no watched write of this process has come back to the pool since it began."""
    hit = _checked.get(store_id)
    return hit is not None and hit[1] == _generation and time.monotonic() - hit[0] < window


def checked(store_id: int, began: float, generation_then: int) -> None:
    """A check that began at ``began`` (``time.monotonic()``), with ``generation_then``, found the
    kept answer current."""
    if store_id not in _checked and len(_checked) >= _STORES:
        _checked.pop(next(iter(_checked)))
    _checked[store_id] = (began, generation_then)


def expire() -> None:
    """End every window now (the next GET of every store checks again)."""
    global _generation
    _generation += 1


def watch(engine: Engine) -> None:
    """Let writes through ``engine`` end the windows (once per engine)."""
    if not event.contains(engine, "before_cursor_execute", _note_write):
        event.listen(engine, "before_cursor_execute", _note_write)
        event.listen(engine, "checkin", _after_write)


def _note_write(conn: Any, _cursor: Any, statement: str, _params: Any, _context: Any, _many: bool) -> None:
    if not statement[:6].upper() == "SELECT" and _WATCHED.search(statement):
        conn.info[_WROTE] = True


def _after_write(_dbapi_conn: Any, record: Any) -> None:
    if record is not None and record.info.pop(_WROTE, False):
        expire()
