"""Scripts and styles under versioned URLs kept for a year, compressed; pages and JSON compressed too."""
from __future__ import annotations

import gzip
import re

import brotli

from tests.helpers import make_item, make_store, make_table, token_of


def _page_assets(client, path: str) -> list[str]:  # type: ignore[no-untyped-def]
    html = client.get(path).get_data(as_text=True)
    return re.findall(r'(?:src|href)="(/assets/[^"]+)"', html)


def test_a_page_loads_its_scripts_and_styles_from_versioned_urls_kept_for_a_year(client) -> None:  # type: ignore[no-untyped-def]
    store = make_store()
    urls = _page_assets(client, f"/t/{token_of(make_table(store))}")
    assert any(u.endswith("/diner.js") for u in urls) and any(u.endswith(".css") for u in urls)
    assert any(u.endswith("/vendor/socket.io.min.js") for u in urls)
    for url in urls:
        resp = client.get(url)
        assert resp.status_code == 200, url
        assert resp.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_modules_imported_by_relative_paths_stay_inside_the_same_version(client) -> None:  # type: ignore[no-untyped-def]
    script = next(u for u in _page_assets(client, "/console") if u.endswith("/console.js"))
    body = client.get(script).get_data(as_text=True)
    for module in re.findall(r'from "\./([^"]+)"', body):
        resp = client.get(script.rsplit("/", 1)[0] + "/" + module)
        assert resp.status_code == 200 and "immutable" in resp.headers["Cache-Control"], module


def test_assets_come_compressed_as_the_browser_accepts_and_revalidate_by_etag(client) -> None:  # type: ignore[no-untyped-def]
    script = next(u for u in _page_assets(client, "/console") if u.endswith("/console.js"))
    plain = client.get(script, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    br = client.get(script, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert br.headers["Content-Encoding"] == "br" and brotli.decompress(br.data) == plain.data
    assert len(br.data) < len(plain.data) / 2
    gz = client.get(script, headers={"Accept-Encoding": "gzip"})
    assert gz.headers["Content-Encoding"] == "gzip" and gzip.decompress(gz.data) == plain.data
    again = client.get(script, headers={"If-None-Match": plain.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_an_old_version_still_gets_todays_file_but_uncached_and_unknown_files_are_404(client) -> None:  # type: ignore[no-untyped-def]
    old = client.get("/assets/000000000000/console.js")
    assert old.status_code == 200 and old.headers["Cache-Control"] == "no-cache"
    assert client.get("/assets/000000000000/nope.js").status_code == 404
    assert client.get("/assets/000000000000/../app.py").status_code == 404


def test_pages_and_the_menu_are_compressed_for_browsers_that_accept_it(client) -> None:  # type: ignore[no-untyped-def]
    store = make_store()
    for n in range(12):
        make_item(store, name=f"招牌菜{n}", description="慢火细炖，选用本地食材" * 3)
    menu = client.get(f"/api/v1/stores/{store.id}/menu", headers={"Accept-Encoding": "br, gzip"})
    assert menu.headers["Content-Encoding"] == "br"
    assert len(brotli.decompress(menu.data)) > 2 * len(menu.data)
    page = client.get("/console", headers={"Accept-Encoding": "gzip"})
    assert page.headers["Content-Encoding"] == "gzip" and b"<html" in gzip.decompress(page.data)


def test_the_diner_page_arrives_with_its_table_and_menu_and_is_never_cached(client) -> None:  # type: ignore[no-untyped-def]
    import json

    store = make_store(name="川味小厨")
    table = make_table(store, code="B7")
    make_item(store, name="水煮鱼", price=6800)
    page = client.get(f"/t/{token_of(table)}")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    boot = json.loads(re.search(r'<script id="boot" type="application/json">(.*?)</script>', html, re.S).group(1))
    assert boot["table"] == client.get(f"/api/v1/tables/{token_of(table)}").get_json()
    assert boot["menu"] == client.get(f"/api/v1/stores/{store.id}/menu").get_json()
    assert boot["menu"]["categories"][0]["items"][0]["name"] == "水煮鱼"
    assert 'rel="modulepreload"' in html


def test_an_unknown_table_code_gets_a_404_page_that_says_so(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/t/not-a-real-code")
    assert page.status_code == 404 and '{"error": "unknown_table"}' in page.get_data(as_text=True)
