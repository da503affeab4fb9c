"""Scaling out on MariaDB: orders per second one server process accepts, then two behind Redis.

    python bench/scale.py [--seconds 15] [--clients 8] [--repeat 3]

Each process is one gunicorn with one gevent worker, all on one fresh MariaDB database and one
Redis (kitchen events travel through it to every process's screens), as ``make cluster`` runs
them (without nginx: the clients are split evenly between the processes' ports). Target
(issue #14): two processes ≥ 1.6× one. The load generator runs on the same machine: with two
cores, two server processes and the clients share them, so the figure is a floor for a
machine whose clients are elsewhere. One pair of runs swings by up to 2× on such a machine, so
the pair (1 process, then 2) is repeated ``--repeat`` times and the median of the pairs' ratios is
the figure, with every pair printed beside it.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import uuid
from pathlib import Path

import pymysql

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import bench_env, prepare_demo  # noqa: E402
from bench.rush import ApiOrders, _drive  # noqa: E402
from tests.servers import free_port, start_gunicorn, stop  # noqa: E402


class SplitOrders(ApiOrders):
    """Clients spread over several processes' base URLs, client i on process i mod n."""

    def __init__(self, bases: list[str], tokens: list[str], item_id: int) -> None:
        super().__init__(bases[0], tokens, item_id)
        self.bases = bases

    def setup(self, i: int):  # type: ignore[no-untyped-def]
        self.base = self.bases[i % len(self.bases)]
        return super().setup(i) + (self.base,)

    def one(self, state, i: int) -> None:  # type: ignore[no-untyped-def]
        s, table, base = state
        self.base = base
        super().one((s, table), i)


def _rate(admin: pymysql.Connection, tmp: Path, ports: list[int], processes: int, args: argparse.Namespace) -> float:
    """Orders per second ``processes`` gunicorns accept on a database of their own (a store's check
    takes at most 500 portions: the runs would fill the demo's eight tables one after the other)."""
    name = f"diancan_bench_{uuid.uuid4().hex[:8]}"
    admin.cursor().execute(f"CREATE DATABASE {name} CHARACTER SET utf8mb4")
    env = bench_env(tmp, ports[0], DATABASE_URL=f"mysql+pymysql://root@127.0.0.1/{name}?charset=utf8mb4",
                    REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
                    SOCKETIO_CHANNEL=f"diancan-bench-{uuid.uuid4().hex[:8]}")
    procs = []
    try:
        tables, item_id = prepare_demo(env, stock=10_000_000)
        procs = [start_gunicorn(env | {"PORT": str(p), "PUBLIC_BASE_URL": f"http://127.0.0.1:{p}"},
                                tmp / f"gunicorn{p}.log", p) for p in ports[:processes]]
        work = SplitOrders([f"http://127.0.0.1:{p}" for p in ports[:processes]], tables, item_id)
        return _drive(args.seconds, args.clients, work) / args.seconds
    finally:
        for proc in procs:
            stop(proc)
        admin.cursor().execute(f"DROP DATABASE IF EXISTS {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=3, help="pairs of runs; the median ratio is reported")
    args = parser.parse_args()
    admin = pymysql.connect(host="127.0.0.1", user="root", autocommit=True)
    tmp = Path(tempfile.mkdtemp(prefix="diancan-bench-"))
    ports = [free_port(), free_port()]
    try:
        # 1 then 2, in turns: a drift of the machine hits both alike
        pairs = [(_rate(admin, tmp, ports, 1, args), _rate(admin, tmp, ports, 2, args))
                 for _ in range(max(1, args.repeat))]
    finally:
        admin.close()
    print(f"orders accepted on MariaDB, {args.clients} clients, {args.seconds:g} s each "
          f"(load average {os.getloadavg()[0]:.1f}, {os.cpu_count()} cores shared with the clients)")
    for k, (one, two) in enumerate(pairs, 1):
        print(f"  pair {k}: 1 process {one:7.1f} /s, 2 processes {two:7.1f} /s, ratio {two / one:.2f}×")
    ratios = [two / one for one, two in pairs]
    print(f"  median ratio {statistics.median(ratios):.2f}× (spread {min(ratios):.2f}–{max(ratios):.2f}×; "
          f"target ≥ 1.6×)")


if __name__ == "__main__":
    main()
