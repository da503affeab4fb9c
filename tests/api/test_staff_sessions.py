"""Staff sessions: signing out ends them, nobody resets their own password without the old one,
and usernames have one spelling on every database."""
from __future__ import annotations

from models import Staff, db
from tests.helpers import auth, make_staff, make_store, staff_token


def _login(client, store, username="owner", password="owner-pass"):
    return client.post("/api/v1/staff/login", json={"store": store.slug, "username": username, "password": password})


def test_console_sign_out_ends_the_session_as_cookie_and_as_bearer(client):
    store = make_store()
    r = client.post("/api/v1/staff/session", json={"store": store.slug, "username": "owner", "password": "owner-pass"})
    cookie = r.headers["Set-Cookie"].split(";", 1)[0].split("=", 1)[1]
    csrf = r.get_json()["csrf_token"]
    assert client.get("/api/v1/admin/areas", headers=auth(cookie)).status_code == 200
    assert client.delete("/api/v1/staff/session", headers={"X-CSRF-Token": csrf}).status_code == 204
    assert client.get("/api/v1/admin/areas", headers=auth(cookie)).status_code == 401  # the token itself is dead
    client.set_cookie("diancan_staff", cookie)
    assert client.get("/api/v1/admin/areas").status_code == 401


def test_signing_out_a_bearer_token_leaves_other_sessions_working(client):
    store = make_store()
    phone, laptop = staff_token(client, store), staff_token(client, store)
    assert phone != laptop  # two logins in the same second are two sessions
    assert client.delete("/api/v1/staff/session", headers=auth(phone)).status_code == 204
    assert client.get("/api/v1/staff/session", headers=auth(phone)).status_code == 401
    assert client.get("/api/v1/staff/session", headers=auth(laptop)).status_code == 200


def test_sign_out_without_the_csrf_token_clears_the_cookie_but_revokes_nothing(client):
    store = make_store()
    r = client.post("/api/v1/staff/session", json={"store": store.slug, "username": "owner", "password": "owner-pass"})
    cookie = r.headers["Set-Cookie"].split(";", 1)[0].split("=", 1)[1]
    assert client.delete("/api/v1/staff/session").status_code == 204
    assert client.get("/api/v1/admin/areas", headers=auth(cookie)).status_code == 200


def test_an_owner_cannot_reset_their_own_password_without_the_current_one(client):
    store = make_store()
    owner = staff_token(client, store)
    me = client.get("/api/v1/staff/session", headers=auth(owner)).get_json()["staff"]["id"]
    r = client.post(f"/api/v1/admin/staff/{me}/password", json={"password": "taken-over-1"}, headers=auth(owner))
    assert r.status_code == 403
    assert _login(client, store, password="taken-over-1").status_code == 401
    assert _login(client, store).status_code == 200


def test_usernames_match_byte_for_byte_at_login(client):
    store = make_store()
    for typed in ("OWNER", "Owner", "öwnér", "owner ", " owner", "ownér"):
        assert _login(client, store, username=typed).status_code == 401, typed
    assert _login(client, store).status_code == 200


def test_usernames_are_stored_stripped_and_in_lower_case(client):
    store = make_store()
    owner = staff_token(client, store)
    r = client.post("/api/v1/admin/staff", headers=auth(owner),
                    json={"username": "Chef.Wang", "name": "王师傅", "role": "cook", "password": "wok-pass-123"})
    assert r.status_code == 201 and r.get_json()["staff"]["username"] == "chef.wang"
    assert _login(client, store, "chef.wang", "wok-pass-123").status_code == 200
    again = client.post("/api/v1/admin/staff", headers=auth(owner),
                        json={"username": "CHEF.WANG", "name": "x", "role": "cook", "password": "wok-pass-123"})
    assert again.status_code == 409


def test_a_name_differing_only_by_accent_is_another_account(client):
    store = make_store()
    make_staff(store, "cook", username="li", password="li-pass-123")
    member = Staff(store_id=store.id, username="lì", name="x", role="cook", password_hash="x")
    db.session.add(member)
    db.session.commit()  # utf8mb4_unicode_ci would call this a duplicate of "li"
    db.session.remove()
    assert _login(client, store, "li", "li-pass-123").status_code == 200
