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
from flask import Response, current_app
from werkzeug.http import parse_accept_header, parse_etags


@dataclass(frozen=True)
class Prepared:
    etag: str
    bodies: dict[str, bytes]  # content coding ("identity", "gzip", "br") -> body

    def answer(self, accept_encoding: str | None,
               if_none_match: str | None) -> tuple[int, list[tuple[str, str]], bytes]:
        """(status, headers, body) for a request's Accept-Encoding and If-None-Match: a 304 when
        the client holds this version, otherwise the best coding it takes; it must revalidate
        (no-cache) before reusing it."""
        headers = [("Vary", "Accept-Encoding"), ("Cache-Control", "no-cache"), ("ETag", f'W/"{self.etag}"')]
        if if_none_match and parse_etags(if_none_match).contains_weak(self.etag):
            return 304, headers, b""
        coding = parse_accept_header(accept_encoding).best_match(["br", "gzip"]) if accept_encoding else None
        body = self.bodies[coding or "identity"]
        headers += [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
        if coding:
            headers.append(("Content-Encoding", coding))
        return 200, headers, body


def prepare(payload: Any) -> Prepared:
    body = current_app.json.dumps(payload).encode()
    level = current_app.config.get("COMPRESS_BR_LEVEL", 4)
    return Prepared(etag=hashlib.blake2b(body, digest_size=12).hexdigest(),
                    bodies={"identity": body, "gzip": gzip.compress(body, 6, mtime=0),
                            "br": brotli.compress(body, quality=level)})


def respond(prepared: Prepared) -> Response:
    """The answer as a Flask response (see ``Prepared.answer``)."""
    from flask import request

    status, headers, body = prepared.answer(request.headers.get("Accept-Encoding"),
                                            request.headers.get("If-None-Match"))
    resp = Response(body, status=status)
    for name, value in headers:
        resp.headers[name] = value
    return resp
