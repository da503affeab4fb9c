"""Table-mates: everyone who opened the table's code sees every round of its open check and may
pay it; calls carry reasons (加水, 餐具, 催单) beside the plain call; the headcount (用餐人数)."""
from __future__ import annotations

import uuid

from models import Store, WaiterCall, db
from tests.helpers import auth, close_test_payments, diner_token, make_item, make_store, make_table, token_of


def _url(table, rest: str = "") -> str:
    return f"/api/v1/tables/{token_of(table)}{rest}"


def _round(client, table, dish, who: str, qty: int = 2) -> dict:
    client.post(_url(table, "/cart/lines"), json={"item_id": dish.id, "qty": qty}, headers=auth(who))
    r = client.post(_url(table, "/cart/submit"), json={"client_key": uuid.uuid4().hex, "remark": "少辣"},
                    headers=auth(who))
    assert r.status_code == 201, r.get_json()
    return r.get_json()["order"]


def test_a_table_mate_who_never_sent_sees_every_round_and_pays_the_check(client, live_server):
    store = make_store()
    table, dish = make_table(store), make_item(store, price=9300)
    sender, mate, stranger = (diner_token(client, live_server) for _ in range(3))
    client.get(_url(table, "/cart"), headers=auth(sender))
    first = _round(client, table, dish, sender)
    client.get(_url(table, "/cart"), headers=auth(mate))  # the table-mate's page loads: they sit at the check
    second = _round(client, table, dish, sender, qty=1)
    session_id = first["table_session_id"]
    r = client.get(f"/api/v1/table-sessions/{session_id}", headers=auth(mate))
    assert r.status_code == 200, r.get_json()
    check = r.get_json()["session"]
    assert [o["number"] for o in check["orders"]] == [first["number"], second["number"]]
    assert check["total"] == 3 * 9300 and check["due"] == 3 * 9300
    assert check["orders"][0]["remark"] == "少辣" and check["orders"][0]["items"][0]["qty"] == 2
    text = r.get_data(as_text=True)
    assert "diner_id" not in text and "openid" not in text  # nobody's identity, only the rounds
    order = client.get(f"/api/v1/orders/{first['id']}", headers=auth(mate))
    assert order.status_code == 200
    # a diner who never opened this table's code still learns nothing, not even that it exists
    assert client.get(f"/api/v1/table-sessions/{session_id}", headers=auth(stranger)).status_code == 404
    pay = client.post(f"/api/v1/table-sessions/{session_id}/payments", json={"client_key": uuid.uuid4().hex},
                      headers=auth(mate))
    assert pay.status_code == 201, pay.get_json()
    assert pay.get_json()["payment"]["amount"] == 3 * 9300
    refused = client.post(f"/api/v1/table-sessions/{session_id}/payments", json={"client_key": uuid.uuid4().hex},
                          headers=auth(stranger))
    assert refused.status_code == 404
    close_test_payments(store)


def test_seats_do_not_carry_over_to_the_next_party(client, live_server):
    """Sitting at one check gives nothing at the table's next check."""
    from services import orders as order_service

    store = make_store()
    table, dish = make_table(store), make_item(store, price=100)
    sender, earlier = diner_token(client, live_server), diner_token(client, live_server)
    client.get(_url(table, "/cart"), headers=auth(sender))
    first = _round(client, table, dish, sender)
    client.get(_url(table, "/cart"), headers=auth(earlier))
    from models import TableSession

    check = db.session.get(TableSession, first["table_session_id"])
    check.paid, check.status, check.open_key = check.total, "closed", None  # paid and cleared
    db.session.commit()
    later = _round(client, table, dish, sender)
    assert later["table_session_id"] != first["table_session_id"]
    assert not order_service.diner_in_check(_diner_id(client, earlier), later["table_session_id"])
    assert client.get(f"/api/v1/table-sessions/{later['table_session_id']}", headers=auth(earlier)).status_code == 404


def _diner_id(client, token: str) -> int:
    return int(client.get("/api/v1/diner/me/data", headers=auth(token)).get_json()["diner"]["id"])


def test_calls_carry_reasons_and_the_plain_call_works_as_before(client, live_server):
    store = make_store()
    table, dish = make_table(store), make_item(store)
    diner = diner_token(client, live_server)
    plain = client.post(_url(table, "/calls"), json={}, headers=auth(diner))
    assert plain.status_code == 201 and plain.get_json()["call"]["kind"] == "waiter"
    assert plain.get_json()["call"]["reason"] == ""
    assert client.post(_url(table, "/calls"), json={"kind": "waiter"}, headers=auth(diner)).status_code == 200
    water = client.post(_url(table, "/calls"), json={"kind": "waiter", "reason": "water"}, headers=auth(diner))
    assert water.status_code == 201 and water.get_json()["call"]["reason"] == "water"
    bill = client.post(_url(table, "/calls"), json={"kind": "bill"}, headers=auth(diner))
    assert bill.status_code == 201 and bill.get_json()["call"]["kind"] == "bill"
    order = _round(client, table, dish, diner)
    hurry = client.post(_url(table, "/calls"), json={"reason": "hurry", "order_id": order["id"]}, headers=auth(diner))
    assert hurry.status_code == 201, hurry.get_json()
    assert hurry.get_json()["call"]["order_number"] == order["number"]
    bad = [{"reason": "hurry"}, {"kind": "bill", "reason": "water"}, {"reason": "massage"},
           {"reason": "hurry", "order_id": 2**31 - 1}]
    assert [client.post(_url(table, "/calls"), json=b, headers=auth(diner)).status_code for b in bad] \
        == [422, 422, 422, 404]
    kinds = sorted((c.kind, c.reason) for c in db.session.query(WaiterCall).filter_by(table_id=table.id))
    assert kinds == [("bill", ""), ("waiter", ""), ("waiter", "hurry"), ("waiter", "water")]
    db.session.commit()


def test_headcount_is_asked_once_per_check_and_only_where_the_store_takes_it(client, live_server):
    store = make_store()
    table, dish = make_table(store), make_item(store, price=500)
    diner, mate = diner_token(client, live_server), diner_token(client, live_server)
    off = client.put(_url(table, "/headcount"), json={"headcount": 4}, headers=auth(diner))
    assert off.status_code == 409 and off.get_json()["error"]["code"] == "invalid_state"
    db.session.get(Store, store.id).ask_headcount = True
    db.session.commit()
    looked = client.get(_url(table)).get_json()
    assert looked["store"]["ask_headcount"] is True and looked["session"] is None
    r = client.put(_url(table, "/headcount"), json={"headcount": 4}, headers=auth(diner))
    assert r.status_code == 200, r.get_json()
    session_id = r.get_json()["session"]["id"]
    assert client.get(_url(table)).get_json()["session"] == {"id": session_id, "headcount": 4}
    assert [client.put(_url(table, "/headcount"), json={"headcount": n}, headers=auth(diner)).status_code
            for n in (0, 51)] == [422, 422]
    order = _round(client, table, dish, mate)
    assert order["table_session_id"] == session_id  # the round joins the check the headcount opened
    check = client.get(f"/api/v1/table-sessions/{session_id}", headers=auth(diner)).get_json()["session"]
    assert check["headcount"] == 4
