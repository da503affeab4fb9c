"""What goes on paper: kitchen tickets, void and moved slips, test pages and receipts, as lines.

Pure layout, no printer: each function turns a print job's payload (plain data) into ``Line``s
for a paper width; ``printers/`` turns lines into ESC/POS bytes or a cloud printer's markup.
Widths are counted in half-width columns: a Chinese character takes two, and double-size text
takes twice as many.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from domain.money import format_fen


def yuan(fen: int) -> str:
    # The full-width sign: the half-width ¥ is outside GB2312, which many printers' fonts stop at.
    return format_fen(fen, "￥")


# Font A columns (12 dots a column, 576 / 384 printable dots) on the two usual rolls.
COLUMNS = {80: 48, 58: 32}
PAPER_WIDTHS = tuple(COLUMNS)


@dataclass(frozen=True)
class Line:
    text: str = ""
    big: bool = False  # double width and height: dishes, the table
    bold: bool = False
    align: str = "left"  # left | center | right


def columns_of(text: str) -> int:
    """Half-width columns the text takes: full-width (CJK) characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def wrap(text: str, width: int) -> list[str]:
    """Break text into pieces of at most ``width`` columns (never splitting a character)."""
    pieces, current, used = [], "", 0
    for ch in text:
        w = columns_of(ch)
        if used + w > width and current:
            pieces.append(current)
            current, used = "", 0
        current += ch
        used += w
    pieces.append(current)
    return pieces


def _wrapped(text: str, columns: int, big: bool = False, bold: bool = False, align: str = "left") -> list[Line]:
    width = columns // 2 if big else columns
    return [Line(piece, big=big, bold=bold, align=align) for piece in wrap(text, width)]


def _two_sides(left: str, right: str, columns: int) -> Line:
    """``left`` and ``right`` on one line, the right one flush with the edge (prices)."""
    gap = columns - columns_of(left) - columns_of(right)
    if gap < 1:
        left = wrap(left, max(columns - columns_of(right) - 1, 1))[0]
        gap = columns - columns_of(left) - columns_of(right)
    return Line(left + " " * max(gap, 1) + right)


def local_time(iso: str | None, tz: str) -> str:
    if not iso:
        return ""
    moment = datetime.fromisoformat(iso)
    return moment.astimezone(ZoneInfo(tz)).strftime("%m-%d %H:%M")


def _where(data: dict[str, Any]) -> str:
    """Pickup orders are called by number; table orders go to the table."""
    if data.get("pickup_number"):
        return f"取餐号 {data['pickup_number']}"
    return f"{data.get('table_code') or '-'} 桌"


def _rule(columns: int, ch: str = "-") -> Line:
    return Line(ch * columns)


def _dish_lines(items: list[dict[str, Any]], columns: int) -> list[Line]:
    lines: list[Line] = []
    for it in items:
        lines += _wrapped(f"{it['name']} x{it['qty']}", columns, big=True, bold=True)
        if it.get("options"):
            lines += _wrapped("  " + "、".join(it["options"]), columns, bold=True)
        if it.get("note"):
            lines += _wrapped(f"  备注：{it['note']}", columns, bold=True)
    return lines


def _header(payload: dict[str, Any], title: str, columns: int) -> list[Line]:
    data = payload["ticket"]
    lines = _wrapped(payload.get("store", ""), columns, align="center")
    lines += _wrapped(title, columns, big=True, bold=True, align="center")
    lines += _wrapped(_where(data), columns, big=True, bold=True)
    lines.append(Line(f"单号 {data['order_number']}   {data.get('station_name') or data.get('station', '')}"))
    lines.append(Line(f"时间 {local_time(payload.get('at') or data.get('created_at'), payload.get('tz', 'UTC'))}"))
    lines.append(_rule(columns))
    return lines


def ticket_lines(payload: dict[str, Any], columns: int) -> list[Line]:
    """A kitchen ticket: where it goes, the order number, the time, the dishes large, the remark."""
    data = payload["ticket"]
    lines = _header(payload, "厨房单" if not payload.get("reprint") else "厨房单（重印）", columns)
    lines += _dish_lines(data["items"], columns)
    if data.get("remark"):
        lines.append(_rule(columns))
        lines += _wrapped(f"整单备注：{data['remark']}", columns, big=True, bold=True)
    lines.append(_rule(columns))
    return lines


def void_lines(payload: dict[str, Any], columns: int) -> list[Line]:
    """A void slip: these dishes of an already printed ticket are not to be cooked."""
    title = "整单取消" if payload.get("whole_ticket") else "退菜单"
    lines = _header(payload, title, columns)
    lines += _dish_lines(payload["items"], columns)
    if payload.get("reason"):
        lines += _wrapped(f"原因：{payload['reason']}", columns, bold=True)
    lines.append(_rule(columns))
    lines += _wrapped("以上菜品不要做", columns, big=True, bold=True, align="center")
    return lines


def moved_lines(payload: dict[str, Any], columns: int) -> list[Line]:
    """A moved slip: the dishes of these orders now go to another table."""
    lines = _wrapped(payload.get("store", ""), columns, align="center")
    lines += _wrapped("转台单", columns, big=True, bold=True, align="center")
    lines += _wrapped(f"{payload['from_table']} → {payload['to_table']}", columns, big=True, bold=True)
    numbers = "、".join(str(n) for n in payload.get("order_numbers", []))
    lines.append(Line(f"单号 {numbers}"))
    lines.append(Line(f"时间 {local_time(payload.get('at'), payload.get('tz', 'UTC'))}"))
    lines.append(_rule(columns))
    return lines


def test_lines(payload: dict[str, Any], columns: int) -> list[Line]:
    lines = _wrapped(payload.get("store", ""), columns, align="center")
    lines += _wrapped("打印测试", columns, big=True, bold=True, align="center")
    lines.append(Line(f"打印机：{payload.get('printer', '')}"))
    lines.append(Line(f"纸宽 {payload.get('paper_width', '')} mm，每行 {columns} 字符"))
    lines.append(Line(f"时间 {local_time(payload.get('at'), payload.get('tz', 'UTC'))}"))
    lines.append(_rule(columns))
    lines.append(Line("中文 GB18030：宫保鸡丁 麻婆豆腐 ￥38.00"))
    lines.append(Line("1234567890" * (columns // 10)))
    return lines


def receipt_lines(payload: dict[str, Any], columns: int) -> list[Line]:
    """The guest's receipt: every line with its price, the service charge, total, paid, due."""
    lines = _wrapped(payload.get("store", ""), columns, big=True, bold=True, align="center")
    lines += _wrapped(payload.get("title", "结账单"), columns, align="center")
    lines.append(Line(_where(payload)))
    lines.append(Line(f"时间 {local_time(payload.get('at'), payload.get('tz', 'UTC'))}"))
    lines.append(_rule(columns))
    for it in payload.get("items", []):
        lines.append(_two_sides(f"{it['name']} x{it['qty']}", yuan(it["line_total"]), columns))
        if it.get("options"):
            lines += _wrapped("  " + "、".join(it["options"]), columns)
    lines.append(_rule(columns))
    for label, key in (("服务费", "service_charge"), ("合计", "total"), ("已付", "paid"), ("应付", "due")):
        if key in payload and (key != "service_charge" or payload[key]):
            lines.append(_two_sides(label, yuan(payload[key]), columns))
    for text in payload.get("footer", []):
        lines += _wrapped(text, columns, align="center")
    return lines


LAYOUTS = {"ticket": ticket_lines, "void": void_lines, "moved": moved_lines, "test": test_lines,
           "receipt": receipt_lines}


def layout(kind: str, payload: dict[str, Any], paper_width: int) -> list[Line]:
    """The lines of a job of ``kind`` on a roll ``paper_width`` mm wide."""
    return LAYOUTS[kind](payload, COLUMNS[paper_width])
