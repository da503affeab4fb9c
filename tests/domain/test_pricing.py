"""Pricing rules, with no database: the server prices every line from the menu."""
from __future__ import annotations

import pytest

from domain.errors import SoldOut, ValidationFailed
from domain.money import format_fen
from domain.pricing import LineRequest, MenuGroup, MenuItem, MenuOption, price_order

SPICE = MenuGroup(1, "辣度", 1, 1, (MenuOption(11, "微辣", 0), MenuOption(12, "特辣", 0)))
EXTRAS = MenuGroup(2, "加料", 0, 2,
                   (MenuOption(21, "加蛋", 200), MenuOption(22, "加肉", 800), MenuOption(23, "加饭", 200)))
SMALL = MenuGroup(3, "份量", 0, 1, (MenuOption(31, "小份", -400),))
NOODLES = MenuItem(1, "担担面", 1800, "hot", groups=(SPICE, EXTRAS, SMALL))
TEA = MenuItem(2, "柠檬茶", 1200, "bar", stock=3)
MENU = {1: NOODLES, 2: TEA}


def test_unit_price_is_item_price_plus_option_deltas():
    priced = price_order(MENU, [LineRequest(1, 2, (12, 21, 22), "少麻")])
    line = priced.lines[0]
    assert line.unit_price == 1800 + 200 + 800 and line.line_total == 2 * 2800
    assert [o.name for o in line.options] == ["特辣", "加蛋", "加肉"] and line.note == "少麻"
    assert priced.total == 5600


def test_negative_delta_lowers_the_price():
    assert price_order(MENU, [LineRequest(1, 1, (11, 31))]).total == 1400


def test_total_adds_every_line():
    assert price_order(MENU, [LineRequest(1, 1, (11,)), LineRequest(2, 3)]).total == 1800 + 3 * 1200


@pytest.mark.parametrize("option_ids", [(), (11, 12)])
def test_required_group_needs_exactly_its_count(option_ids):
    with pytest.raises(ValidationFailed):
        price_order(MENU, [LineRequest(1, 1, option_ids)])


def test_too_many_choices_in_a_group_are_refused():
    with pytest.raises(ValidationFailed):
        price_order(MENU, [LineRequest(1, 1, (11, 21, 22, 23))])


def test_an_option_of_another_item_or_twice_is_refused():
    with pytest.raises(ValidationFailed):
        price_order(MENU, [LineRequest(2, 1, (11,))])
    with pytest.raises(ValidationFailed):
        price_order(MENU, [LineRequest(1, 1, (11, 21, 21))])


@pytest.mark.parametrize("qty", [0, -1, 100])
def test_quantity_is_bounded(qty):
    with pytest.raises(ValidationFailed):
        price_order(MENU, [LineRequest(2, qty)])


def test_unknown_item_and_empty_order_are_refused():
    with pytest.raises(ValidationFailed):
        price_order(MENU, [LineRequest(99, 1)])
    with pytest.raises(ValidationFailed):
        price_order(MENU, [])


def test_stock_counts_every_line_of_the_same_item():
    price_order(MENU, [LineRequest(2, 3)])
    with pytest.raises(SoldOut):
        price_order(MENU, [LineRequest(2, 2), LineRequest(2, 2)])
    with pytest.raises(SoldOut):
        price_order({2: MenuItem(2, "柠檬茶", 1200, "bar", sold_out=True)}, [LineRequest(2, 1)])


@pytest.mark.parametrize(("fen", "text"), [(1250, "¥12.50"), (5, "¥0.05"), (0, "¥0.00"), (-400, "-¥4.00"),
                                           (123456789, "¥1234567.89")])
def test_money_shows_as_yuan_with_two_decimals(fen, text):
    assert format_fen(fen) == text
