"""HTTP to WeChat Pay survives connections that die between calls: a request written into a
connection the server has just dropped is sent again on a fresh one, and a prepay whose answer
was lost is repeated with the same out_trade_no — WeChat's same order, not a failed diner."""
from __future__ import annotations

import dataclasses
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from config.sandbox import sandbox_identity
from tests.wechat.local_servers import IdleKiller, sandbox
from wechat.http import ONCE, Policy, never_reached, pooled_session, send
from wechat.pay import PayConfig, PayError, WechatPay
from wechat.sandbox.state import connect

OPENID = "oRetryPayer00000000000000001"


@pytest.fixture(scope="module")
def instance(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("retry-sandbox")


@pytest.fixture(scope="module")
def base(instance: Path) -> Iterator[str]:
    with sandbox(instance) as url:
        yield url


def _client(instance: Path, api_base: str) -> WechatPay:
    ident = sandbox_identity(instance)
    return WechatPay(PayConfig(appid=ident["appid"], mchid=ident["mchid"], api_base=api_base,
                               merchant_key_pem=ident["merchant_key"].encode(),
                               merchant_serial=ident["merchant_serial"], apiv3_key=ident["apiv3_key"],
                               wechat_public_keys={ident["public_key_id"]: ident["platform_pub"].encode()}))


def _pay_in_sandbox(base: str, prepay_id: str) -> None:
    assert requests.post(f"{base}/pay/confirm", json={"prepay_id": prepay_id}, timeout=10).ok


def test_every_call_succeeds_when_the_server_drops_each_connection_after_one_answer(instance, base):
    with IdleKiller(base) as proxy:
        pay = _client(instance, f"http://127.0.0.1:{proxy.port}/wechat-sandbox")
        out_trade_no = "RT" + uuid.uuid4().hex[:16].upper()
        prepay_id = pay.jsapi_prepay(out_trade_no, 2000, "点餐", OPENID, "http://127.0.0.1:9/notify")
        assert pay.query(out_trade_no)["trade_state"] == "NOTPAY"
        _pay_in_sandbox(base, prepay_id)
        txn = pay.query(out_trade_no)
        assert pay.query_by_transaction_id(txn["transaction_id"])["out_trade_no"] == out_trade_no
        refund = pay.refund(out_trade_no, "RF" + out_trade_no, 500, 2000, "", "http://127.0.0.1:9/notify")
        assert refund["status"] == "PROCESSING"
        assert pay.query_refund("RF" + out_trade_no)["status"] == "SUCCESS"
        other = "RT" + uuid.uuid4().hex[:16].upper()
        pay.jsapi_prepay(other, 100, "点餐", OPENID, "http://127.0.0.1:9/notify")
        pay.close(other)
        assert proxy.killed >= 5  # every call after the first met a dead pooled connection


def test_without_the_retry_the_same_dropped_connections_fail():
    """The proxy really bites: a plain pooled session sees the reset."""
    with socket.create_server(("127.0.0.1", 0)) as upstream_listener:
        port = upstream_listener.getsockname()[1]

        def answer_forever() -> None:
            while True:
                try:
                    conn, _ = upstream_listener.accept()
                except OSError:
                    return
                with conn:
                    conn.recv(65536)
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")

        threading.Thread(target=answer_forever, daemon=True).start()
        with IdleKiller(f"http://127.0.0.1:{port}") as proxy:
            session = requests.Session()
            assert session.get(f"http://127.0.0.1:{proxy.port}/a", timeout=5).status_code == 200
            with pytest.raises(requests.ConnectionError):
                session.get(f"http://127.0.0.1:{proxy.port}/b", timeout=5)
            # ours: the request written into the dead connection goes again on a fresh one
            ours, policy = pooled_session(), Policy(read_timeout=5, repeatable=True, budget=10)
            for path in ("/c", "/d"):
                assert send(ours, lambda: requests.Request("GET", f"http://127.0.0.1:{proxy.port}{path}"),  # noqa: B023
                            policy).status_code == 200
            assert proxy.killed == 2


def test_a_prepay_whose_answer_was_lost_is_repeated_with_the_same_out_trade_no(instance, base):
    with IdleKiller(base, drop_answers=1) as proxy:
        pay = _client(instance, f"http://127.0.0.1:{proxy.port}/wechat-sandbox")
        out_trade_no = "RT" + uuid.uuid4().hex[:16].upper()
        prepay_id = pay.jsapi_prepay(out_trade_no, 3300, "点餐", OPENID, "http://127.0.0.1:9/notify")
        assert proxy.answers_dropped == 1  # the first one reached WeChat; its answer did not reach us
    with connect(str(instance)) as conn:
        rows = conn.execute("SELECT prepay_id FROM pay_orders WHERE out_trade_no = ?", (out_trade_no,)).fetchall()
    assert [r["prepay_id"] for r in rows] == [prepay_id]  # one order, and the prepay_id of that order


def test_a_call_that_is_not_repeatable_is_not_sent_twice_once_it_may_have_arrived(base):
    seen = []
    with IdleKiller(base, drop_answers=1) as proxy:
        def build() -> requests.Request:
            seen.append(1)
            return requests.Request("GET", f"http://127.0.0.1:{proxy.port}/wechat-sandbox/merchant/verification")

        with pytest.raises(requests.ConnectionError):
            send(pooled_session(), build, ONCE)
    assert len(seen) == 1


def test_refused_connections_are_retried_then_reported_quickly(instance):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once closed
    pay = _client(instance, f"http://127.0.0.1:{port}")
    started = time.monotonic()
    with pytest.raises(PayError):
        pay.query("RT-NOWHERE-1")
    assert time.monotonic() - started < 5
    try:
        requests.get(f"http://127.0.0.1:{port}/", timeout=2)
    except requests.ConnectionError as exc:
        assert never_reached(exc)


def test_a_silent_server_costs_at_most_the_calls_budget():
    with socket.create_server(("127.0.0.1", 0)) as silent:  # accepts, never answers
        port = silent.getsockname()[1]
        started = time.monotonic()
        with pytest.raises(requests.Timeout):
            send(pooled_session(), lambda: requests.Request("GET", f"http://127.0.0.1:{port}/"),
                 Policy(read_timeout=0.5, repeatable=True, budget=2))
        assert time.monotonic() - started < 3.5


def test_a_diners_second_payment_after_wechat_dropped_the_connection_does_not_fail(app, client, live_server):
    """The symptom of issue 16: a payment attempt on a pooled connection WeChat had just closed
    answered 502. Through a server that drops every connection after one answer, two diners' payments
    in a row are both started."""
    from services.payments import pay_client
    from tests.helpers import auth, diner_token, make_item, make_store, make_table, order_body

    store = make_store()
    table, item = make_table(store), make_item(store, price=1500)
    real = pay_client()
    upstream = live_server
    with IdleKiller(upstream) as proxy:
        app.extensions["diancan.pay"] = WechatPay(dataclasses.replace(
            real.cfg, api_base=f"http://127.0.0.1:{proxy.port}/wechat-sandbox"))
        try:
            for _ in range(2):
                diner = diner_token(client, live_server)
                order = client.post("/api/v1/orders", json=order_body(table, item), headers=auth(diner)).get_json()
                r = client.post(f"/api/v1/table-sessions/{order['order']['table_session_id']}/payments",
                                json={"client_key": uuid.uuid4().hex}, headers=auth(diner))
                assert r.status_code == 201, r.get_json()
                assert r.get_json()["request_payment"]["package"].startswith("prepay_id=wx")
        finally:
            app.extensions["diancan.pay"] = real
        assert proxy.killed >= 1


def test_mini_program_logins_survive_a_dropped_connection(app, live_server):
    from tests.helpers import sandbox_code
    from wechat.miniprogram import make_client

    with IdleKiller(live_server) as proxy:
        wechat = make_client(app.config["WECHAT_APPID"], app.config["WECHAT_SECRET"],
                             f"http://127.0.0.1:{proxy.port}/wechat-sandbox")
        openids = [wechat.wxa.code_to_session(sandbox_code(live_server, "same-person"))["openid"] for _ in range(3)]
        assert proxy.killed >= 2
    assert len(set(openids)) == 1


def test_a_system_error_is_asked_again_only_when_repeating_is_harmless():
    """WeChat's advice for SYSTEM_ERROR (500): call again with the same parameters."""
    from werkzeug.wrappers import Response

    from tests.wechat.local_servers import serve
    from wechat.http import KEYED_WRITE

    seen = []

    def flaky(environ, start_response):  # type: ignore[no-untyped-def]
        seen.append(1)
        status = 500 if len(seen) % 2 else 200
        return Response('{"code":"SYSTEM_ERROR","message":"系统错误"}' if status == 500 else "{}", status)(
            environ, start_response)

    with serve(flaky) as url:
        assert send(pooled_session(), lambda: requests.Request("POST", url), KEYED_WRITE).status_code == 200
        assert len(seen) == 2
        assert send(pooled_session(), lambda: requests.Request("POST", url), ONCE).status_code == 500
        assert len(seen) == 3
