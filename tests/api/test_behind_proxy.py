"""Behind one reverse proxy (TRUSTED_PROXIES=1, as the README's nginx and `make cluster` set it),
rate limits and lockouts key on each client's own address, not the proxy's: one client's failures
do not lock out another, and a client cannot pick its address by writing X-Forwarded-For."""
from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from tests.helpers import make_store
from tests.proxy import NGINX, nginx_proxy, post_from, reverse_proxy
from tests.servers import free_port, gunicorn_server

GUESSER, OWNER = "127.0.0.2", "127.0.0.3"  # two clients on the loopback network


def _python(upstream: str, tmp: Path) -> AbstractContextManager[int]:
    return reverse_proxy(upstream)


PROXIES: dict[str, Callable[[str, Path], AbstractContextManager[int]]] = {"python": _python, "nginx": nginx_proxy}


@pytest.mark.live
@pytest.mark.parametrize("proxy", sorted(PROXIES))
def test_behind_a_proxy_one_clients_failures_do_not_lock_out_another(client, env, tmp_path, proxy):
    if proxy == "nginx" and not Path(NGINX).exists():
        pytest.skip("Debian's nginx is not installed (apt-get install nginx)")
    store = make_store()
    proxied = {**env, "RATELIMIT_ENABLED": "1", "TRUSTED_PROXIES": "1"}
    with gunicorn_server(proxied, tmp_path / "proxied.log", port=free_port()) as base, \
            PROXIES[proxy](base, tmp_path / "proxy") as port:
        def login(source: str, username: str, password: str, headers: dict[str, str] | None = None) -> int:
            body = json.dumps({"store": store.slug, "username": username, "password": password}).encode()
            return post_from(source, port, "/api/v1/staff/login", body, headers)[0]

        # The guesser claims a new address each time; the proxy appends the real one, which counts.
        for i in range(5):
            assert login(GUESSER, "owner", "guess", {"X-Forwarded-For": f"10.0.0.{i}"}) == 401
        assert login(GUESSER, "owner", "owner-pass", {"X-Forwarded-For": "10.0.0.99"}) == 429
        assert login(OWNER, "owner", "owner-pass") == 200

        # Sixty more attempts (the per-address limit; bodies the route refuses fast, so they all fall
        # in one minute however loaded the machine) shut out the guesser alone.
        codes: list[int] = []
        while 429 not in codes and len(codes) < 130:  # even across a minute's boundary
            codes.append(post_from(GUESSER, port, "/api/v1/staff/login", b"{}")[0])
        assert codes[-1] == 429 and set(codes[:-1]) == {422}
        assert login(OWNER, "owner", "owner-pass") == 200
