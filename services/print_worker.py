"""The print worker: each server process runs one; together they print every job exactly once.

One pass (``run_once``):
1. In one short transaction, take each printer's oldest queued job (its head) and claim it with
   a conditional ``UPDATE … WHERE status = 'queued' AND lease expired AND due``: of two workers
   racing for a job, exactly one updates the row. Only a head is ever claimed, so a printer gets
   its jobs in order, and while one worker holds a printer's head no other can send its next job.
2. Send the claimed jobs, one thread per printer, holding no database connection.
3. Record each outcome (only while still holding the lease): printed; or put back with back-off
   (the printer shows "down" once its head has failed for ``PRINT_DOWN_AFTER_SECONDS``); or, when
   the provider refuses our credentials, the printer becomes "rejected" and is skipped until
   someone fixes its settings. A job whose content cannot be rendered fails alone.

A worker that dies mid-send leaves a lease that runs out; the next worker sends the job again.
So paper is at-least-once across a crash in that instant, exactly-once otherwise.
"""
from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import func, or_, select, update

from domain.print_docs import layout
from models import Printer, PrintJob, db, utcnow
from printers import PrinterRejected, PrinterUnavailable, Target, driver
from services import printing
from services.uow import Outgoing, subscribe, transaction

log = logging.getLogger(__name__)
_wakers: list[threading.Event] = []


def _wake_on_commit(events: list[Outgoing]) -> None:
    if any(ev.audience == "print" for ev in events):
        for waker in list(_wakers):
            waker.set()


subscribe(_wake_on_commit)


@dataclass(frozen=True)
class Claim:
    job_id: int
    printer_id: int
    store_id: int
    kind: str
    payload: dict[str, Any]
    target: Target
    attempts: int


@dataclass(frozen=True)
class Outcome:
    claim: Claim
    error: Exception | None


def backoff(attempts: int, ceiling: float) -> timedelta:
    """0.5 s, 1 s, 2 s, … up to ``ceiling``: a printer back from a power cut is tried again soon."""
    return timedelta(seconds=min(0.5 * 2 ** max(attempts - 1, 0), ceiling))


class PrintWorker:
    def __init__(self, app: Any, owner: str | None = None) -> None:
        self.app = app
        self.owner = owner or f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.waker = threading.Event()
        self.stopped = threading.Event()

    @property
    def config(self) -> Mapping[str, Any]:
        return self.app.config  # type: ignore[no-any-return]

    def run_forever(self, sleep: Callable[[float], None] | None = None) -> None:
        """Work until ``stop()``: wake on this process's commits that queued a job, else poll."""
        _wakers.append(self.waker)
        try:
            while not self.stopped.is_set():
                try:
                    handled = self.run_once()
                except Exception:  # a database hiccup must not end printing for this process
                    log.exception("print worker pass failed")
                    handled = 0
                if not handled:
                    self.waker.wait(float(self.config["PRINT_POLL_SECONDS"]))
                    self.waker.clear()
        finally:
            _wakers.remove(self.waker)

    def stop(self) -> None:
        self.stopped.set()
        self.waker.set()

    def run_once(self) -> int:
        """Claim, send and record one job per printer; returns how many were tried."""
        with self.app.app_context():
            claims = self._claim()
        if not claims:
            return 0
        outcomes: list[Outcome] = []
        threads = [threading.Thread(target=lambda c=c: outcomes.append(self._send(c))) for c in claims]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        with self.app.app_context():
            for outcome in outcomes:
                self._record(outcome)
        return len(claims)

    def _claim(self) -> list[Claim]:
        now = utcnow()
        lease_until = now + timedelta(seconds=float(self.config["PRINT_LEASE_SECONDS"]))
        claims = []
        with transaction() as tx:
            heads = [head for (head,) in tx.session.execute(
                select(func.min(PrintJob.id)).where(PrintJob.status == "queued").group_by(PrintJob.printer_id)
            ).all()]
            if not heads:
                return []
            rows = tx.session.execute(
                select(PrintJob, Printer).join(Printer, Printer.id == PrintJob.printer_id)
                .where(PrintJob.id.in_(heads), Printer.deleted_at.is_(None), Printer.state != "rejected",
                       PrintJob.next_attempt_at <= now,
                       or_(PrintJob.lease_until.is_(None), PrintJob.lease_until < now))
            ).all()
            for job, printer in rows:
                won = tx.session.execute(
                    update(PrintJob)
                    .where(PrintJob.id == job.id, PrintJob.status == "queued", PrintJob.next_attempt_at <= now,
                           or_(PrintJob.lease_until.is_(None), PrintJob.lease_until < now))
                    .values(lease_owner=self.owner, lease_until=lease_until, attempts=PrintJob.attempts + 1)
                    .execution_options(synchronize_session=False)
                ).rowcount  # type: ignore[attr-defined]
                if won == 1:
                    target = Target(kind=printer.kind, name=printer.name, paper_width=printer.paper_width,
                                    host=printer.host, port=printer.port, sn=printer.sn, key=printer.key)
                    claims.append(Claim(job.id, printer.id, job.store_id, job.kind, dict(job.payload), target,
                                        job.attempts + 1))
        return claims

    def _send(self, claim: Claim) -> Outcome:
        try:
            kind = driver(claim.target.kind, self.config)
            rendered = kind.render(layout(claim.kind, claim.payload, claim.target.paper_width),
                                   claim.target.paper_width)
            kind.send(claim.target, rendered, f"job-{claim.job_id}")
        except Exception as exc:  # every outcome is recorded; none may end the pass
            return Outcome(claim, exc)
        return Outcome(claim, None)

    def _record(self, outcome: Outcome) -> None:
        claim, error = outcome.claim, outcome.error
        now = utcnow()
        mine = (PrintJob.id == claim.job_id, PrintJob.lease_owner == self.owner, PrintJob.status == "queued")
        released = {"lease_owner": None, "lease_until": None}
        with transaction() as tx:
            printer = tx.session.get(Printer, claim.printer_id)
            assert printer is not None
            if error is None:
                done = tx.session.execute(update(PrintJob).where(*mine).values(
                    status="printed", printed_at=now, last_error="", **released)
                    .execution_options(synchronize_session=False)).rowcount  # type: ignore[attr-defined]
                if not done:
                    log.warning("print job %s printed after its lease ran out", claim.job_id)
                if printer.state != "ok":
                    printer.state, printer.down_since, printer.state_reason = "ok", None, ""
                    tx.session.flush()
                    printing.announce_state(tx, printer)
                return
            message = str(error)[:200] or type(error).__name__
            if isinstance(error, PrinterRejected):
                tx.session.execute(update(PrintJob).where(*mine).values(last_error=message, **released)
                                   .execution_options(synchronize_session=False))
                printer.state, printer.state_reason = "rejected", message
                printer.down_since = printer.down_since or now
                tx.session.flush()
                printing.announce_state(tx, printer)
                return
            if not isinstance(error, PrinterUnavailable):
                log.error("print job %s cannot be printed: %r", claim.job_id, error)
                tx.session.execute(update(PrintJob).where(*mine).values(status="failed", last_error=message,
                                                                         **released)
                                   .execution_options(synchronize_session=False))
                return
            job = tx.session.get(PrintJob, claim.job_id)
            assert job is not None
            if job.lease_owner != self.owner:
                return
            job.first_failed_at = job.first_failed_at or now
            job.next_attempt_at = now + backoff(claim.attempts, float(self.config["PRINT_RETRY_MAX_SECONDS"]))
            job.last_error, job.lease_owner, job.lease_until = message, None, None
            failing_for = (now - job.first_failed_at).total_seconds()
            if printer.state == "ok" and failing_for >= float(self.config["PRINT_DOWN_AFTER_SECONDS"]):
                printer.state, printer.down_since, printer.state_reason = "down", job.first_failed_at, message
                tx.session.flush()
                printing.announce_state(tx, printer)


def start_in_background(app: Any, spawn: Callable[[Callable[[], None]], Any]) -> PrintWorker:
    """This process's worker, run by ``spawn`` (Socket.IO's background task: a greenlet under gevent)."""
    worker = PrintWorker(app)
    spawn(worker.run_forever)
    db.session.remove()
    return worker
