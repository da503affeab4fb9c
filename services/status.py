"""Status that parts built elsewhere report, read by the metrics scrape and the staff warnings.

Printers (issue 13) register two functions here; each returns counts from cheap SQL and is called
inside an app context. Until they do, print jobs read as zeros and no printer is down, so the
metrics, the alert rules and the warnings hold their shape.
"""
from __future__ import annotations

from collections.abc import Callable

PRINT_JOB_STATUSES = ("queued", "printed", "failed")
PrintJobCounts = Callable[[], dict[str, int]]
PrintersDown = Callable[[], dict[str, int]]
_print_jobs: list[PrintJobCounts] = []
_printers_down: list[PrintersDown] = []


def provide_print_jobs(fn: PrintJobCounts) -> None:
    """``fn() -> {status: jobs}`` (queued, printed, failed) for ``diancan_print_jobs{status}``."""
    if fn not in _print_jobs:
        _print_jobs.append(fn)


def provide_printers_down(fn: PrintersDown) -> None:
    """``fn() -> {str(store_id): printers not answering}``: ``diancan_printers_down{store}`` and the
    staff's printer_down warning."""
    if fn not in _printers_down:
        _printers_down.append(fn)


def print_job_counts() -> dict[str, int]:
    counts = dict.fromkeys(PRINT_JOB_STATUSES, 0)
    for fn in _print_jobs:
        for status, n in fn().items():
            counts[status] = counts.get(status, 0) + n
    return counts


def printers_down() -> dict[str, int]:
    down: dict[str, int] = {}
    for fn in _printers_down:
        for store, n in fn().items():
            down[store] = down.get(store, 0) + n
    return down
