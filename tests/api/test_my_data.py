"""A diner can see everything we keep about them, and delete it."""
from __future__ import annotations

from sqlalchemy import select

from models import Diner, Order, db
from tests.helpers import auth, diner_token, make_item, make_store, make_table, order_body, staff_token


def test_a_diner_sees_their_data_and_can_delete_it(client, live_server):
    store = make_store()
    table, item = make_table(store), make_item(store, price=1200)
    diner = diner_token(client, live_server)
    order = client.post("/api/v1/orders", json=order_body(table, item, qty=2), headers=auth(diner)).get_json()["order"]
    data = client.get("/api/v1/diner/me/data", headers=auth(diner)).get_json()
    assert set(data) == {"diner", "orders"}
    assert set(data["diner"]) == {"id", "created_at", "last_seen_at"}  # no openid, no hash, nothing else
    assert data["orders"][0]["items"] == [{"name": "宫保鸡丁", "qty": 2, "line_total": 2400}]
    diner_id = data["diner"]["id"]
    assert client.delete("/api/v1/diner/me", headers=auth(diner)).status_code == 204
    assert client.get("/api/v1/diner/me/data", headers=auth(diner)).status_code == 401  # the token is dead
    db.session.remove()
    assert db.session.get(Diner, diner_id) is None
    kept = db.session.execute(select(Order).where(Order.id == order["id"])).scalar_one()
    assert kept.diner_id is None and kept.total == 2400  # the restaurant's books stay whole
    db.session.commit()
    owner = staff_token(client, store)
    assert client.get(f"/api/v1/orders/{order['id']}", headers=auth(owner)).status_code == 200


def test_rotating_data_keys_re_encrypts_and_keeps_diners_recognised(app, client, env, live_server):
    import base64
    import os

    from app import create_app
    from config import Settings
    from services.context import cipher
    from tests.helpers import sandbox_code

    diner = diner_token(client, live_server, user="rotating-user")
    me = client.get("/api/v1/diner/me/data", headers=auth(diner)).get_json()["diner"]["id"]
    old = db.session.get(Diner, me).openid_enc
    db.session.commit()
    new_key = "200:" + base64.b64encode(os.urandom(32)).decode()
    rotated = create_app(Settings.from_env(env | {"DATA_KEYS": env["DATA_KEYS"] + "," + new_key}))
    back = create_app(Settings.from_env(env | {"DATA_KEYS": new_key + "," + env["DATA_KEYS"]}))
    try:
        with rotated.app_context():  # the CLI runs in the current app context (the test app's is pushed)
            result = rotated.test_cli_runner().invoke(args=["rotate-data-keys"])
            assert result.exit_code == 0 and int(result.output.split()[0]) >= 1, result.output
            new = db.session.get(Diner, me).openid_enc
            assert new[0] == 200 and old[0] != 200 and new != old
            assert cipher().decrypt(new, "openid") == cipher().decrypt(old, "openid")
            db.session.remove()
            assert rotated.test_cli_runner().invoke(args=["rotate-data-keys"]).output.startswith("0 rows")
            # the same person logging in again is the same diner: the look-up hash is keyed apart
            code = sandbox_code(live_server, "rotating-user")
            again = rotated.test_client().post("/api/v1/diner/login", json={"code": code})
            assert again.get_json()["diner"]["id"] == me
            db.session.remove()
    finally:  # the other tests' server still knows only the old key
        with back.app_context():
            back.test_cli_runner().invoke(args=["rotate-data-keys"])
            db.session.remove()
    assert db.session.get(Diner, me).openid_enc[0] == old[0]
    db.session.commit()


def test_diners_gone_past_the_retention_period_are_forgotten(app, client, live_server):
    from datetime import timedelta

    from models import utcnow

    store = make_store()
    table, item = make_table(store), make_item(store)
    old, recent = diner_token(client, live_server), diner_token(client, live_server)
    kept = client.post("/api/v1/orders", json=order_body(table, item), headers=auth(old)).get_json()["order"]
    old_id = client.get("/api/v1/diner/me/data", headers=auth(old)).get_json()["diner"]["id"]
    recent_id = client.get("/api/v1/diner/me/data", headers=auth(recent)).get_json()["diner"]["id"]
    db.session.get(Diner, old_id).last_seen_at = utcnow() - timedelta(days=400)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["forget-inactive-diners", "--days", "365"])
    assert result.exit_code == 0 and "diners forgotten" in result.output
    db.session.remove()
    assert db.session.get(Diner, old_id) is None and db.session.get(Diner, recent_id) is not None
    assert db.session.get(Order, kept["id"]).diner_id is None
    db.session.commit()
    assert client.get("/api/v1/diner/me/data", headers=auth(old)).status_code == 401
