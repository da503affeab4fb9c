"""Pages: the diner's H5 page and the kitchen display, their translations and shared helpers.

Every string a page shows goes through one catalogue (Flask-Babel, ``translations/``): source
strings are English, Simplified Chinese is the default locale. Scripts get their strings from a
JSON block the template renders through the same catalogue.
"""
from __future__ import annotations

from pathlib import Path

from flask import Flask, Response, current_app, request, send_from_directory
from flask_babel import Babel, get_locale
from flask_compress import Compress

from domain.money import format_fen

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ("zh_CN", "en")
NODE = ROOT / "node_modules"
VENDOR = {  # npm package files the pages load, served from node_modules (never copied here)
    "socket.io.min.js": NODE / "socket.io-client" / "dist" / "socket.io.min.js",
    "idb.js": NODE / "idb" / "build" / "index.js",  # IndexedDB with promises, as an ES module
    "zxing-browser.min.js": NODE / "@zxing" / "browser" / "umd" / "zxing-browser.min.js",  # barcode scanning
    "echarts.js": NODE / ".diancan" / "echarts.js",  # bundled by `make deps` from web/bundles/echarts.js
}


def select_locale() -> str:
    chosen = request.args.get("lang") or request.cookies.get("lang")
    if chosen in LOCALES:
        return chosen
    best = request.accept_languages.best_match(["zh-CN", "zh", "en"], default="zh-CN")
    return "en" if best == "en" else "zh_CN"


CSP = "; ".join((
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data: blob:",
    "connect-src 'self'", "font-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'",
    "frame-ancestors 'none'",
))


def security_headers(resp: Response) -> Response:
    """Every answer: no sniffing, no framing, no referrer to other sites (a table's link carries
    its code), and for pages a content security policy allowing only our own scripts and styles."""
    h = resp.headers
    h.setdefault("X-Content-Type-Options", "nosniff")
    h.setdefault("X-Frame-Options", "DENY")
    h.setdefault("Referrer-Policy", "same-origin")
    h.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    h.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
    if resp.mimetype in ("text/html", "image/svg+xml"):
        h.setdefault("Content-Security-Policy", CSP)
    if request.is_secure or current_app.config["PUBLIC_BASE_URL"].startswith("https://"):  # also behind a TLS proxy
        h.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return resp


def init_app(app: Flask) -> None:
    from web import assets, console, pages, pos

    Babel(app, default_locale="zh_CN", default_timezone="Asia/Shanghai", locale_selector=select_locale,
          default_translation_directories=str(ROOT / "translations"))
    app.jinja_env.filters["fen"] = format_fen
    app.jinja_env.globals["get_locale"] = get_locale
    app.register_blueprint(pages.bp)
    app.register_blueprint(console.bp)
    app.register_blueprint(pos.bp)
    assets.init_app(app, Path(app.static_folder or ROOT / "web" / "static"), VENDOR)
    # Pages and JSON answers compressed on the way out (assets come compressed from memory).
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_BR_LEVEL", 4)
    app.config.setdefault("COMPRESS_STREAMS", False)
    app.config.setdefault("COMPRESS_MIMETYPES", ["text/html", "application/json", "image/svg+xml", "text/css",
                                                 "text/javascript", "text/csv"])
    Compress(app)
    app.after_request(security_headers)

    @app.get("/media/items/<int:item_id>/<string:etag>.jpg")
    def item_photo(item_id: int, etag: str):  # type: ignore[no-untyped-def]
        """A dish photo; its URL changes with the photo, so browsers may keep it for a year."""
        from services import catalog

        resp = Response(catalog.photo(item_id, etag), mimetype="image/jpeg")
        resp.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return resp

    @app.get("/media/items/<int:item_id>/<string:etag>-<int:side>.jpg")
    def item_thumbnail(item_id: int, etag: str, side: int):  # type: ignore[no-untyped-def]
        """A square thumbnail of a dish photo (the menu's ``srcset``); cached for ever, like the photo."""
        from services import catalog

        resp = Response(catalog.photo_thumbnail(item_id, etag, side), mimetype="image/jpeg")
        resp.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return resp

    @app.get("/vendor/<path:name>")
    def vendor(name: str):  # type: ignore[no-untyped-def]
        path = VENDOR.get(name)
        if path is None:
            from flask import abort

            abort(404)
        return send_from_directory(path.parent, path.name, max_age=3600)

    @app.after_request
    def _remember_language(resp):  # type: ignore[no-untyped-def]
        lang = request.args.get("lang")
        if lang in LOCALES:
            resp.set_cookie("lang", lang, max_age=365 * 86400, samesite="Lax")
        return resp
