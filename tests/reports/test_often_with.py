"""Often ordered with: the dishes most often in the same round over the last 30 days, counted per
round (not per portion), only the store's own, nothing older than 30 days, nothing off the menu."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from models import Category, Item, Order, OrderItem, TableSession, db
from services.together import forget_cache
from tests.helpers import make_store, make_table, unique


def _menu(store, names):  # type: ignore[no-untyped-def]
    cat = Category(store_id=store.id, name="菜")
    db.session.add(cat)
    db.session.flush()
    items = [Item(store_id=store.id, category_id=cat.id, name=n, price=1000, station="hot") for n in names]
    db.session.add_all(items)
    db.session.flush()
    return [i.id for i in items]


def _round(store, table, check, dishes, at, status="served", line_status="done"):  # type: ignore[no-untyped-def]
    order = Order(store_id=store.id, table_session_id=check.id, table_id=table.id, client_key=unique("k"),
                  number=int(datetime.now().timestamp() * 1e6) % 2_000_000_000, status=status, total=0,
                  created_at=at)
    order.items = [OrderItem(store_id=store.id, item_id=i, name="x", station="hot", qty=q, options=[], unit_price=1000,
                             line_total=1000 * q, status=line_status) for i, q in dishes]
    db.session.add(order)
    db.session.flush()


def test_pairs_are_counted_per_round_over_the_last_30_days(client):
    store, other = make_store(), make_store()
    table = make_table(store)
    rice, fish, soup, tea, gone = _menu(store, ["米饭", "水煮鱼", "汤", "茶", "下架菜"])
    check = TableSession(store_id=store.id, table_id=table.id, status="open")
    db.session.add(check)
    db.session.flush()
    now = datetime.now(UTC)
    for _ in range(3):
        _round(store, table, check, [(fish, 1), (rice, 4)], now - timedelta(days=1))  # 4 bowls still count once
    _round(store, table, check, [(fish, 1), (soup, 1)], now - timedelta(days=2))
    _round(store, table, check, [(fish, 1), (tea, 1)], now - timedelta(days=40))  # too old
    _round(store, table, check, [(fish, 1), (tea, 1)], now, status="cancelled")
    _round(store, table, check, [(fish, 1), (gone, 1)], now)
    _round(store, table, check, [(fish, 1), (gone, 1)], now)
    db.session.get(Item, gone).active = False
    db.session.commit()
    forget_cache()
    got = client.get(f"/api/v1/stores/{store.id}/often-ordered-with").get_json()["items"]
    assert got[str(fish)] == [{"item_id": rice, "name": "米饭", "count": 3},
                              {"item_id": soup, "name": "汤", "count": 1}]
    assert got[str(rice)] == [{"item_id": fish, "name": "水煮鱼", "count": 3}]
    assert str(tea) not in got
    assert client.get(f"/api/v1/stores/{other.id}/often-ordered-with").get_json()["items"] == {}
