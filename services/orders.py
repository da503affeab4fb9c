"""Placing and reading orders (rounds) and checks."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, bindparam, case, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

import models
from domain import order_state
from domain.errors import Conflict, Forbidden, InvalidState, NotFound, SoldOut, Unauthorized, ValidationFailed
from domain.money import format_fen
from domain.pricing import (
    LineRequest,
    PricedOrder,
    RoundLimits,
    check_round,
    price_order,
    service_charge,
    within_hours,
)
from models import Item, Order, OrderItem, StockSellout, Table, TableSession, db, utcnow
from services import audit, counters, diners, ledger, order_gate, printing, rows, seating, stock, tables
from services.cart import cart_line_requests, clear_cart
from services.kitchen import record_order_update, send_to_kitchen, sync_order, withdraw_item
from services.menu import announce_availability, store_clock, store_day
from services.menu_prices import priced_menu
from services.rows import core
from services.stores import OrderRules, order_rules, rules_with
from services.uow import Tx, reading, transaction

_ITEMS = core(Item)  # Core: the stock UPDATE skips the ORM's update machinery
_TAKE_STOCK = counters.left_after_statements(
    update(_ITEMS).where(_ITEMS.c.id == bindparam("b_item"), _ITEMS.c.store_id == bindparam("b_store"),
                         _ITEMS.c.stock.is_not(None), _ITEMS.c.stock >= bindparam("b_qty")),
    (_ITEMS.c.sold_out, case((_ITEMS.c.stock == bindparam("b_qty"), True), else_=_ITEMS.c.sold_out)),
    _ITEMS.c.stock, _ITEMS.c.stock - bindparam("b_qty"),
    select(_ITEMS.c.stock).where(_ITEMS.c.id == bindparam("b_item")))
REFUNDED = ("partially_refunded", "refunded")  # orders' payment states once money went back


@dataclass(frozen=True)
class Orderer:
    """Who places the order: a logged-in diner, or a member of staff of the table's store."""

    diner_id: int | None = None
    staff_id: int | None = None
    staff_store_id: int | None = None


def existing_order(db: Session, store_id: int, client_key: str) -> Order | None:
    return db.execute(
        select(Order).where(Order.store_id == store_id, Order.client_key == client_key)
    ).scalar_one_or_none()


def same_author(order: Order, who: Orderer, table_id: int | None) -> Order:
    if order.table_id != table_id or order.diner_id != who.diner_id or order.staff_id != who.staff_id:
        raise Conflict("client_key already used for another order")
    return order


def _take_stock(tx: Tx, store_id: int, priced: PricedOrder, limited: set[int]) -> None:
    """Decrement limited stock with a conditional UPDATE: never below zero, even when racing.

    ``limited`` are the items that had a daily stock when the menu was read; the rest are
    unlimited and cost no query. The UPDATE that takes the last portion also sets sold_out
    (assigned first: MariaDB evaluates SET left to right, SQLite on the old row; both then
    see the old stock), and hands back what is left in the same statement (``counters.left_after``).
    """
    wanted: dict[int, int] = {}
    for line in priced.lines:
        if line.item_id in limited:
            wanted[line.item_id] = wanted.get(line.item_id, 0) + line.qty
    for item_id, qty in sorted(wanted.items()):  # fixed order: no lock-order deadlocks
        left = counters.left_after(tx.session, _TAKE_STOCK, {"b_item": item_id, "b_store": store_id, "b_qty": qty})
        if left is None:
            name = next(ln.name for ln in priced.lines if ln.item_id == item_id)
            raise SoldOut("not enough {name} left", {"items": [f"item {item_id} short"]}, name=name)
        if left == 0:
            announce_availability(tx, store_id, item_id, sold_out=True, stock=0)


def place_order(who: Orderer, table_token: str, client_key: str, lines: list[LineRequest] | None,
                remark: str = "") -> tuple[Order, bool]:
    """Price a round from the menu, take stock, join the table's open check, tell the kitchen.

    ``lines=None`` submits the table's shared cart as the round and empties it, in the same
    transaction. Idempotent on ``client_key`` (per store): a retry returns ``(first order, False)``.
    Raises NotFound (table), Forbidden (staff of another store), ValidationFailed (items,
    options, empty cart), SoldOut, Conflict (key reused for a different table or person).
    """
    try:
        with order_gate.store_gate(table_token):
            return _place(who, table_token, client_key, lines, remark)
    except IntegrityError:
        # Another request with this key committed between our check and our insert (ours rolled back).
        with reading() as db:
            resolved = tables.resolve(table_token, db, with_check=False)
            order = existing_order(db, resolved.store.id, client_key)
            if order is None:
                raise
            return same_author(order, who, resolved.table.id), False


_TS = core(TableSession).c
# With the store's rules, in one statement: is the key taken, the table's open check, and does
# the diner still exist (the route checked only the token's signature: ``api.auth.diner_signed``)
_RULES_KEY_CHECK = rules_with(
    select(core(Order).c.id).where(core(Order).c.store_id == bindparam("store_id"),
                                   core(Order).c.client_key == bindparam("client_key")).scalar_subquery(),
    select(_TS.id).where(_TS.store_id == bindparam("store_id"), _TS.table_id == bindparam("table_id"),
                         _TS.status == "open").scalar_subquery(),
    select(diners.ALIVE).where(diners.ALIVE == bindparam("diner_id")).scalar_subquery(),
)


def _place(who: Orderer, table_token: str, client_key: str, lines: list[LineRequest] | None,
           remark: str) -> tuple[Order, bool]:
    with transaction() as tx:
        # The table lock serialises this table's cart and check, so the key check below cannot
        # race with a retry of the same round. Lock order everywhere: table, items, counters.
        table = tables.resolve_locked(table_token, tx.session)
        order_gate.learn(table.id, table.store_id)
        read = order_rules(tx.session, table.store_id, _RULES_KEY_CHECK, client_key=client_key, table_id=table.id,
                           diner_id=who.diner_id)
        assert read is not None
        store, (found_id, check_id, diner_id) = read
        if who.diner_id is not None and diner_id is None:  # forgotten since the token was issued
            raise Unauthorized("invalid or expired token")
        if who.staff_id is not None and who.staff_store_id != store.id:
            raise Forbidden("this table belongs to another store")
        if found_id is not None:
            found = tx.session.get(Order, found_id)
            assert found is not None
            return same_author(found, who, table.id), False
        from_cart = lines is None
        check = None
        if check_id is None or from_cart:
            check = tables.open_or_create_check(tx.session, table)
            check_id = check.id
        if lines is None:
            assert check is not None
            lines = cart_line_requests(tx.session, check)
        if who.staff_id is None and not within_hours(store_clock(store), store.opens_at, store.closes_at):
            raise InvalidState("the store takes orders from {opens} to {closes}", opens=store.opens_at or "00:00",
                               closes=store.closes_at or "24:00")
        order = record_round(tx, store, table, check_id, who, client_key, lines, remark)
        if check is not None and from_cart:
            clear_cart(tx, check)
    return order, True


def record_round(tx: Tx, store: OrderRules, table: Table | None, check_id: int, who: Orderer,
                 client_key: str, lines: list[LineRequest], remark: str, takeaway: bool = False) -> Order:
    """Price ``lines`` from the menu, take stock, number the round and add it to check ``check_id``; it
    reaches the kitchen now (pay later) or once paid (pay first). Call with the table locked.
    A takeaway round also gets the day's next pickup number."""
    if not store.has_printers:
        printing.none_in_store(tx, store.id)
    menu = priced_menu(tx.session, store, [ln.item_id for ln in lines])
    priced = price_order(menu, lines, store_clock(store))
    _within_limits(tx.session, store, check_id, priced)
    if store.has_recipes:  # ingredients before dish stock (lock order: services/stock.py)
        stock.take_for_round(tx, store.id, priced)
    _take_stock(tx, store.id, priced, {i.id for i in menu.values() if i.stock is not None})
    # From here to commit the store's counters are locked: keep this stretch short.
    number = counters.next_value(tx.session, store.id, counters.ORDER_NUMBER)
    # The order-number row lock just taken serialises this store's rounds: the day's pickup
    # counter can be created on first use without racing.
    pickup_number = counters.next_daily(tx.session, store.id, "pickup", store_day(store)) if takeaway else None
    # pay_later: straight to the kitchen; pay_first: the kitchen sees it once it is paid.
    status = "accepted" if store.pay_mode == "pay_later" else "submitted"
    order = _new_order(tx, store.id, table, check_id, who, client_key, number, priced, remark, status,
                       store.service_charge_bp, pickup_number)
    if status == "accepted":
        send_to_kitchen(tx, order)
    record_order_update(tx, order)
    tx.note("order", source="staff" if who.staff_id is not None else "diner", status=status)
    return order


_O, _OI = core(Order).c, core(OrderItem).c
_CHECK_SO_FAR = select(  # built once, run as Core: the check's total and portions so far
    select(func.coalesce(func.sum(_O.total), 0))
    .where(_O.table_session_id == bindparam("check_id"), _O.status != "cancelled").scalar_subquery(),
    select(func.coalesce(func.sum(_OI.qty), 0)).join_from(core(OrderItem), core(Order), _O.id == _OI.order_id)
    .where(_O.table_session_id == bindparam("check_id"), _OI.status != "cancelled").scalar_subquery(),
)


def _within_limits(db: Session, store: OrderRules, check_id: int, priced: PricedOrder) -> None:
    """The store's portion caps and the ¥100,000 ceiling, for this round and the check it joins."""
    check_total, check_portions = db.connection().execute(_CHECK_SO_FAR, {"check_id": check_id}).one()
    total = priced.total + service_charge(priced.total, store.service_charge_bp)
    portions = sum(line.qty for line in priced.lines)
    check_round(total, portions, int(check_total), int(check_portions),
                RoundLimits(store.max_portions_round, store.max_portions_check))


def _set_total(order: Order, subtotal: int) -> None:
    """Total = the lines plus the service charge at the rate the order was placed with."""
    order.service_charge = service_charge(subtotal, order.service_charge_bp)
    order.total = subtotal + order.service_charge


def _new_order(tx: Tx, store_id: int, table: Table | None, check_id: int, who: Orderer, client_key: str,
               number: int, priced: PricedOrder, remark: str, status: str, service_charge_bp: int,
               pickup_number: int | None = None) -> Order:
    """The order and its lines, written with one INSERT each (``services.rows``): the returned
    order is outside the session, read-only; a later change loads it again."""
    charge = service_charge(priced.total, service_charge_bp)
    order = rows.new(Order, store_id=store_id, table_session_id=check_id, table_id=table.id if table else None,
                     diner_id=who.diner_id, staff_id=who.staff_id, client_key=client_key, number=number,
                     status=status, payment_status="unpaid", remark=remark, created_at=utcnow(),
                     service_charge_bp=service_charge_bp, service_charge=charge, total=priced.total + charge,
                     pickup_number=pickup_number, table=table)
    rows.insert_new(tx, [order])
    rows.fill(order, items=list(rows.insert_new(tx, [
        rows.new(OrderItem, store_id=store_id, order_id=order.id, item_id=ln.item_id, name=ln.name,
                 station=ln.station, qty=ln.qty, options=ln.options_snapshot(), unit_price=ln.unit_price,
                 line_total=ln.line_total, note=ln.note, status="new", void_reason=None, cancelled_by=None,
                 payment_id=None)
        for ln in priced.lines
    ])))
    return order


def get_order(order_id: int) -> Order:
    order = db.session.execute(
        select(Order).where(Order.id == order_id).options(selectinload(Order.items))
    ).scalar_one_or_none()
    if order is None:
        raise NotFound("no such order")
    return order


def get_check(check_id: int) -> TableSession:
    check = db.session.get(TableSession, check_id)
    if check is None:
        raise NotFound("no such check")
    return check


def diner_in_check(diner_id: int, check_id: int, db: Session | None = None) -> bool:
    """A diner may see a check (every round of it), and pay it, once seated at it: they opened the
    table's code while it was open, or ordered in it (``services.seating``)."""
    return seating.seated(db or models.db.session(), diner_id, check_id)


def cancel_line(who: Orderer, order_id: int, line_id: int, reason: str = "") -> Order:
    """Take one line off an order: a diner until the kitchen starts it, staff (a void) any time
    before the check is paid, with a reason.

    The order total drops by the line, limited stock comes back, the kitchen's ticket loses the
    line, and an order left with no lines is cancelled. Raises NotFound (unknown, another
    store's, or a diner not at that table), InvalidState (kitchen started, already cancelled,
    already paid, or the total would fall under what is paid or being paid on the check),
    ValidationFailed (a void without a reason).
    """
    with transaction() as tx:
        order = tx.session.execute(select(Order).where(Order.id == order_id)).scalar_one_or_none()
        if order is None or not _may_change(tx.session, who, order):
            raise NotFound("no such order")
        # Lock order: table, check, order (as payments do), then re-read the order under it.
        if order.table_id is not None:
            tables.lock_table(tx.session, order.table_id)
        check = ledger.lock_check(tx.session, order.table_session_id)
        assert check is not None
        order = tx.session.execute(
            select(Order).where(Order.id == order_id).with_for_update().execution_options(populate_existing=True)
        ).scalar_one()
        line = next((ln for ln in order.items if ln.id == line_id), None)
        if line is None:
            raise NotFound("no such line on this order")
        if line.status == "cancelled":
            raise InvalidState("this line is already cancelled")
        is_staff = who.staff_id is not None
        # Refund first, then void (docs/payments.md): once money went back, staff may take the line
        # off, as long as the check still covers what is paid (``_keep_covering``).
        if order.payment_status != "unpaid" and not (is_staff and order.payment_status in REFUNDED):
            raise InvalidState("the order is paid: refund it instead")
        if not is_staff and line.status not in order_state.DINER_CANCELLABLE:
            raise InvalidState("the kitchen has started this dish; ask a member of staff")
        if is_staff and not reason.strip():
            raise ValidationFailed("a void needs a reason", {"reason": ["required"]})
        order_total_before = order.total
        stock.give_back_line(tx, order.store_id, line)  # before the kitchen started: back on hand
        line.status = order_state.item_transition(line.status, "cancelled")
        line.void_reason = reason.strip()[:200] if is_staff else "cancelled by diner"
        line.cancelled_by = who.staff_id
        before = ledger.ledger(tx.session, check)
        _set_total(order, sum(ln.line_total for ln in order.items if ln.status != "cancelled"))
        _keep_covering(before, before.total - order_total_before + order.total)
        if is_staff:
            audit.record(tx, order.store_id, who.staff_id, "order.void", "order_item", line.id,
                         {"status": "active", "line_total": line.line_total},
                         {"status": "cancelled", "reason": line.void_reason})
        _give_back_stock(tx, order.store_id, line.item_id, line.qty)
        withdraw_item(tx, line)
        if all(ln.status == "cancelled" for ln in order.items):
            order.status = order_state.order_transition(order.status, "cancelled")
        else:
            sync_order(tx, order)
        record_order_update(tx, order)
    return order


def _keep_covering(before: ledger.Ledger, new_total: int) -> None:
    """A cancel or void may not bring the total under what was paid or is being paid: the
    money would be more than the check owes (docs/payments.md). Refund first, then cancel."""
    if new_total < before.paid + before.in_flight:
        held = before.paid + before.in_flight
        raise InvalidState("{held} is paid or being paid on this check; cancelling this would leave "
                           "{total}: refund first", held=format_fen(held), total=format_fen(new_total))


def _may_change(db: Session, who: Orderer, order: Order) -> bool:
    if who.staff_id is not None:
        return who.staff_store_id == order.store_id
    return who.diner_id is not None and diner_in_check(who.diner_id, order.table_session_id, db)


def _give_back_stock(tx: Tx, store_id: int, item_id: int, qty: int) -> None:
    """Only a sell-out by its own daily stock (0 left, no ingredients' reason) is lifted: one by
    hand or by ingredients stays (docs/stock.md "By hand and by ingredients"). sold_out first: it
    reads the old stock on both databases (as in _take_stock)."""
    by_ingredients = select(StockSellout.item_id).where(StockSellout.item_id == item_id).exists()
    result = tx.session.execute(
        update(Item).where(Item.id == item_id, Item.store_id == store_id, Item.stock.is_not(None))
        .ordered_values((Item.sold_out, case((and_(Item.stock == 0, ~by_ingredients), False), else_=Item.sold_out)),
                        (Item.stock, Item.stock + qty)).execution_options(synchronize_session=False)
    )
    if result.rowcount:  # type: ignore[attr-defined]
        stock, sold_out = tx.session.execute(select(Item.stock, Item.sold_out).where(Item.id == item_id)).one()
        announce_availability(tx, store_id, item_id, sold_out=bool(sold_out), stock=stock)


def close_check(store_id: int, table_session_id: int, staff_id: int | None = None) -> TableSession:
    """Staff clear the table: the check closes once nothing is due, and its cart is dropped.

    Raises NotFound (unknown or another store's), InvalidState (already closed, money due, more
    paid than owed, a WeChat payment in progress).
    """
    with transaction() as tx:
        check = tx.session.execute(
            select(TableSession).where(TableSession.id == table_session_id, TableSession.store_id == store_id)
        ).scalar_one_or_none()
        if check is None:
            raise NotFound("no such check")
        if check.table_id is not None:
            tables.lock_table(tx.session, check.table_id)
        check = ledger.lock_check(tx.session, table_session_id)
        assert check is not None
        if check.status != "open":
            raise InvalidState("this check is already closed")
        money = ledger.ledger(tx.session, check)
        if money.due > 0:
            raise InvalidState("{due} still due on this check", due=format_fen(money.due))
        if money.overpaid > 0:  # a table is never cleared holding more than it owed
            raise InvalidState("{overpaid} more was paid than this check's total: refund it first",
                               overpaid=format_fen(money.overpaid))
        if money.in_flight > 0:
            raise InvalidState("a WeChat payment on this check is still in progress")
        clear_cart(tx, check)
        check.status, check.open_key, check.closed_at = "closed", None, utcnow()
        if check.table_id is not None:  # who cleared which table, for the owner's audit log
            audit.record(tx, store_id, staff_id, "table.clear", "table", check.table_id, None, {"check": check.id})
    return check
