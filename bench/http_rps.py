"""Requests per second one server process answers with keep-alive: the diner's menu and /healthz.

    python bench/http_rps.py [--seconds 10] [--clients 16] [--repeat 3]

Starts its own gunicorn (one gevent worker, the shipped gunicorn.conf.py, access log on as
shipped) on a temporary SQLite database with the demo store, and drives it with ``wrk``
(Debian's package; 1 thread, ``--clients`` keep-alive connections) or, without wrk, a
threaded http.client keep-alive loop (itself CPU-bound: it understates the server). The
load generator shares the machine's cores with the server: the figures are the floor of
what the process does alone. Each is measured ``--repeat`` times; the spread is the noise.
"""
from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import demo_server  # noqa: E402
from tests.servers import free_port, start_gunicorn, stop  # noqa: E402

TARGETS = {"menu GET": 2000.0, "/healthz": 5000.0}


def wrk_rps(url: str, seconds: float, clients: int) -> tuple[float, int]:
    out = subprocess.run(["wrk", "-t1", f"-c{clients}", f"-d{seconds:g}s", "-H", "Accept-Encoding: gzip", url],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return rps, (int(bad.group(1)) if bad else 0) + (sum(int(g) for g in errors.groups()) if errors else 0)


def python_rps(url: str, seconds: float, clients: int) -> tuple[float, int]:
    host, port_path = url.removeprefix("http://").split(":", 1)
    port, path = port_path.split("/", 1)
    counts, bad = [0] * clients, [0] * clients
    stop_at = time.perf_counter() + seconds

    def run(i: int) -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        while time.perf_counter() < stop_at:
            conn.request("GET", "/" + path, headers={"Accept-Encoding": "gzip"})
            r = conn.getresponse()
            r.read()
            counts[i] += 1
            bad[i] += r.status >= 400

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts) / seconds, sum(bad)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    drive = wrk_rps if shutil.which("wrk") else python_rps
    port = free_port()
    tmp = Path(tempfile.mkdtemp(prefix="diancan-bench-"))
    bare = start_gunicorn({"LOG_LEVEL": "WARNING"}, tmp / "bare.log", port, app="bench.bare_app:app")
    try:
        measure(args, drive, f"http://127.0.0.1:{port}/healthz")
    finally:
        stop(bare)


def measure(args: argparse.Namespace, drive: Any, bare_url: str) -> None:
    with demo_server() as (base, tables, _item_id):
        store_id = requests.get(f"{base}/api/v1/tables/{tables[0]}", timeout=10).json()["store"]["id"]
        urls = {"menu GET": f"{base}/api/v1/stores/{store_id}/menu", "/healthz": f"{base}/healthz",
                "floor": bare_url}
        for url in urls.values():
            assert requests.get(url, timeout=10).status_code == 200
            drive(url, 1, args.clients)  # warm up
        print(f"{args.clients} keep-alive clients ({'wrk' if drive is wrk_rps else 'http.client threads'}), "
              f"1 gunicorn gevent process, {args.seconds:g} s × {args.repeat}")
        runs: dict[str, list[tuple[float, int]]] = {name: [] for name in urls}
        for _ in range(args.repeat):  # interleaved: a change in the machine's load hits all three alike
            for name, url in urls.items():
                runs[name].append(drive(url, args.seconds, args.clients))
        floor = statistics.median(r for r, _bad in runs["floor"])
        for name in urls:
            rates = [r for r, _bad in runs[name]]
            rate = statistics.median(rates)
            line = (f"  {name:9} {rate:8.0f} req/s (runs: {', '.join(f'{r:.0f}' for r in rates)};"
                    f" errors {sum(b for _r, b in runs[name])})")
            if name == "floor":
                line += "   bare WSGI hello on the same gunicorn/gevent setup (bench/bare_app.py)"
            else:
                line += (f"   {rate / floor:.2f}× the floor; target ≥ {TARGETS[name]:.0f}:"
                         f" {rate / TARGETS[name]:.2f}× of it")
            print(line)
        print(f"  load average during the run: {os.getloadavg()[0]:.1f} (2 cores: the server gets a share of one)")


if __name__ == "__main__":
    main()
