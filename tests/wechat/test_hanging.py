"""Nothing left hanging: payments whose notify never came are settled by asking WeChat Pay,
abandoned ones are closed; WeChat's login failures map to the contract's errors."""
from __future__ import annotations

import json
import uuid
from datetime import timedelta

import requests
from requests.adapters import BaseAdapter
from sqlalchemy import select

from models import Payment, PaymentAnomaly, db
from services.payments import reconcile
from tests.helpers import auth, diner_token, make_item, make_store, make_table, order_body, sandbox_code
from wechat.miniprogram import make_client
from wechat.sandbox.state import connect

NOW = timedelta(0)


def _waiting_payment(client, live_server):
    store = make_store()
    table, item = make_table(store), make_item(store, price=1500)
    diner = diner_token(client, live_server)
    order = client.post("/api/v1/orders", json=order_body(table, item), headers=auth(diner)).get_json()["order"]
    r = client.post(f"/api/v1/table-sessions/{order['table_session_id']}/payments",
                    json={"client_key": uuid.uuid4().hex}, headers=auth(diner))
    return diner, order, r.get_json()


def _payment(pid):
    db.session.remove()
    payment = db.session.get(Payment, pid)
    db.session.commit()
    return payment


def test_a_payment_whose_notify_never_came_is_credited_by_asking_wechat(app, client, live_server):
    diner, order, started = _waiting_payment(client, live_server)
    with connect(app.config["INSTANCE_PATH"]) as conn:  # WeChat took the money; its notify got lost
        conn.execute("UPDATE pay_orders SET trade_state='SUCCESS', transaction_id='4200TEST' WHERE out_trade_no=?",
                     (started["payment"]["out_trade_no"],))
    assert reconcile(older_than=NOW)["credited"] == 1
    assert _payment(started["payment"]["id"]).status == "paid"
    check = client.get(f"/api/v1/table-sessions/{order['table_session_id']}", headers=auth(diner)).get_json()
    assert check["session"]["due"] == 0
    assert reconcile(older_than=NOW)["credited"] == 0  # and only once


def test_an_abandoned_payment_is_closed_and_cannot_be_paid_later(app, client, live_server):
    diner, order, started = _waiting_payment(client, live_server)
    counts = reconcile(older_than=NOW, closing_after=NOW)
    assert counts["closed"] >= 1  # this one, and any other test's payment still waiting in the shared database
    assert _payment(started["payment"]["id"]).status == "closed"
    view = client.get(f"/api/v1/orders/{order['id']}", headers=auth(diner)).get_json()["order"]
    assert view["payment_status"] == "unpaid"
    late = requests.post(f"{live_server}/wechat-sandbox/pay/confirm",
                         json={"package": started["request_payment"]["package"]}, timeout=10)
    assert late.status_code == 409


class Canned(BaseAdapter):
    """WeChat answering with one errcode, as its servers do (HTTP 200, JSON errcode)."""

    def __init__(self, errcode: int) -> None:
        super().__init__()
        self.errcode = errcode

    def send(self, request, **kwargs):  # type: ignore[no-untyped-def]
        resp = requests.Response()
        resp.status_code, resp.url, resp.request = 200, request.url, request
        body = ({"access_token": "t", "expires_in": 7200} if "cgi-bin/token" in request.url
                else {"errcode": self.errcode, "errmsg": "x"})
        resp._content = json.dumps(body).encode()
        return resp

    def close(self) -> None:
        pass


def test_wechat_login_failures_map_to_contract_errors(app, client, live_server):
    cfg = app.config
    real = app.extensions.get("diancan.wechat")
    try:
        for errcode, status, code in ((45011, 429, "rate_limited"), (-1, 502, "upstream_error"),
                                      (40029, 401, "unauthorized"), (40163, 401, "unauthorized")):
            app.extensions["diancan.wechat"] = make_client(cfg["WECHAT_APPID"], cfg["WECHAT_SECRET"],
                                                           cfg["WECHAT_API_BASE"], Canned(errcode))
            r = client.post("/api/v1/diner/login", json={"code": "any-code"})
            assert (r.status_code, r.get_json()["error"]["code"]) == (status, code), errcode
        app.extensions["diancan.wechat"] = make_client(cfg["WECHAT_APPID"], cfg["WECHAT_SECRET"],
                                                       "http://127.0.0.1:9")  # nothing listens there
        r = client.post("/api/v1/diner/login", json={"code": sandbox_code(live_server)})
        assert r.status_code == 502 and r.get_json()["error"]["code"] == "upstream_error"
    finally:
        if real is None:
            app.extensions.pop("diancan.wechat", None)
        else:
            app.extensions["diancan.wechat"] = real


def test_a_payment_refunded_outside_diancan_before_its_notify_is_closed_not_credited(app, client, live_server):
    """WeChat says REFUND (paid, then refunded on the merchant platform): never credited, never left
    waiting; closed so the check can be paid again, and shown to the manager as an anomaly."""
    diner, order, started = _waiting_payment(client, live_server)
    out_trade_no = started["payment"]["out_trade_no"]
    with connect(app.config["INSTANCE_PATH"]) as conn:
        conn.execute("UPDATE pay_orders SET trade_state='REFUND', transaction_id='4200REFUNDED' WHERE out_trade_no=?",
                     (out_trade_no,))
    counts = reconcile(older_than=NOW)
    assert counts["refunded_elsewhere"] == 1 and counts["credited"] == 0
    assert _payment(started["payment"]["id"]).status == "closed"
    check = client.get(f"/api/v1/table-sessions/{order['table_session_id']}", headers=auth(diner)).get_json()
    assert check["session"]["due"] == 1500 and check["session"]["paid"] == 0
    db.session.remove()
    anomalies = db.session.execute(
        select(PaymentAnomaly).where(PaymentAnomaly.out_trade_no == out_trade_no)).scalars().all()
    assert [a.payment_id for a in anomalies] == [started["payment"]["id"]]
    assert "refunded outside Diancan" in anomalies[0].reason and anomalies[0].amount is None
    db.session.commit()
    from services.pay_client import pay_client
    from services.payments import credit_transaction

    late = dict(pay_client().query(out_trade_no), trade_state="SUCCESS")  # WeChat retries the original notify
    assert credit_transaction(late) is False
    assert _payment(started["payment"]["id"]).status == "closed"
    again = reconcile(older_than=NOW)  # no longer in flight: neither asked about nor recorded twice
    assert again["refunded_elsewhere"] == 0
    again_client = client.post(f"/api/v1/table-sessions/{order['table_session_id']}/payments",
                               json={"client_key": uuid.uuid4().hex}, headers=auth(diner))
    assert again_client.status_code == 201  # the check can be paid again
