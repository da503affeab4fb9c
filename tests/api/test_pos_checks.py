"""The check at the cashier: splits, paying by lines, cash with change, discounts within role limits,
moving and merging tables."""
from __future__ import annotations

import uuid

from sqlalchemy import select

from models import AuditLog, KitchenEvent, Table, db
from tests.helpers import auth, make_item, make_staff, make_store, make_table, staff_token


def key() -> str:
    return uuid.uuid4().hex


def _setup(client, price=10_000):
    store = make_store()
    make_staff(store, "cashier", username="cash", password="cash-pass-1")
    make_staff(store, "manager", username="boss", password="boss-pass-1")
    item = make_item(store, name="烤鱼", price=price)
    return store, item, staff_token(client, store, "cash", "cash-pass-1")


def _round(client, token, table, item, qty=1):
    r = client.post("/api/v1/pos/orders", headers=auth(token), json={
        "client_key": key(), "table_id": table.id, "items": [{"item_id": item.id, "qty": qty}]})
    assert r.status_code in (200, 201), r.get_json()
    return r.get_json()["order"]


def _check(client, token, sid):
    return client.get(f"/api/v1/table-sessions/{sid}", headers=auth(token)).get_json()["session"]


def test_split_shares_add_up_to_what_is_due(client):
    store, _, token = _setup(client)
    table = make_table(store)
    item = make_item(store, price=1000)
    order = _round(client, token, table, item)
    r = client.get(f"/api/v1/table-sessions/{order['table_session_id']}/split?ways=3", headers=auth(token))
    assert r.get_json() == {"due": 1000, "shares": [334, 333, 333]}
    assert client.get(f"/api/v1/table-sessions/{order['table_session_id']}/split?ways=0",
                      headers=auth(token)).status_code == 422


def test_paying_by_lines_pays_each_line_once_and_cash_gives_change(client):
    store, item, token = _setup(client, price=3620)
    table = make_table(store)
    order = _round(client, token, table, item)
    second = _round(client, token, table, item)
    sid = order["table_session_id"]
    line = order["items"][0]["id"]
    url = f"/api/v1/table-sessions/{sid}/payments/offline"
    r = client.post(url, json={"client_key": key(), "order_item_ids": [line], "tendered": 5000}, headers=auth(token))
    assert r.status_code == 201, r.get_json()
    assert (r.get_json()["payment"]["amount"], r.get_json()["payment"]["change"]) == (3620, 1380)
    again = client.post(url, json={"client_key": key(), "order_item_ids": [line]}, headers=auth(token))
    assert again.status_code == 409  # that line is paid
    short = client.post(url, json={"client_key": key(), "tendered": 100}, headers=auth(token))
    assert short.status_code == 422
    check = _check(client, token, sid)
    assert (check["total"], check["paid"], check["due"]) == (7240, 3620, 3620)
    assert check["payments"][0]["tendered"] == 5000 and check["payments"][0]["change"] == 1380
    other_line = second["items"][0]["id"]
    assert client.post(url, json={"client_key": key(), "order_item_ids": [other_line], "channel": "other"},
                       headers=auth(token)).status_code == 201
    assert _check(client, token, sid)["due"] == 0


def test_discount_within_the_cashiers_limit_lowers_what_is_due_and_is_audited(client):
    store, item, token = _setup(client)
    sid = _round(client, token, make_table(store), item)["table_session_id"]
    url = f"/api/v1/table-sessions/{sid}/discounts"
    body = {"client_key": key(), "kind": "percent", "value": 10, "reason": "老顾客"}
    r = client.post(url, json=body, headers=auth(token))
    assert r.status_code == 201, r.get_json()
    assert (r.get_json()["session"]["discount"], r.get_json()["session"]["due"]) == (1000, 9000)
    assert client.post(url, json=body, headers=auth(token)).get_json()["session"]["discount"] == 1000  # same key
    beyond = client.post(url, json={"client_key": key(), "kind": "amount", "value": 1, "reason": "再优惠"},
                         headers=auth(token))
    assert beyond.status_code == 403 and beyond.get_json()["error"]["code"] == "forbidden"  # 10 % is used up
    db.session.remove()
    entry = db.session.execute(select(AuditLog).where(AuditLog.store_id == store.id,
                                                      AuditLog.action == "discount.give")).scalar_one()
    assert entry.after["amount"] == 1000 and entry.after["reason"] == "老顾客"
    db.session.commit()


def test_beyond_the_limit_a_managers_sign_in_approves_that_one_discount(client):
    store, item, token = _setup(client)
    sid = _round(client, token, make_table(store), item)["table_session_id"]
    url = f"/api/v1/table-sessions/{sid}/discounts"
    body = {"client_key": key(), "kind": "percent", "value": 25, "reason": "菜上错了"}
    assert client.post(url, json=body, headers=auth(token)).status_code == 403
    wrong = client.post(url, json=body | {"approver": {"username": "boss", "password": "nope"}}, headers=auth(token))
    assert wrong.status_code == 403
    ok = client.post(url, json=body | {"approver": {"username": "boss", "password": "boss-pass-1"}},
                     headers=auth(token))
    assert ok.status_code == 201, ok.get_json()
    discount = ok.get_json()["session"]["discounts"][0]
    assert discount["amount"] == 2500 and discount["approved_by"] is not None
    too_much = {"client_key": key(), "kind": "percent", "value": 10, "reason": "再打折",
                "approver": {"username": "boss", "password": "boss-pass-1"}}
    assert client.post(url, json=too_much, headers=auth(token)).status_code == 403  # 35 % > manager's 30 %


def test_limits_are_store_settings_and_bad_values_are_refused(client):
    store, item, token = _setup(client)
    owner = staff_token(client, store)
    r = client.patch("/api/v1/admin/store", json={"cashier_discount_bp": 500}, headers=auth(owner))
    assert r.status_code == 200 and r.get_json()["store"]["cashier_discount_bp"] == 500
    sid = _round(client, token, make_table(store), item)["table_session_id"]
    url = f"/api/v1/table-sessions/{sid}/discounts"
    assert client.post(url, json={"client_key": key(), "kind": "percent", "value": 8, "reason": "x"},
                       headers=auth(token)).status_code == 403
    for bad in ({"kind": "percent", "value": 101}, {"kind": "percent", "value": -5}, {"kind": "amount", "value": -1},
                {"kind": "amount", "value": 1.5}):
        r = client.post(url, json={"client_key": key(), "reason": "x"} | bad, headers=auth(owner))
        assert r.status_code == 422, (bad, r.get_json())
    r = client.post(url, json={"client_key": key(), "kind": "percent", "value": 100, "reason": "店庆免单"},
                    headers=auth(owner))
    assert r.status_code == 201 and r.get_json()["session"]["due"] == 0  # owners: any


def test_per_line_discount(client):
    store, item, token = _setup(client)
    cheap = make_item(store, name="米饭", price=200)
    table = make_table(store)
    _round(client, token, table, item)
    order = _round(client, token, table, cheap)
    r = client.post(f"/api/v1/table-sessions/{order['table_session_id']}/discounts", headers=auth(token), json={
        "client_key": key(), "kind": "percent", "value": 10, "reason": "米饭硬",
        "order_item_id": order["items"][0]["id"]})
    assert r.status_code == 201 and r.get_json()["session"]["discount"] == 20


def _events(store):
    db.session.remove()
    rows = db.session.execute(select(KitchenEvent).where(KitchenEvent.store_id == store.id)
                              .order_by(KitchenEvent.seq)).scalars().all()
    db.session.commit()
    return rows


def test_move_to_a_free_table_moves_and_the_kitchen_sees_the_new_code(client):
    store, item, token = _setup(client)
    a1, a2 = make_table(store, code="A1"), make_table(store, code="A2")
    sid = _round(client, token, a1, item)["table_session_id"]
    r = client.post(f"/api/v1/table-sessions/{sid}/move", json={"to_table_id": a2.id}, headers=auth(token))
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["session"]["id"] == sid and r.get_json()["session"]["table"]["code"] == "A2"
    last = _events(store)[-1]
    assert (last.kind, last.payload["table_code"]) == ("ticket.updated", "A2")
    floor = {t["code"]: t for t in client.get("/api/v1/floor", headers=auth(token)).get_json()["tables"]}
    assert floor["A1"]["state"] == "free" and floor["A2"]["session"]["id"] == sid


def test_move_to_an_occupied_table_merges_the_checks_with_their_payments(client):
    store, item, token = _setup(client)
    a1, a2 = make_table(store, code="A1"), make_table(store, code="A2")
    src = _round(client, token, a1, item)["table_session_id"]
    dst = _round(client, token, a2, item)["table_session_id"]
    client.post(f"/api/v1/table-sessions/{src}/payments/offline", json={"client_key": key(), "amount": 4000},
                headers=auth(token))
    r = client.post(f"/api/v1/table-sessions/{src}/move", json={"to_table_id": a2.id}, headers=auth(token))
    merged = r.get_json()["session"]
    assert merged["id"] == dst and len(merged["orders"]) == 2
    assert (merged["total"], merged["paid"], merged["due"]) == (20_000, 4000, 16_000)
    assert _check(client, token, src)["status"] == "closed"
    assert {e.payload["table_code"] for e in _events(store)[-1:]} == {"A2"}


def test_moving_to_a_disabled_or_another_stores_table_is_not_found(client):
    store, item, token = _setup(client)
    a1, off = make_table(store, code="A1"), make_table(store, code="A9")
    theirs = make_table(make_store(), code="A2")
    db.session.get(Table, off.id).active = False
    db.session.commit()
    sid = _round(client, token, a1, item)["table_session_id"]
    for target in (off.id, theirs.id, 2**31 - 1):
        r = client.post(f"/api/v1/table-sessions/{sid}/move", json={"to_table_id": target}, headers=auth(token))
        assert r.status_code == 404
