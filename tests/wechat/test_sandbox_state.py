"""A sandbox made by an older version keeps its orders after an upgrade: a demo's payments still
waiting can be queried and refunded."""
from __future__ import annotations

import sqlite3

from wechat.sandbox import state

OLD_SCHEMA = """
CREATE TABLE pay_orders (out_trade_no TEXT PRIMARY KEY, mchid TEXT, appid TEXT, prepay_id TEXT UNIQUE, total INTEGER,
    openid TEXT, notify_url TEXT, description TEXT, trade_state TEXT, transaction_id TEXT, success_time TEXT,
    created_at REAL);
CREATE TABLE pay_refunds (out_refund_no TEXT PRIMARY KEY, out_trade_no TEXT, refund_id TEXT, amount INTEGER);
"""


def test_an_old_sandbox_gains_the_new_columns_and_keeps_its_rows(tmp_path):
    folder = tmp_path / "wechat-sandbox"
    folder.mkdir()
    old = sqlite3.connect(folder / "state.db")
    old.executescript(OLD_SCHEMA)
    old.execute("INSERT INTO pay_orders VALUES ('DC1-OLD', '1900000001', 'wx1', 'wxprepay', 500, 'o1', "
                "'http://x/notify', '点餐', 'SUCCESS', '4200OLD', '2026-12-01T12:00:00+08:00', 0)")
    old.execute("INSERT INTO pay_refunds VALUES ('RF1', 'DC1-OLD', '5030OLD', 100)")
    old.commit()
    old.close()
    with state.connect(str(tmp_path), write=False) as conn:
        order = conn.execute("SELECT * FROM pay_orders").fetchone()
        refund = conn.execute("SELECT * FROM pay_refunds").fetchone()
    assert (order["out_trade_no"], order["trade_type"], order["transaction_id"]) == ("DC1-OLD", "JSAPI", "4200OLD")
    assert (refund["amount"], refund["status"]) == (100, "SUCCESS")
