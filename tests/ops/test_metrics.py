"""/metrics and /readyz: the contract's metric names, who may scrape, bounded label values."""
from __future__ import annotations

import random
import string
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from config.sandbox import sandbox_identity
from models import Payment, db, utcnow
from tests.helpers import auth, close_test_payments, diner_token, make_item, make_store, make_table, order_body
from wechat.sandbox.pay import notify_message

REQUIRED = ["diancan_orders_total", "diancan_order_to_screen_seconds", "diancan_payments_total",
            "diancan_notifies_total", "diancan_sockets", "diancan_print_jobs", "diancan_http_request_duration_seconds",
            "diancan_tickets_open", "diancan_oldest_ticket_age_seconds", "diancan_payments_stuck",
            "diancan_rate_limited_total", "diancan_overloaded_total", "diancan_db_pool_in_use",
            "diancan_redis_errors_total"]


def scrape(client) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    r = client.get("/metrics")
    assert r.status_code == 200, r.get_data(as_text=True)
    samples = {}
    for family in text_string_to_metric_families(r.get_data(as_text=True)):
        for s in family.samples:
            samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return samples


def value(samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_carry_the_contracts_names(client):
    text = client.get("/metrics").get_data(as_text=True)
    families = list(text_string_to_metric_families(text))
    names = {f.name for f in families} | {f.name + "_total" for f in families if f.type == "counter"}
    missing = [n for n in REQUIRED if n not in names]
    assert not missing, missing
    assert 'diancan_sockets{namespace="/kds"}' in text
    assert 'diancan_print_jobs{status="queued"}' in text


def test_metrics_need_the_token_when_one_is_set(app, client):
    app.config["METRICS_TOKEN"] = "scrape-secret-123"
    try:
        assert client.get("/metrics").status_code == 401
        assert client.get("/metrics", headers=auth("wrong")).status_code == 401
        r = client.get("/metrics", headers=auth("scrape-secret-123"), environ_base={"REMOTE_ADDR": "203.0.113.9"})
        assert r.status_code == 200 and b"diancan_orders_total" in r.data
    finally:
        app.config["METRICS_TOKEN"] = ""


def test_without_a_token_only_direct_loopback_callers_scrape(client):
    assert client.get("/metrics").status_code == 200
    far = client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert far.status_code == 403 and far.get_json()["error"]["code"] == "forbidden"
    # A proxy on this machine (nginx) passes on an outside caller: not loopback any more.
    proxied = client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
    assert proxied.status_code == 403


def test_readyz_answers_when_the_database_does_and_healthz_stays(app, client):
    r = client.get("/readyz")
    assert r.status_code == 200 and r.get_json()["checks"]["database"] == "ok"
    assert r.headers["X-Request-Id"]
    assert client.get("/healthz").status_code == 200


def test_readyz_is_503_when_redis_does_not_answer(app, client):
    errors = value(scrape(client), "diancan_redis_errors_total")
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        r = client.get("/readyz")
    finally:
        app.config["REDIS_URL"] = ""
    assert r.status_code == 503
    assert r.get_json()["error"]["checks"] == {"database": "ok", "redis": "down"}
    assert r.headers["Retry-After"]
    assert value(scrape(client), "diancan_redis_errors_total") >= errors + 1
    assert value(scrape(client), "diancan_ready") == 0


def test_an_order_counts_and_times_its_way_to_the_screens(client, live_server):
    store = make_store()
    table, item = make_table(store), make_item(store, station="cold")
    before = scrape(client)
    diner = diner_token(client, live_server)
    r = client.post("/api/v1/orders", json=order_body(table, item), headers=auth(diner))
    assert r.status_code == 201
    after = scrape(client)
    # (at least: a straggler of an earlier test may land in the same window)
    assert value(after, "diancan_orders_total", source="diner", status="accepted") >= \
        value(before, "diancan_orders_total", source="diner", status="accepted") + 1
    assert value(after, "diancan_order_to_screen_seconds_count") >= \
        value(before, "diancan_order_to_screen_seconds_count") + 1
    assert value(after, "diancan_kitchen_events_total", kind="ticket.created") >= 1
    assert value(after, "diancan_tickets_open", store=str(store.id), station="cold") == 1
    assert value(after, "diancan_oldest_ticket_age_seconds", store=str(store.id), station="cold") >= 0
    route = "/api/v1/orders"
    assert value(after, "diancan_http_request_duration_seconds_count", endpoint=route, method="POST",
                 status="2xx") >= 1


def test_a_payment_paying_for_more_than_five_minutes_is_stuck(client, live_server):
    store = make_store()
    table, item = make_table(store), make_item(store)
    diner = diner_token(client, live_server)
    order = client.post("/api/v1/orders", json=order_body(table, item), headers=auth(diner)).get_json()["order"]
    db.session.add(Payment(store_id=store.id, table_session_id=order["table_session_id"], diner_id=None,
                           client_key=uuid.uuid4().hex, out_trade_no=uuid.uuid4().hex[:32], amount=order["total"],
                           channel="wechat_jsapi", status="paying", created_at=utcnow() - timedelta(minutes=6)))
    db.session.add(Payment(store_id=store.id, table_session_id=order["table_session_id"], diner_id=None,
                           client_key=uuid.uuid4().hex, out_trade_no=uuid.uuid4().hex[:32], amount=order["total"],
                           channel="wechat_jsapi", status="paying", created_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    try:
        assert value(scrape(client), "diancan_payments_stuck", store=str(store.id)) == 1
    finally:
        close_test_payments(store)


def test_notifies_count_by_outcome(app, client, live_server):
    store = make_store()
    table, item = make_table(store), make_item(store)
    diner = diner_token(client, live_server)
    order = client.post("/api/v1/orders", json=order_body(table, item), headers=auth(diner)).get_json()["order"]
    payment = client.post(f"/api/v1/table-sessions/{order['table_session_id']}/payments",
                          json={"client_key": uuid.uuid4().hex}, headers=auth(diner)).get_json()["payment"]
    ident = sandbox_identity(Path(app.config["INSTANCE_PATH"]))
    txn = {"appid": app.config["WECHAT_APPID"], "mchid": app.config["WECHATPAY_MCHID"],
           "out_trade_no": payment["out_trade_no"], "transaction_id": "4200" + uuid.uuid4().hex[:16],
           "trade_type": "JSAPI", "trade_state": "SUCCESS", "payer": {"openid": "o-test"},
           "amount": {"total": payment["amount"], "payer_total": payment["amount"], "currency": "CNY"}}
    body, headers = notify_message(ident, "TRANSACTION.SUCCESS", "transaction", txn)
    before = scrape(client)
    assert client.post("/api/v1/wechat/pay/notify", data=body, headers=headers).status_code == 204
    assert client.post("/api/v1/wechat/pay/notify", data=body, headers=headers).status_code == 204
    forged = dict(headers, **{"Wechatpay-Signature": "AAAA"})
    assert client.post("/api/v1/wechat/pay/notify", data=body, headers=forged).status_code == 401
    after = scrape(client)
    for outcome in ("credited", "duplicate", "rejected_signature"):
        assert value(after, "diancan_notifies_total", outcome=outcome) == \
            value(before, "diancan_notifies_total", outcome=outcome) + 1, outcome
    assert value(after, "diancan_payments_total", channel="wechat_jsapi", status="paid") == \
        value(before, "diancan_payments_total", channel="wechat_jsapi", status="paid") + 1


def _random_path(rng: random.Random) -> str:
    word = "".join(rng.choices(string.ascii_letters + string.digits + "-_.~%", k=rng.randint(1, 40)))
    return rng.choice([
        f"/{word}", f"/api/v1/{word}", f"/api/v1/orders/{rng.randint(0, 10**12)}", f"/api/v1/orders/{word}",
        f"/t/{word}", f"/api/v1/tables/{word}", f"/api/v1/table-sessions/{rng.randint(0, 2**40)}/payments",
        f"/static/{word}.js", f"/api/v1/admin/items/{rng.randint(0, 10**15)}", f"/{word}/{word}?token={word}",
    ])


def test_a_thousand_random_paths_do_not_grow_the_series(client):
    rng = random.Random(15)
    methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "BREW", "PROPFIND"]
    sent: list[str] = []

    def probe(n: int) -> None:
        for _ in range(n):
            path = _random_path(rng)
            sent.append(path)
            client.open(path, method=rng.choice(methods), json={"x": 1})

    probe(200)  # every template, method and status class meets its first request here
    before = scrape(client)
    probe(1000)
    after = scrape(client)
    new = set(after) - set(before)
    assert not new, sorted(new)[:10]
    labels = {v for (_name, labels) in after for _k, v in labels}
    words = {seg for p in sent for seg in p.split("?")[0].split("/") if len(seg) > 6}
    assert not labels & words


def test_refusals_with_429_are_counted_by_route(client):
    store = make_store()
    before = scrape(client)
    statuses = [client.post("/api/v1/staff/login", json={"store": store.slug, "username": "owner",
                                                          "password": "wrong-pass-1"}).status_code
                for _ in range(7)]
    assert 429 in statuses  # the account locks after repeated failures
    after = scrape(client)
    key = ("diancan_rate_limited_total", (("endpoint", "/api/v1/staff/login"),))
    assert after[key] == before.get(key, 0) + statuses.count(429)


@pytest.mark.parametrize("status,code,counted", [(503, "overloaded", True), (503, "unavailable", False)])
def test_overloaded_answers_are_counted(app, client, status, code, counted):
    from monitoring import metrics

    before = metrics.OVERLOADED._value.get()
    with app.test_request_context("/x"):
        from flask import jsonify

        resp = jsonify({"error": {"code": code, "message": "busy"}})
        resp.status_code = status
        app.process_response(resp)
    assert metrics.OVERLOADED._value.get() == before + (1 if counted else 0)
