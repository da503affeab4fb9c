"""The diner's page on a weak phone network: time until the menu shows, first and returning visit.

Chromium emulates the network (400 ms round trip, 50 KB/s down and up) through the DevTools
protocol; the page is the demo store's table page served by gunicorn as `make run` serves it.
A returning visit is the same browser profile loading the page again (its HTTP cache warm).

    PYTHONPATH=. .venv/bin/python bench/weak_network.py [--latency 400] [--kbps 50] [--runs 3]
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time

from playwright.sync_api import sync_playwright

from bench.common import demo_server

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]


def visit(page, url: str) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    """Seconds from navigation to the first dish on screen, and bytes received over the network."""
    received = 0

    def count(response) -> None:  # type: ignore[no-untyped-def]
        nonlocal received
        try:
            sizes = response.request.sizes()
            received += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        except Exception:  # noqa: S110 - a response without sizes (cache) counts as 0
            pass

    page.on("response", count)
    started = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_selector(".dish", timeout=60_000)
    elapsed = time.perf_counter() - started
    page.remove_listener("response", count)
    return elapsed, received


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--latency", type=int, default=400, help="round trip in ms")
    ap.add_argument("--kbps", type=int, default=50, help="KB/s each way")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    first, back, sizes = [], [], []
    with demo_server() as (base, tables, _item), sync_playwright() as p:
        url = f"{base}/t/{tables[0]}"
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory() as profile:
                ctx = p.chromium.launch_persistent_context(profile, executable_path="/usr/bin/chromium", args=ARGS,
                                                           viewport={"width": 390, "height": 844})
                page = ctx.new_page()
                cdp = ctx.new_cdp_session(page)
                cdp.send("Network.enable")
                rate = args.kbps * 1024
                cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": args.latency,
                                                              "downloadThroughput": rate, "uploadThroughput": rate})
                seconds, size = visit(page, url)
                first.append(seconds)
                sizes.append(size)
                page.goto("about:blank")
                back.append(visit(page, url)[0])
                ctx.close()
    print(f"weak network: {args.latency} ms round trip, {args.kbps} KB/s; {args.runs} runs")
    print(f"  first visit     menu shown in {statistics.median(first):5.2f} s (median; target ≤ 2.5 s), "
          f"{statistics.median(sizes) / 1024:.0f} KB over the network")
    print(f"  returning visit menu shown in {statistics.median(back):5.2f} s (median; target ≤ 1.5 s)")


if __name__ == "__main__":
    main()
