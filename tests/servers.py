"""Starting real servers for tests and benchmarks: gunicorn with the gevent worker, as in production."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(env: dict[str, str], log_path: Path, port: int, app: str = "wsgi:app") -> subprocess.Popen[bytes]:
    """Start ``app`` (``wsgi:app``; own process group, so a test can SIGKILL master and worker together)."""
    full_env = {**os.environ, **env, "PORT": str(port), "HOST": "127.0.0.1", "PYTHONPATH": str(ROOT)}
    full_env.setdefault("GRACEFUL_TIMEOUT", "1")
    log = open(log_path, "a")  # noqa: SIM115 - the child keeps writing to it
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), app],
        cwd=ROOT, env=full_env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    log.close()
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while True:
        try:
            if requests.get(base + "/healthz", timeout=2).status_code == 200:
                return proc
        except (requests.ConnectionError, requests.Timeout):
            pass
        if proc.poll() is not None or time.time() > deadline:
            stop(proc)
            raise RuntimeError("server did not start: " + log_path.read_text()[-2000:])
        time.sleep(0.1)


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextmanager
def gunicorn_server(env: dict[str, str], log_path: Path, port: int | None = None) -> Iterator[str]:
    """Serve ``wsgi:app`` with ``env`` on 127.0.0.1 until the block ends; yields the base URL."""
    port = port or int(env.get("PORT") or free_port())
    proc = start_gunicorn(env, log_path, port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc)


def read_http_request(sock: socket.socket) -> bytes | None:
    """One whole HTTP/1.1 request (head and Content-Length body) from a socket; None if it closes first."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        body += chunk
    return head + b"\r\n\r\n" + body
