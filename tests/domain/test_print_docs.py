"""Paper layouts and the printers' languages, without a printer: columns, GB18030 bytes, Feie markup."""
from __future__ import annotations

from domain.print_docs import columns_of, layout, wrap
from printers.escpos_network import CHINESE_MODE, EscposNetwork
from printers.feie import markup, signature

TICKET = {"store": "点餐小馆", "tz": "Asia/Shanghai", "ticket": {
    "order_number": 7, "table_code": "A1", "station": "hot", "station_name": "热菜",
    "created_at": "2026-12-03T04:05:00+00:00", "remark": "",
    "items": [{"name": "宫保鸡丁", "qty": 1, "options": ["微辣"], "note": ""}]}}


def test_chinese_characters_take_two_columns_and_wrap_whole():
    assert columns_of("宫保鸡丁x2") == 10
    assert wrap("水煮鱼水煮鱼水煮鱼", 7) == ["水煮鱼", "水煮鱼", "水煮鱼"]
    assert all(columns_of(p) <= 48 for line in layout("ticket", TICKET, 80) for p in [line.text])


def test_the_ticket_shows_local_time_and_big_dishes():
    lines = layout("ticket", TICKET, 58)
    assert any(line.text == "时间 12-03 12:05" for line in lines)  # Asia/Shanghai, not UTC
    dish = next(line for line in lines if line.text.startswith("宫保鸡丁"))
    assert dish.big and dish.bold


def test_escpos_bytes_are_gb18030_in_chinese_mode_not_the_magic_encoders_question_marks():
    data = EscposNetwork().render(layout("ticket", TICKET, 80), 80)
    assert data.startswith(b"\x1b@" + CHINESE_MODE)
    dish = "宫保鸡丁 x1".encode("gb18030")
    assert dish in data and b"\x1c!\x0c" + dish in data  # FS ! doubles the Chinese characters
    assert b"?" not in data and "微辣".encode("gb18030") in data
    assert data.endswith(b"\x1bd\x06\x1dV\x00")  # feed six lines, then cut


def test_feie_markup_escapes_angle_brackets_a_dish_name_could_carry():
    ticket = {**TICKET, "ticket": {**TICKET["ticket"], "items": [
        {"name": "<CUT>特价", "qty": 1, "options": [], "note": ""}]}}
    content = markup(layout("ticket", ticket, 58))
    assert content.count("<CUT>") == 1 and content.endswith("<CUT>") and "＜CUT＞特价" in content


def test_feie_signature_is_sha1_hex_of_user_ukey_stime():
    # sha1("abc") is the FIPS 180 test vector: the three parts are simply concatenated.
    assert signature("a", "b", "c") == "a9993e364706816aba3e25717850c26c9cd0d89d"
