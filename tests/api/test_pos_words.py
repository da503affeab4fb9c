"""One English word, three meanings on the cashier page: "Done" for a call dealt with (已处理), a dialog's
close button (完成) and a dish the kitchen finished (已做好) — message contexts keep them apart."""
from __future__ import annotations

from flask_babel import force_locale

from web.pos import pos_strings


def test_done_reads_by_its_meaning_in_chinese(app) -> None:
    with app.test_request_context("/pos"), force_locale("zh_CN"):
        words = pos_strings()
    assert words["handled"] == "已处理"
    assert words["done"] == "完成"
    assert words["line_done"] == "已做好"


def test_done_is_done_in_english(app) -> None:
    with app.test_request_context("/pos"), force_locale("en"):
        words = pos_strings()
    assert words["handled"] == words["done"] == words["line_done"] == "Done"
