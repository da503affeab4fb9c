"""Page scripts, styles and npm libraries under versioned URLs that browsers keep for a year.

Every asset is read once at start-up and kept in memory with its gzip and brotli forms, so a
request costs no disk read and no compression. The URL carries one version for the whole set
(``/assets/<version>/diner.js``): ES modules import each other by relative paths, which then
stay inside the same version, and any change to any file gives every page new URLs. A page
that was loaded before a deploy and asks for an old version still gets today's file, uncached.
"""
from __future__ import annotations

import gzip
import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path

import brotli
from flask import Flask, Response, abort, request

YEAR = 31536000
TEXT_TYPES = {"text/css", "text/javascript", "application/javascript", "application/json", "image/svg+xml"}


@dataclass(frozen=True)
class Asset:
    body: bytes
    mimetype: str
    etag: str
    gzip: bytes | None
    br: bytes | None


def _load(path: Path) -> Asset:
    body = path.read_bytes()
    mimetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if path.suffix in (".js", ".mjs"):
        mimetype = "text/javascript"
    squeeze = mimetype in TEXT_TYPES and len(body) > 512
    return Asset(body, mimetype, hashlib.sha256(body).hexdigest()[:16],
                 gzip.compress(body, 9, mtime=0) if squeeze else None,
                 brotli.compress(body, quality=11) if squeeze else None)


class Assets:
    """Our static folder plus the named npm files, served from memory under one version."""

    def __init__(self, static: Path, vendor: dict[str, Path]) -> None:
        self.files: dict[str, Asset] = {}
        for path in sorted(p for p in static.rglob("*") if p.is_file()):
            self.files[path.relative_to(static).as_posix()] = _load(path)
        for name, path in vendor.items():  # served name -> the file in node_modules
            if path.is_file():  # npm packages missing: the page says so, the app still starts
                self.files[f"vendor/{name}"] = _load(path)
        digest = hashlib.sha256()
        for name, asset in sorted(self.files.items()):
            digest.update(name.encode() + b"\0" + asset.etag.encode())
        self.version = digest.hexdigest()[:12]

    def url(self, name: str) -> str:
        return f"/assets/{self.version}/{name}"

    def response(self, version: str, name: str) -> Response:
        asset = self.files.get(name)
        if asset is None:
            abort(404)
        if request.if_none_match.contains(asset.etag):
            resp = Response(status=304)
        else:
            accepted = request.accept_encodings
            encoding, body = None, asset.body
            if asset.br is not None and accepted["br"]:
                encoding, body = "br", asset.br
            elif asset.gzip is not None and accepted["gzip"]:
                encoding, body = "gzip", asset.gzip
            resp = Response(body, mimetype=asset.mimetype)
            if encoding:
                resp.headers["Content-Encoding"] = encoding
        resp.set_etag(asset.etag)
        resp.headers["Vary"] = "Accept-Encoding"
        resp.headers["Cache-Control"] = (f"public, max-age={YEAR}, immutable" if version == self.version
                                         else "no-cache")
        return resp


def init_app(app: Flask, static: Path, vendor: dict[str, Path]) -> Assets:
    assets = Assets(static, vendor)
    app.extensions["diancan.assets"] = assets
    app.jinja_env.globals["asset_url"] = assets.url
    app.add_url_rule("/assets/<version>/<path:name>", "asset", assets.response)
    return assets
