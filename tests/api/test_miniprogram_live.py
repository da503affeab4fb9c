"""The mini-program's own modules run a whole visit against the real server (sandbox mode):
Node plays wx.request with fetch; login, table, menu with options, the shared cart (quantity by
POST), the round, a call for the bill, paying through the sandbox and seeing the check paid once
WeChat's notify is credited."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from models import TableSession, db
from tests.helpers import make_item, make_store, make_table, token_of

ROOT = Path(__file__).resolve().parents[2]


def test_a_whole_visit_through_the_mini_programs_modules(app, live_server):
    store = make_store(pay_mode="pay_later", name="川味小厨")
    table = make_table(store, code="M1")
    make_item(store, name="水煮鱼", price=6800, groups=[("辣度", 1, 1, [("微辣", 0), ("特辣", 200)])])
    node = shutil.which("node")
    assert node
    run = subprocess.run([node, "miniprogram/tests/live/visit.js", live_server, token_of(table)],  # noqa: S603
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    visit = json.loads(run.stdout)
    assert (visit["store"], visit["table"], visit["qty"]) == ("川味小厨", "M1", 2)
    assert visit["order"]["total"] == 2 * 6800 and visit["dueBefore"] == 2 * 6800 and visit["canPay"]
    assert (visit["call"], visit["outcome"], visit["paid"], visit["due"]) == ("bill", "paid", 13600, 0)
    db.session.remove()
    check = db.session.query(TableSession).filter_by(table_id=table.id).one()
    assert (check.total, check.paid) == (13600, 13600)
    db.session.commit()
