"""Who sits at a table's open check, and how many they are.

A diner joins the open check by opening the table's code while it is open (the cart, a cart
change, a round, the headcount): from then on they see every round of it and may pay it,
whoever sent the round. The table's code is the credential, as for the shared cart and the
table's live updates; a diner who never opened it sees nothing. Diners stay numbers: nobody's
openid or name is shown to the others.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.errors import InvalidState, ValidationFailed
from models import CheckDiner, Order, TableSession, utcnow
from services import tables
from services.uow import Outgoing, transaction

MAX_HEADCOUNT = 50


def seated(session: Session, diner_id: int, table_session_id: int) -> bool:
    """The diner joined this check, or ordered in it."""
    if session.execute(select(CheckDiner.id).where(CheckDiner.table_session_id == table_session_id,
                                                   CheckDiner.diner_id == diner_id).limit(1)).first():
        return True
    return session.execute(
        select(Order.id).where(Order.table_session_id == table_session_id, Order.diner_id == diner_id).limit(1)
    ).first() is not None


def join(session: Session, check: TableSession, diner_id: int | None) -> None:
    """Seat the diner at ``check`` (once). Takes the table lock only when the diner is new to it, so
    a page load of a seated diner costs one indexed read; inside a write transaction."""
    if diner_id is None or check.table_id is None:
        return
    found = select(CheckDiner.id).where(CheckDiner.table_session_id == check.id, CheckDiner.diner_id == diner_id)
    if session.execute(found).first():
        return
    tables.lock_table(session, check.table_id)  # two tabs of one diner at once add one row
    if session.execute(found).first():
        return
    session.add(CheckDiner(store_id=check.store_id, table_session_id=check.id, diner_id=diner_id, joined_at=utcnow()))
    session.flush()


def set_headcount(table_token: str, diner_id: int, headcount: int) -> TableSession:
    """How many sit at the table (用餐人数), for the table's open check, opened now if there is none
    (the diners are asked on entry, before anyone orders). The last answer counts; the diner joins
    the check. Raises NotFound (table), InvalidState (the store takes no headcount),
    ValidationFailed (out of 1..50)."""
    if not 1 <= headcount <= MAX_HEADCOUNT:
        raise ValidationFailed("headcount out of range", {"headcount": [f"1 to {MAX_HEADCOUNT}"]})
    with transaction() as tx:
        found = tables.resolve(table_token, tx.session, with_check=False)
        if not found.store.ask_headcount:
            raise InvalidState("this store does not take a headcount")
        tables.lock_table(tx.session, found.table.id)
        check = tables.open_or_create_check(tx.session, found.table)
        check.headcount = headcount
        join(tx.session, check, diner_id)
        tx.emit(Outgoing("table", "check.updated", {"session": {"id": check.id, "headcount": headcount}},
                         check.store_id, table_id=check.table_id))
    return check
