"""Memory per idle kitchen socket: one server process holding ``--sockets`` screens on ``/kds``.

    python bench/idle_sockets.py [--sockets 5000] [--worker all|shipped|simple|geventws] [--deflate]

For each way of serving WebSockets (as shipped: gunicorn's gevent worker reading each socket in
its own greenlet; ``simple``: the same worker with simple-websocket; gevent-websocket's worker)
it starts one process on a temporary SQLite database, opens the sockets from a separate client
process (gevent, raw Engine.IO over websocket-client: each joins ``/kds`` with the cook's token
and answers pings), and reads the worker's resident memory before and after. ``--deflate``:
the clients ask for permessage-deflate, as browsers do (wsproto), so a server that accepts it
keeps compression state per socket. Target (issue #14): ≤ 64 KiB per socket at 5,000 per process.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

WORKERS = {
    "shipped": {},  # gunicorn.conf.py's default: gevent worker, WebSockets read in their greenlets (kds/websocket.py)
    "simple": {"SOCKETIO_ASYNC_MODE": "threading"},  # the same worker with simple-websocket
    "geventws": {"GUNICORN_WORKER": "geventwebsocket.gunicorn.workers.GeventWebSocketWorker",
                 "SOCKETIO_ASYNC_MODE": ""},
}


def client(url: str, token: str, count: int, deflate: bool = False) -> None:
    """Open ``count`` screens and keep them alive until stdin closes (runs in its own process)."""
    from gevent import monkey

    monkey.patch_all()
    import gevent

    joined: list[int] = []
    failed: list[str] = []
    screen = _deflate_screen if deflate else _screen

    def one() -> None:
        try:
            screen(url, token, joined)
        except BaseException as exc:  # noqa: BLE001 - told below, with the count
            failed.append(f"{type(exc).__name__}: {exc}"[:120])

    greenlets = []
    for i in range(count):
        greenlets.append(gevent.spawn(one))
        if i % 100 == 99:
            gevent.sleep(0.05)
    deadline = time.time() + 300
    while len(joined) < count and time.time() < deadline:
        gevent.sleep(0.2)
    if failed:
        print(f"{len(failed)} sockets failed, first: {failed[0]}", file=sys.stderr, flush=True)
    print(f"ready {len(joined)}", flush=True)
    gevent.get_hub().threadpool.spawn(sys.stdin.read).get()
    gevent.killall(greenlets, block=False)


def _screen_message(msg: str, send: Callable[[str], Any], token: str, joined: list[int]) -> None:
    """A screen's answer to one Engine.IO message: join ``/kds`` on open, count the join, answer pings."""
    if msg.startswith("0{"):  # the Engine.IO open packet
        send('40/kds,{"token":"' + token + '"}')
    elif msg.startswith("40/kds"):
        joined.append(1)
    elif msg.startswith("44"):
        raise SystemExit(f"refused: {msg}")
    elif msg == "2":
        send("3")


def _screen(url: str, token: str, joined: list[int]) -> None:
    import websocket

    ws = websocket.create_connection(url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket",
                                     timeout=60)
    while True:
        _screen_message(ws.recv(), ws.send, token, joined)


def _deflate_screen(url: str, token: str, joined: list[int]) -> None:
    """As ``_screen``, offering permessage-deflate in the handshake as a browser does."""
    import socket

    from wsproto import ConnectionType, WSConnection
    from wsproto.events import Ping, RejectConnection, Request, TextMessage
    from wsproto.extensions import PerMessageDeflate

    host, port = url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=60)
    ws = WSConnection(ConnectionType.CLIENT)
    sock.sendall(ws.send(Request(host=host, target="/socket.io/?EIO=4&transport=websocket",
                                 extensions=[PerMessageDeflate()])))
    while data := sock.recv(65536):
        ws.receive_data(data)
        for event in ws.events():
            if isinstance(event, RejectConnection):
                raise SystemExit("refused")
            if isinstance(event, Ping):
                sock.sendall(ws.send(event.response()))
            elif isinstance(event, TextMessage):
                _screen_message(event.data, lambda m: sock.sendall(ws.send(TextMessage(data=m))), token, joined)


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise LookupError(pid)


def worker_pid(master: int) -> int:
    for _ in range(50):
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise LookupError("no worker")


def measure(kind: str, sockets: int, deflate: bool) -> tuple[float, int]:
    import requests

    from bench.common import bench_env, prepare_demo
    from tests.servers import free_port, start_gunicorn, stop

    tmp = Path(tempfile.mkdtemp(prefix="diancan-bench-"))
    port = free_port()
    env = bench_env(tmp, port, **WORKERS[kind])
    prepare_demo(env)
    proc = start_gunicorn(env, tmp / "gunicorn.log", port)
    try:
        base = f"http://127.0.0.1:{port}"
        cook = requests.post(f"{base}/api/v1/staff/login", timeout=10,
                             json={"store": "demo", "username": "cook", "password": "cook-demo-pass"}).json()["token"]
        pid = worker_pid(proc.pid)
        flags = ["--deflate"] if deflate else []
        warm = subprocess.Popen([sys.executable, __file__, "--client", base, cook, "50", *flags],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert warm.stdout is not None and warm.stdin is not None
        warm.stdout.readline()  # the code paths of a socket's life loaded once
        time.sleep(1)
        before = rss_kib(pid)
        many = subprocess.Popen([sys.executable, __file__, "--client", base, cook, str(sockets), *flags],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert many.stdout is not None and many.stdin is not None
        ready = int(many.stdout.readline().split()[1])
        time.sleep(3)
        after = rss_kib(pid)
        for p in (many, warm):
            assert p.stdin is not None
            p.stdin.close()
            p.wait(30)
        return (after - before) / max(ready, 1), ready
    finally:
        stop(proc)


def main() -> None:
    if sys.argv[1:2] == ["--client"]:
        client(sys.argv[2], sys.argv[3], int(sys.argv[4]), deflate="--deflate" in sys.argv[5:])
        return
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sockets", type=int, default=5000)
    parser.add_argument("--worker", choices=["all", *WORKERS], default="all")
    parser.add_argument("--deflate", action="store_true", help="clients ask for permessage-deflate, as browsers do")
    args = parser.parse_args()
    print(f"idle /kds sockets on one process (target ≤ 64 KiB each at {args.sockets})"
          + (", clients asking for permessage-deflate" if args.deflate else ""))
    for kind in WORKERS if args.worker == "all" else [args.worker]:
        per, ready = measure(kind, args.sockets, args.deflate)
        print(f"  {kind:9} {ready:5d} sockets joined: {per:5.1f} KiB each (worker RSS growth / sockets)"
              f"   {'meets' if per <= 64 and ready == args.sockets else 'misses'} the target")


if __name__ == "__main__":
    main()
