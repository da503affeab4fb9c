"""Answers encoded once and served many times: the JSON bytes, their gzip and brotli forms and an ETag.

For GETs many clients ask at once with the same answer (the diner's menu at the rush): the
route keeps a ``Prepared`` per version of the data, so a request costs neither JSON encoding nor
compression. ``If-None-Match`` with the current ETag gets a bodiless 304.
"""
from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from typing import Any

import brotli
from flask import Response, current_app, request


@dataclass(frozen=True)
class Prepared:
    etag: str
    bodies: dict[str, bytes]  # content coding ("identity", "gzip", "br") -> body


def prepare(payload: Any) -> Prepared:
    body = current_app.json.dumps(payload).encode()
    level = current_app.config.get("COMPRESS_BR_LEVEL", 4)
    return Prepared(etag=hashlib.blake2b(body, digest_size=12).hexdigest(),
                    bodies={"identity": body, "gzip": gzip.compress(body, 6, mtime=0),
                            "br": brotli.compress(body, quality=level)})


def respond(prepared: Prepared) -> Response:
    """The answer in the best coding the client takes; it must revalidate (no-cache) before reuse."""
    if prepared.etag in request.if_none_match:
        resp = Response(status=304)
    else:
        coding = request.accept_encodings.best_match(["br", "gzip"]) or "identity"
        resp = Response(prepared.bodies[coding], mimetype="application/json")
        if coding != "identity":
            resp.headers["Content-Encoding"] = coding
    resp.headers["Vary"] = "Accept-Encoding"
    resp.headers["Cache-Control"] = "no-cache"
    resp.set_etag(prepared.etag, weak=True)
    return resp
