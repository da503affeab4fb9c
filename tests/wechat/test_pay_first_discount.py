"""Pay first: a staff discount on the check (or on one of its lines) lowers what the diner's
WeChat payment for an order asks; the orders' payments add up to exactly what the check owes."""
from __future__ import annotations

import time
import uuid

import requests

from domain.checkout import order_share
from tests.helpers import auth, diner_token, make_item, make_staff, make_store, make_table, order_body, staff_token


def key() -> str:
    return uuid.uuid4().hex


def _setup(client, live_server, price=1800):
    store = make_store(pay_mode="pay_first")
    table, item = make_table(store), make_item(store, price=price)
    make_staff(store, "cashier", username="cash", password="cash-pass-1")
    cashier = staff_token(client, store, "cash", "cash-pass-1")
    diner = diner_token(client, live_server)
    return store, table, item, cashier, diner


def _order(client, diner, table, item, qty=1):
    r = client.post("/api/v1/orders", json=order_body(table, item, qty=qty), headers=auth(diner))
    assert r.status_code == 201, r.get_json()
    return r.get_json()["order"]


def _discount(client, cashier, sid, **body):
    r = client.post(f"/api/v1/table-sessions/{sid}/discounts", headers=auth(cashier),
                    json={"client_key": key(), "reason": "老顾客"} | body)
    assert r.status_code == 201, r.get_json()
    return r.get_json()["session"]


def _pay(client, live_server, diner, order_id):
    """Start the order's WeChat payment and pay it in the sandbox's sheet; the amount asked."""
    r = client.post(f"/api/v1/orders/{order_id}/payments", json={"client_key": key()}, headers=auth(diner))
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    confirmed = requests.post(f"{live_server}/wechat-sandbox/pay/confirm",
                              json={"package": body["request_payment"]["package"]}, timeout=10)
    assert confirmed.json() == {"status": "SUCCESS"}
    for _ in range(100):  # the sandbox's signed notify reaches the live server
        view = client.get(f"/api/v1/orders/{order_id}", headers=auth(diner)).get_json()["order"]
        if view["payment_status"] == "paid":
            break
        time.sleep(0.1)
    assert (view["status"], view["payment_status"]) == ("accepted", "paid")  # and so to the kitchen
    return body["payment"]["amount"]


def _check(client, cashier, sid):
    return client.get(f"/api/v1/table-sessions/{sid}", headers=auth(cashier)).get_json()["session"]


def test_a_check_discount_lowers_the_pay_first_order_payment(client, live_server):
    _, table, item, cashier, diner = _setup(client, live_server)
    order = _order(client, diner, table, item)
    sid = order["table_session_id"]
    assert _discount(client, cashier, sid, kind="percent", value=10)["due"] == 1620
    assert _pay(client, live_server, diner, order["id"]) == 1620  # not the order's ¥18.00
    check = _check(client, cashier, sid)
    assert (check["total"], check["discount"], check["paid"], check["due"]) == (1800, 180, 1620, 0)


def test_discounts_on_a_check_of_three_orders_add_up_exactly(client, live_server):
    store, table, item, cashier, diner = _setup(client, live_server, price=1000)
    first = _order(client, diner, table, item)
    sid = first["table_session_id"]
    assert _pay(client, live_server, diner, first["id"]) == 1000  # paid before any discount: kept
    second, third = _order(client, diner, table, item, qty=2), _order(client, diner, table, item, qty=3)
    line = third["items"][0]["id"]
    _discount(client, cashier, sid, kind="amount", value=300, order_item_id=line)  # on the third order's line
    due = _discount(client, cashier, sid, kind="amount", value=101)["due"]  # on the whole check
    assert due == 2000 + 3000 - 300 - 101
    asked = [_pay(client, live_server, diner, second["id"]), _pay(client, live_server, diner, third["id"])]
    assert sum(asked) == due
    assert asked == [2000 - 101 * 2000 // 4700, 4599 - (2000 - 101 * 2000 // 4700)]
    check = _check(client, cashier, sid)
    assert (check["paid"], check["due"]) == (1000 + due, 0)


def test_order_shares_never_ask_more_than_is_free_and_the_last_takes_what_is_left():
    assert order_share(1800, 1800, 1620) == 1620
    assert order_share(2000, 4700, 4599) == 2000 - 101 * 2000 // 4700
    assert order_share(2700, 2700, 2657) == 2657
    assert order_share(1800, 1800, 2000) == 1800  # never more than the order
    assert order_share(1800, 3600, 0) == 0 and order_share(0, 0, 100) == 0
    for free in range(0, 3001, 7):
        left, asked = free, []
        nets = [1000, 700, 1300]
        for i, net in enumerate(nets):
            part = order_share(net, sum(nets[i:]), left)
            asked.append(part)
            left -= part
        assert sum(asked) == min(free, 3000) and all(0 <= a <= n for a, n in zip(asked, nets, strict=True))


def test_an_order_a_discount_leaves_owing_nothing_goes_to_the_kitchen(client, live_server):
    store, table, item, _, diner = _setup(client, live_server)
    owner = staff_token(client, store)
    make_staff(store, "cook", username="chef", password="cook-pass-1")
    cook = staff_token(client, store, "chef", "cook-pass-1")
    order = _order(client, diner, table, item)
    other = _order(client, diner, table, item, qty=2)
    assert client.get("/api/v1/kds/tickets", headers=auth(cook)).get_json()["tickets"] == []
    line = order["items"][0]["id"]
    _discount(client, owner, order["table_session_id"], kind="percent", value=100, order_item_id=line)  # 免单
    tickets = client.get("/api/v1/kds/tickets", headers=auth(cook)).get_json()["tickets"]
    assert [t["order_id"] for t in tickets] == [order["id"]]  # the free one cooks; the other waits for money
    view = client.get(f"/api/v1/orders/{order['id']}", headers=auth(diner)).get_json()["order"]
    assert (view["status"], view["payment_status"]) == ("accepted", "paid")
    assert _pay(client, live_server, diner, other["id"]) == 3600


def test_a_discount_while_a_payment_code_holds_the_money_sends_nothing_to_the_kitchen_as_paid(client, live_server):
    """Two orders of ¥18; the cashier charges ¥18 by payment code (the payer still typing), then
    takes ¥18 off the check: nothing is free, but nothing is paid either — no order is marked paid
    and cooked on the strength of a payment that may still fail."""
    from tests.api.codepay_helpers import paycode

    store, table, item, cashier, diner = _setup(client, live_server)
    first, second = _order(client, diner, table, item), _order(client, diner, table, item)
    sid = first["table_session_id"]
    code = client.post(f"/api/v1/table-sessions/{sid}/payments/code", headers=auth(cashier), json={
        "client_key": key(), "auth_code": paycode(live_server, password=True), "amount": 1800})
    assert code.status_code == 201 and code.get_json()["payment"]["status"] == "paying", code.get_json()
    make_staff(store, "owner", username="boss", password="boss-pass-1")
    _discount(client, staff_token(client, store, "boss", "boss-pass-1"), sid, kind="amount", value=1800)
    for order in (first, second):
        view = client.get(f"/api/v1/orders/{order['id']}", headers=auth(diner)).get_json()["order"]
        assert (view["status"], view["payment_status"]) == ("submitted", "unpaid")
    cancel = client.post(f"/api/v1/payments/{code.get_json()['payment']['id']}/cancel", headers=auth(cashier))
    assert cancel.status_code == 200, cancel.get_json()
    assert _check(client, cashier, sid)["due"] == 1800  # the diners can still pay what is owed
