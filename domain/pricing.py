"""Pricing an order line from the menu, never from the client.

The menu is passed in as plain values (``MenuItem``), so these rules run without a database.
A line is valid when every chosen option belongs to the item, each group's choice count is
within its min/max, and the quantity is sane. Unit price = item price + option deltas.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from domain.errors import NotAvailable, SoldOut, ValidationFailed

MAX_QTY = 99
MAX_LINES = 50


@dataclass(frozen=True)
class MenuOption:
    id: int
    name: str
    price_delta: int


@dataclass(frozen=True)
class MenuGroup:
    id: int
    name: str
    min_select: int
    max_select: int
    options: tuple[MenuOption, ...]


@dataclass(frozen=True)
class MenuItem:
    id: int
    name: str
    price: int
    station: str
    sold_out: bool = False
    stock: int | None = None
    groups: tuple[MenuGroup, ...] = ()
    available_from: str | None = None  # "HH:MM", store time
    available_until: str | None = None

    def available_at(self, hhmm: str) -> bool:
        """Whether the item can be ordered at this store-local time ("HH:MM")."""
        return within_hours(hhmm, self.available_from, self.available_until)


@dataclass(frozen=True)
class LineRequest:
    item_id: int
    qty: int
    option_ids: tuple[int, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class PricedLine:
    item_id: int
    name: str
    station: str
    qty: int
    options: tuple[MenuOption, ...]
    unit_price: int
    line_total: int
    note: str = ""

    def options_snapshot(self) -> list[dict[str, object]]:
        return [{"id": o.id, "name": o.name, "price_delta": o.price_delta} for o in self.options]


@dataclass
class PricedOrder:
    lines: list[PricedLine] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(line.line_total for line in self.lines)


MAX_SERVICE_CHARGE_BP = 3000  # 30%


def service_charge(subtotal: int, bp: int) -> int:
    """The service charge on ``subtotal`` fen at ``bp`` basis points, rounded half up to a fen."""
    if not 0 <= bp <= MAX_SERVICE_CHARGE_BP:
        raise ValueError(f"service charge {bp} bp out of range")
    return (subtotal * bp + 5000) // 10000


def within_hours(hhmm: str, start: str | None, end: str | None) -> bool:
    """Whether store-local time ``hhmm`` falls in [start, end); both None: always; end < start wraps midnight."""
    if start is None and end is None:
        return True
    start, end = start or "00:00", end or "24:00"
    if start <= end:
        return start <= hhmm < end
    return hhmm >= start or hhmm < end  # e.g. a late-night menu, 22:00 to 02:00


def price_line(item: MenuItem, req: LineRequest, index: int = 0) -> PricedLine:
    where = f"items.{index}"
    if not 1 <= req.qty <= MAX_QTY:
        raise ValidationFailed("quantity out of range", {f"{where}.qty": [f"1 to {MAX_QTY}"]})
    if item.sold_out or (item.stock is not None and item.stock < req.qty):
        raise SoldOut("{name} is sold out", {f"{where}.item_id": ["sold out"]}, name=item.name)
    if len(set(req.option_ids)) != len(req.option_ids):
        raise ValidationFailed("option chosen twice", {f"{where}.option_ids": ["duplicate option"]})
    by_id = {o.id: (g, o) for g in item.groups for o in g.options}
    unknown = [oid for oid in req.option_ids if oid not in by_id]
    if unknown:
        raise ValidationFailed("unknown option", {f"{where}.option_ids": [f"not an option of this item: {unknown}"]})
    chosen = [by_id[oid][1] for oid in req.option_ids]
    for group in item.groups:
        n = sum(1 for oid in req.option_ids if by_id[oid][0].id == group.id)
        if n < group.min_select or n > group.max_select:
            raise ValidationFailed(
                "choose {min}–{max} of {group}",
                {f"{where}.option_ids": [f"group {group.id} needs {group.min_select} to {group.max_select}"]},
                min=group.min_select, max=group.max_select, group=group.name,
            )
    unit = item.price + sum(o.price_delta for o in chosen)
    if unit < 0:
        raise ValidationFailed("price below zero", {f"{where}.option_ids": ["options make the price negative"]})
    return PricedLine(
        item_id=item.id, name=item.name, station=item.station, qty=req.qty,
        options=tuple(chosen), unit_price=unit, line_total=unit * req.qty, note=req.note,
    )


def price_order(menu: dict[int, MenuItem], lines: list[LineRequest], now_hhmm: str | None = None) -> PricedOrder:
    """Price every line; raise ValidationFailed (unknown item, bad options, outside its hours)
    or SoldOut. ``now_hhmm`` is the store's local time; None skips the hours check."""
    if not lines:
        raise ValidationFailed("an order needs at least one item", {"items": ["empty"]})
    if len(lines) > MAX_LINES:
        raise ValidationFailed("too many lines", {"items": [f"at most {MAX_LINES}"]})
    priced = PricedOrder()
    wanted: dict[int, int] = {}
    for i, req in enumerate(lines):
        item = menu.get(req.item_id)
        if item is None:
            raise ValidationFailed("unknown item", {f"items.{i}.item_id": ["not on this store's menu"]})
        if now_hhmm is not None and not item.available_at(now_hhmm):
            hours = f"{item.available_from or '00:00'}–{item.available_until or '24:00'}"
            raise NotAvailable("{name} is served {hours}", {f"items.{i}.item_id": ["not available at this hour"]},
                               name=item.name, hours=hours)
        priced.lines.append(price_line(item, req, i))
        wanted[item.id] = wanted.get(item.id, 0) + req.qty
    for item_id, qty in wanted.items():
        stock = menu[item_id].stock
        if stock is not None and stock < qty:
            raise SoldOut("{name}: only {stock} left", {"items": [f"item {item_id} short"]}, name=menu[item_id].name,
                          stock=stock)
    return priced


# Contract: an order or payment over ¥100,000 gets 422. Holding the whole check to it keeps every
# payment of the check under it too, and every sum well inside a 32-bit column.
MAX_CHECK_TOTAL = 10_000_000  # fen
DEFAULT_MAX_PORTIONS_ROUND = 200
DEFAULT_MAX_PORTIONS_CHECK = 500


@dataclass(frozen=True)
class RoundLimits:
    """The store's caps on one round (order) and on the check it joins, in portions."""

    portions_per_round: int = DEFAULT_MAX_PORTIONS_ROUND
    portions_per_check: int = DEFAULT_MAX_PORTIONS_CHECK


def check_round(total: int, portions: int, check_total: int, check_portions: int, limits: RoundLimits) -> None:
    """Refuse a round (ValidationFailed) that is too big by itself or for the check it joins.

    ``total`` is the round's total with service charge; ``check_*`` what the check already
    holds, cancelled lines left out.
    """
    if portions > limits.portions_per_round:
        raise ValidationFailed("at most {n} portions in one round",
                               {"items": [f"{portions} portions; at most {limits.portions_per_round} per round"]},
                               n=limits.portions_per_round)
    if check_portions + portions > limits.portions_per_check:
        left = max(limits.portions_per_check - check_portions, 0)
        raise ValidationFailed("at most {n} portions on one check",
                               {"items": [f"{left} more portions allowed on this check"]}, n=limits.portions_per_check)
    if total > MAX_CHECK_TOTAL or check_total + total > MAX_CHECK_TOTAL:
        raise ValidationFailed("an order or check may not pass ¥100,000",
                               {"items": [f"the check would come to {check_total + total} fen; "
                                          f"at most {MAX_CHECK_TOTAL}"]})
