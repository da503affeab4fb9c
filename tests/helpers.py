"""Factories and small helpers shared by the tests: ``make_store()``, ``make_item(store, …)``, …"""
from __future__ import annotations

import uuid
from typing import Any

import requests

from models import Area, Category, Item, Option, OptionGroup, Staff, Store, Table, db
from services.staff import hash_password
from services.stores import create_store
from services.tables import qr_token


def unique(prefix: str = "s") -> str:
    return f"{prefix}{uuid.uuid4().hex[:10]}"


def make_store(pay_mode: str = "pay_later", **kw: Any) -> Store:
    """A fresh store with an owner (password ``owner-pass``); each test gets its own tenant."""
    store = create_store(kw.get("slug", unique("st")), kw.get("name", "测试小馆"), "owner", "owner-pass",
                         pay_mode=pay_mode)
    db.session.remove()
    return store


def make_staff(store: Store, role: str, username: str | None = None, password: str = "pass-word-1") -> Staff:
    member = Staff(store_id=store.id, username=username or unique(role), name=role, role=role,
                   password_hash=hash_password(password))
    db.session.add(member)
    db.session.commit()
    db.session.remove()
    return member


def make_table(store: Store, code: str = "A1", area: str | None = "大厅") -> Table:
    area_row = None
    if area:
        area_row = Area(store_id=store.id, name=unique(area))
        db.session.add(area_row)
        db.session.flush()
    table = Table(store_id=store.id, code=code, area_id=area_row.id if area_row else None)
    db.session.add(table)
    db.session.commit()
    db.session.remove()
    return table


def make_item(store: Store, **overrides: Any) -> Item:
    """An item in its own category; ``groups=[(name, min, max, [(option, delta), …])]``."""
    groups = overrides.pop("groups", [])
    cat = Category(store_id=store.id, name=overrides.pop("category", "热菜"))
    db.session.add(cat)
    db.session.flush()
    fields = {"name": "宫保鸡丁", "price": 3800, "station": "hot", "description": ""} | overrides
    item = Item(store_id=store.id, category_id=cat.id, **fields)
    for gname, gmin, gmax, opts in groups:
        group = OptionGroup(store_id=store.id, name=gname, min_select=gmin, max_select=gmax)
        group.options = [Option(store_id=store.id, name=o, price_delta=d) for o, d in opts]
        item.option_groups.append(group)
    db.session.add(item)
    db.session.commit()
    item_id = item.id
    db.session.remove()
    item = db.session.get(Item, item_id)
    assert item is not None
    for group in item.option_groups:
        list(group.options)
    db.session.commit()  # end the read: on SQLite an open transaction holds the write lock
    return item


def token_of(table: Table) -> str:
    return qr_token(table)


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def staff_token(client: Any, store: Store, username: str = "owner", password: str = "owner-pass") -> str:
    r = client.post("/api/v1/staff/login", json={"store": store.slug, "username": username, "password": password})
    assert r.status_code == 200, r.get_data(as_text=True)
    return r.get_json()["token"]


def sandbox_code(base_url: str, user: str | None = None) -> str:
    r = requests.post(f"{base_url}/wechat-sandbox/login", json={"user": user or unique("u")}, timeout=10)
    r.raise_for_status()
    return r.json()["code"]


def diner_token(client: Any, base_url: str, user: str | None = None) -> str:
    r = client.post("/api/v1/diner/login", json={"code": sandbox_code(base_url, user)})
    assert r.status_code == 200, r.get_data(as_text=True)
    return r.get_json()["token"]


def diner_token_in_process(client: Any = None, user: str | None = None) -> str:
    """A diner's token without WeChat (the openid as a verified login would give it); needs an app context."""
    from services.diners import sign_in

    return sign_in(f"o{unique(user or 'u')}")[0]


def order_body(table: Table, item: Item, qty: int = 1, option_ids: list[int] | None = None,
               client_key: str | None = None, note: str = "") -> dict[str, Any]:
    return {"table_token": token_of(table), "client_key": client_key or uuid.uuid4().hex, "remark": "",
            "items": [{"item_id": item.id, "qty": qty, "option_ids": option_ids or [], "note": note}]}


def close_test_payments(store: Store) -> None:
    """Payments a test planted as waiting: closed afterwards, so the reconcile of later tests
    (which looks at every store) never meets them."""
    from sqlalchemy import update

    from models import Payment

    db.session.execute(update(Payment).where(Payment.store_id == store.id, Payment.status.in_(("created", "paying")))
                       .values(status="closed"))
    db.session.commit()
