"""The demo store of the contract: tables A1–A8, a menu of 24 dishes, three staff accounts."""
from __future__ import annotations

from sqlalchemy import select

from domain.errors import InvalidState
from models import Area, Category, Item, Option, OptionGroup, Printer, Staff, Store, Table
from services.context import setting
from services.staff import hash_password
from services.stores import create_store
from services.uow import transaction

DEMO_SLUG = "demo"
SPICE = ("辣度", 1, 1, (("不辣", 0), ("微辣", 0), ("中辣", 0), ("特辣", 0)))
SIZE = ("份量", 1, 1, (("小份", -400), ("中份", 0), ("大份", 600)))
SUGAR = ("甜度", 1, 1, (("无糖", 0), ("少糖", 0), ("正常糖", 0)))
ICE = ("温度", 0, 1, (("常温", 0), ("少冰", 0), ("去冰", 0), ("热", 0)))
EXTRAS = ("加料", 0, 3, (("加蛋", 200), ("加芝士", 300), ("加肉", 800)))
RICE = ("主食", 0, 1, (("米饭", 200), ("面条", 300)))

MENU: list[tuple[str, list[tuple[str, int, str, tuple[tuple[str, int, int, tuple[tuple[str, int], ...]], ...]]]]] = [
    ("招牌热菜", [
        ("宫保鸡丁", 3800, "hot", (SPICE, RICE)),
        ("麻婆豆腐", 2600, "hot", (SPICE,)),
        ("水煮鱼", 6800, "hot", (SPICE, SIZE)),
        ("鱼香肉丝", 3200, "hot", (SPICE,)),
        ("红烧肉", 4800, "hot", (SIZE,)),
        ("回锅肉", 3600, "hot", (SPICE,)),
        ("番茄炒蛋", 2200, "hot", ()),
        ("干煸四季豆", 2400, "hot", (SPICE,)),
    ]),
    ("凉菜", [
        ("拍黄瓜", 1200, "cold", ()),
        ("夫妻肺片", 3200, "cold", (SPICE,)),
        ("口水鸡", 3600, "cold", (SPICE,)),
        ("凉拌木耳", 1600, "cold", ()),
        ("皮蛋豆腐", 1400, "cold", ()),
    ]),
    ("主食小吃", [
        ("扬州炒饭", 2200, "hot", (EXTRAS,)),
        ("担担面", 1800, "hot", (SPICE, EXTRAS)),
        ("酸辣粉", 1600, "hot", (SPICE,)),
        ("小笼包（6只）", 2000, "hot", ()),
        ("红糖糍粑", 1800, "hot", ()),
    ]),
    ("饮品", [
        ("柠檬茶", 1200, "bar", (SUGAR, ICE)),
        ("酸梅汤", 1000, "bar", (ICE,)),
        ("鲜榨橙汁", 1800, "bar", (ICE,)),
        ("珍珠奶茶", 1500, "bar", (SUGAR, ICE)),
        ("青岛啤酒", 1200, "bar", ()),
        ("矿泉水", 400, "bar", ()),
    ]),
]


# Packaged drinks carry their barcode (EAN-13), so the cashier's scan has something to find.
SHELF_CODES = {"青岛啤酒": "6901035603751", "矿泉水": "6921168509256"}


def seed_demo() -> Store | None:
    """Create the demo store unless it exists. Returns the new store, or None if it was there.

    Raises InvalidState unless the WeChat sandbox is on: the demo's passwords are public, so
    they must never exist on a server taking real payments.
    """
    if not setting("WECHAT_SANDBOX"):
        raise InvalidState("the WeChat sandbox is off: no demo store (its passwords are public)")
    with transaction() as tx:
        if tx.session.execute(select(Store.id).where(Store.slug == DEMO_SLUG)).first():
            return None
    store = create_store(DEMO_SLUG, "点餐小馆", "owner", "owner-demo-pass", pay_mode="pay_later")
    with transaction() as tx:
        s = tx.session
        s.add_all([
            Staff(store_id=store.id, username="cashier", name="收银员", role="cashier",
                  password_hash=hash_password("cashier-demo-pass")),
            Staff(store_id=store.id, username="cook", name="厨师", role="cook",
                  password_hash=hash_password("cook-demo-pass")),
        ])
        hall = Area(store_id=store.id, name="大厅", sort=0)
        s.add(hall)
        s.flush()
        for n in range(1, 9):
            s.add(Table(store_id=store.id, area_id=hall.id, code=f"A{n}", seats=4 if n < 7 else 6))
        for ci, (cat_name, dishes) in enumerate(MENU):
            cat = Category(store_id=store.id, name=cat_name, sort=ci)
            s.add(cat)
            s.flush()
            for ii, (name, price, station, groups) in enumerate(dishes):
                item = Item(store_id=store.id, category_id=cat.id, name=name, price=price, station=station,
                            sort=ii, description="", code=SHELF_CODES.get(name))
                for gi, (gname, gmin, gmax, opts) in enumerate(groups):
                    group = OptionGroup(store_id=store.id, name=gname, min_select=gmin, max_select=gmax, sort=gi)
                    group.options = [Option(store_id=store.id, name=o, price_delta=d, sort=oi)
                                     for oi, (o, d) in enumerate(opts)]
                    item.option_groups.append(group)
                s.add(item)
    return store


DEMO_PRINTER = "厨房打印机"


def add_demo_printer(host: str, port: int) -> bool:
    """Give the demo store a network printer for every station and receipts (``make run`` points
    it at the printer emulator). Returns False when it is there already (or there is no demo store)."""
    from services.printers_admin import create_printer

    with transaction() as tx:
        store_id = tx.session.execute(select(Store.id).where(Store.slug == DEMO_SLUG)).scalar_one_or_none()
        if store_id is None or tx.session.execute(select(Printer.id).where(
                Printer.store_id == store_id, Printer.name == DEMO_PRINTER, Printer.deleted_at.is_(None))).first():
            return False
    create_printer(store_id, {"kind": "escpos", "name": DEMO_PRINTER, "host": host, "port": port,
                              "stations": ["hot", "cold", "bar"], "receipts": True, "paper_width": 80})
    return True
