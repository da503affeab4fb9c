"""Repeated failed sign-ins lock the account for a while (429), but only for the address they
came from: nobody can lock the owner out from elsewhere, and an unknown username is answered
exactly like a known one, so the answers tell no one which usernames exist."""
from __future__ import annotations

import statistics
import time

from tests.helpers import make_staff, make_store

ATTACKER, OWNER = {"REMOTE_ADDR": "203.0.113.7"}, {"REMOTE_ADDR": "198.51.100.20"}


def _login(client, store, username: str, password: str, where: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/staff/login", json={"store": store.slug, "username": username, "password": password},
                       environ_base=where or ATTACKER)


def test_one_addresss_failures_do_not_lock_the_owner_out_elsewhere(client):
    store = make_store()
    for _ in range(5):
        assert _login(client, store, "owner", "guess").status_code == 401
    assert _login(client, store, "owner", "owner-pass").status_code == 429  # the guesser is locked out
    assert _login(client, store, "owner", "owner-pass", OWNER).status_code == 200  # the owner is not


def test_an_unknown_username_is_answered_exactly_like_a_known_one(client):
    store = make_store()
    make_staff(store, "cook", username="chef", password="chef-pass-1")
    known = [_login(client, store, "chef", "guess") for _ in range(6)]
    unknown = [_login(client, store, "chefs", "guess") for _ in range(6)]
    assert [r.status_code for r in known] == [401] * 5 + [429]
    assert [(r.status_code, r.get_json(), r.headers.get("Retry-After")) for r in unknown] == \
        [(r.status_code, r.get_json(), r.headers.get("Retry-After")) for r in known]


def test_an_unknown_username_costs_a_password_check_too(client):
    store = make_store()
    make_staff(store, "cook", username="chef", password="chef-pass-1")
    known: list[float] = []
    unknown: list[float] = []
    for i in range(4):  # interleaved, from fresh addresses, so neither side is ever locked
        for name, times in (("chef", known), ("nobody", unknown)):
            start = time.perf_counter()
            assert _login(client, store, name, "guess", {"REMOTE_ADDR": f"192.0.2.{i}"}).status_code == 401
            times.append(time.perf_counter() - start)
    assert statistics.median(unknown) > 0.5 * statistics.median(known), (known, unknown)


def test_a_password_reset_unlocks_the_account_at_every_address(client):
    from tests.helpers import auth, staff_token

    store = make_store()
    owner = staff_token(client, store, password="owner-pass")
    cook = make_staff(store, "cook", password="cook-pass-1")
    for _ in range(5):
        _login(client, store, cook.username, "nope")
    assert _login(client, store, cook.username, "cook-pass-1").status_code == 429
    assert client.post(f"/api/v1/admin/staff/{cook.id}/password", json={"password": "fresh-pass-1"},
                       headers=auth(owner)).status_code == 200
    assert _login(client, store, cook.username, "fresh-pass-1").status_code == 200


def test_a_forwarded_for_header_is_not_believed_when_no_proxy_is_trusted(client):
    store = make_store()
    for i in range(5):
        r = client.post("/api/v1/staff/login", json={"store": store.slug, "username": "owner", "password": "guess"},
                        headers={"X-Forwarded-For": f"10.9.9.{i}"}, environ_base=ATTACKER)
        assert r.status_code == 401
    r = client.post("/api/v1/staff/login", json={"store": store.slug, "username": "owner", "password": "owner-pass"},
                    headers={"X-Forwarded-For": "10.9.9.99"}, environ_base=ATTACKER)
    assert r.status_code == 429  # a header the client wrote is not a new address
