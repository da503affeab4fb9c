"""Photo uploads beside the rush: does a manager uploading phone photos stall everyone else on the
same server process? Prints /healthz latency while 3 MB JPEGs are uploaded, beside idle /healthz.

    python bench/photo_upload.py [--uploads 6]

Starts its own gunicorn (gevent worker) on a temporary SQLite database and stops by itself.
"""
from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import threading
import time
from pathlib import Path

import requests
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import demo_server, staff_login  # noqa: E402
from bench.order_to_screen import pct  # noqa: E402


def probe_while(base: str, work) -> list[float]:  # type: ignore[no-untyped-def]
    """ms of each /healthz answer, asked every 5 ms while ``work()`` runs."""
    done, out = threading.Event(), []

    def probe() -> None:
        while not done.is_set():
            t0 = time.perf_counter()
            requests.get(f"{base}/healthz", timeout=30).raise_for_status()
            out.append((time.perf_counter() - t0) * 1000)
            time.sleep(0.005)

    t = threading.Thread(target=probe)
    t.start()
    time.sleep(0.3)
    work()
    done.set()
    t.join()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--uploads", type=int, default=6)
    args = parser.parse_args()
    with demo_server() as (base, _tables, item_id):
        owner = staff_login(base)
        photo = io.BytesIO()
        Image.frombytes("RGB", (3000, 2000), os.urandom(18_000_000)).save(photo, "JPEG", quality=70)

        def uploads() -> None:
            for _ in range(args.uploads):
                r = requests.put(f"{base}/api/v1/admin/items/{item_id}/photo", timeout=60,
                                 headers={"Authorization": f"Bearer {owner}"},
                                 files={"photo": ("phone.jpg", photo.getvalue(), "image/jpeg")})
                r.raise_for_status()

        idle = probe_while(base, lambda: time.sleep(1.5))
        busy = probe_while(base, uploads)
        print(f"/healthz while {args.uploads} photos of {len(photo.getvalue()) // 1024} KiB are uploaded "
              "(SQLite, 1 gunicorn gevent process)")
        for label, xs in (("idle:  ", idle), ("upload:", busy)):
            print(f"  {label} p50 {statistics.median(xs):6.1f} ms   p99 {pct(xs, 99):6.1f} ms   max {max(xs):6.1f} ms")
        print(f"  worst stall / idle p50: {max(busy) / statistics.median(idle):6.1f}×")


if __name__ == "__main__":
    main()
