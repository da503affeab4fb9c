"""The diner's menu kept encoded per version: served in front of Flask while current, never stale."""
from __future__ import annotations

import gzip
import json

import brotli
from sqlalchemy import update

from models import Item, db
from tests.helpers import make_item, make_store


def test_menu_is_served_from_its_kept_answer_until_something_changes(app, client):
    store = make_store()
    item = make_item(store, price=1200)
    url = f"/api/v1/stores/{store.id}/menu"
    first = client.get(url)  # builds and keeps the answer (through the route)
    assert first.status_code == 200 and first.headers["Cache-Control"] == "no-cache"
    etag = first.headers["ETag"]
    kept = client.get(url, headers={"Accept-Encoding": "gzip", "X-Request-Id": "0123456789abcdef0123456789abcdef"})
    assert kept.headers["Content-Encoding"] == "gzip" and kept.headers["ETag"] == etag
    assert kept.headers["X-Request-Id"] == "0123456789abcdef0123456789abcdef"
    assert kept.headers["X-Frame-Options"] == "DENY"
    assert json.loads(gzip.decompress(kept.get_data())) == first.get_json()
    br = client.get(url, headers={"Accept-Encoding": "br;q=1, gzip;q=0.5"})
    assert json.loads(brotli.decompress(br.get_data())) == first.get_json()
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    # live stock changes the answer at once (no console edit, no version bump)
    with app.app_context():
        db.session.execute(update(Item).where(Item.id == item.id).values(stock=3))
        db.session.commit()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    dish = next(i for c in changed.get_json()["categories"] for i in c["items"] if i["id"] == item.id)
    assert dish["stock"] == 3
    assert client.get(f"/api/v1/stores/{store.id + 1000}/menu").status_code == 404
