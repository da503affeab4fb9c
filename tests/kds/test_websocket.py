"""The WebSocket driver on gunicorn's gevent worker (kds/websocket.py): the RFC 6455 handshake and
what it refuses; the live sockets themselves are the rest of tests/kds."""
from __future__ import annotations

import pytest

from kds.websocket import _accept_key, _Reader

UPGRADE = {"REQUEST_METHOD": "GET", "HTTP_UPGRADE": "websocket", "HTTP_CONNECTION": "keep-alive, Upgrade",
           "HTTP_SEC_WEBSOCKET_VERSION": "13", "HTTP_SEC_WEBSOCKET_KEY": "dGhlIHNhbXBsZSBub25jZQ=="}


def test_the_handshake_answers_with_the_rfc_6455_accept_key() -> None:
    assert _accept_key(UPGRADE) == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="  # RFC 6455 section 1.3's example


@pytest.mark.parametrize("change", [
    {"REQUEST_METHOD": "POST"}, {"HTTP_UPGRADE": "h2c"}, {"HTTP_CONNECTION": "keep-alive"},
    {"HTTP_SEC_WEBSOCKET_VERSION": "8"}, {"HTTP_SEC_WEBSOCKET_KEY": "c2hvcnQ="}, {"HTTP_SEC_WEBSOCKET_KEY": "@@"},
])
def test_a_request_that_is_not_a_valid_upgrade_is_refused(change: dict[str, str]) -> None:
    assert _accept_key(UPGRADE | change) is None


class _Chunks:
    def __init__(self, *chunks: bytes) -> None:
        self.chunks = list(chunks)

    def recv(self, n: int) -> bytes:
        return self.chunks.pop(0)[:n] if self.chunks else b""


def test_a_frame_is_read_whole_across_packets_and_one_over_the_limit_is_not_read() -> None:
    assert _Reader(_Chunks(b"ab", b"cd", b"e"), limit=10).read(5) == b"abcde"
    assert _Reader(_Chunks(b"ab"), limit=10).read(5) == b"ab"  # the peer went away mid-frame
    with pytest.raises(OSError):
        _Reader(_Chunks(b"x" * 20), limit=10).read(11)
