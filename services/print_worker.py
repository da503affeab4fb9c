"""The print worker: each server process runs one; together they print every job exactly once.

One pass (``run_once``):
1. In one short transaction, find each printer's oldest queued job (its head); where the head is
   due and no lease holds it, claim it and the jobs queued behind it (a batch) with a conditional
   ``UPDATE … WHERE status = 'queued' AND lease expired``: of two workers racing for the rows,
   one gets them all (a partial claim is given back). A batch always starts at the head, so a
   printer gets its jobs in order, and while one worker holds a printer's head no other can send
   its next job.
2. Send each batch in order, one thread per printer, holding no database connection meanwhile.
3. Record each job as it goes (only while still holding the lease): printed; or put back with back-off
   (the printer shows "down" once its head has failed for ``PRINT_DOWN_AFTER_SECONDS``); or, when
   the provider refuses our credentials, the printer becomes "rejected" and is skipped until
   someone fixes its settings. A job whose content cannot be rendered fails alone. After a
   failure the rest of the batch is given back untried.

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
from datetime import datetime, timedelta
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
    lease_until: datetime


@dataclass(frozen=True)
class Outcome:
    claim: Claim
    error: Exception | None


def backoff(attempts: int, ceiling: float) -> timedelta:
    """At once after a first failure (a dropped connection is usually a blip), then 0.5 s, 1 s, 2 s,
    … up to ``ceiling``: a printer back from a power cut is tried again soon."""
    if attempts <= 1:
        return timedelta(0)
    return timedelta(seconds=min(0.5 * 2 ** (attempts - 2), ceiling))


class PrintWorker:
    def __init__(self, app: Any, owner: str | None = None) -> None:
        self.app = app
        self.owner = owner or f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.waker = threading.Event()
        self.stopped = threading.Event()
        self._busy: set[int] = set()  # printers this worker is sending to right now
        self._threads: set[threading.Thread] = set()

    @property
    def config(self) -> Mapping[str, Any]:
        return self.app.config  # type: ignore[no-any-return]

    def run_forever(self) -> None:
        """Work until ``stop()``: wake on this process's commits that queued a job, else poll.

        Each printer's batch is sent by its own thread, so a printer that times out holds up no
        other; the loop claims again whenever a batch ends or a job is queued.
        """
        _wakers.append(self.waker)
        try:
            while not self.stopped.is_set():
                try:
                    self.run_once(wait=False)
                except Exception:  # a database hiccup must not end printing for this process
                    log.exception("print worker pass failed")
                self.waker.wait(float(self.config["PRINT_POLL_SECONDS"]))
                self.waker.clear()
            for thread in list(self._threads):
                thread.join()
        finally:
            _wakers.remove(self.waker)

    def stop(self) -> None:
        self.stopped.set()
        self.waker.set()

    def run_once(self, wait: bool = True) -> int:
        """Claim the next jobs of every printer this worker is not already serving and send them
        (a thread per printer); with ``wait``, return once all are recorded. Returns the jobs claimed."""
        with self.app.app_context():
            batches = self._claim(exclude=set(self._busy))
        threads = []
        for printer_id, batch in batches.items():
            self._busy.add(printer_id)
            thread = threading.Thread(target=self._serve, args=(printer_id, batch), daemon=True)
            self._threads.add(thread)
            threads.append(thread)
            thread.start()
        if wait:
            for thread in threads:
                thread.join()
        return sum(len(b) for b in batches.values())

    def _serve(self, printer_id: int, batch: list[Claim]) -> None:
        """Send a printer's batch in order, recording each job; the first failure puts the rest back."""
        try:
            # A send may take up to twice the timeout (a cloud call): never start one that could
            # outlast the lease, or another worker could take the job meanwhile and print it too.
            margin = timedelta(seconds=3 * float(self.config["PRINT_TIMEOUT_SECONDS"]))
            with self.app.app_context():
                for i, claim in enumerate(batch):
                    if utcnow() + margin > claim.lease_until:
                        self._release([c.job_id for c in batch[i:]])
                        break
                    outcome = self._send(claim)
                    self._record(outcome)
                    if outcome.error is not None:
                        self._release([c.job_id for c in batch[i + 1:]])
                        break
        except Exception:
            log.exception("printing to printer %s failed", printer_id)
        finally:
            self._busy.discard(printer_id)
            self._threads.discard(threading.current_thread())
            self.waker.set()

    def _release(self, job_ids: list[int]) -> None:
        """Give back claimed jobs not tried: as if never claimed."""
        if not job_ids:
            return
        with transaction() as tx:
            tx.session.execute(
                update(PrintJob).where(PrintJob.id.in_(job_ids), PrintJob.lease_owner == self.owner)
                .values(lease_owner=None, lease_until=None, attempts=PrintJob.attempts - 1)
                .execution_options(synchronize_session=False))

    def _claim(self, exclude: set[int]) -> dict[int, list[Claim]]:
        """Per printer whose head job is due and free: claim the head and the jobs queued behind it.

        All of a batch is claimed or none: a partial claim (another worker raced us for some of
        its rows) is given back, so two workers never send one printer's jobs at the same time.
        """
        now = utcnow()
        lease_until = now + timedelta(seconds=float(self.config["PRINT_LEASE_SECONDS"]))
        size = int(self.config.get("PRINT_BATCH", 20))
        free = or_(PrintJob.lease_until.is_(None), PrintJob.lease_until < now)
        batches: dict[int, list[Claim]] = {}
        with transaction() as tx:
            heads = [head for (head,) in tx.session.execute(
                select(func.min(PrintJob.id)).where(PrintJob.status == "queued").group_by(PrintJob.printer_id)
            ).all()]
            if not heads:
                return {}
            rows = tx.session.execute(
                select(PrintJob.id, Printer).join(Printer, Printer.id == PrintJob.printer_id)
                .where(PrintJob.id.in_(heads), Printer.deleted_at.is_(None), Printer.state != "rejected",
                       PrintJob.next_attempt_at <= now, free)
            ).all()
            for head_id, printer in rows:
                if printer.id in exclude:
                    continue
                jobs = list(tx.session.execute(
                    select(PrintJob).where(PrintJob.printer_id == printer.id, PrintJob.status == "queued",
                                           PrintJob.id >= head_id).order_by(PrintJob.id).limit(size)
                ).scalars())
                ids = [j.id for j in jobs]
                won = tx.session.execute(
                    update(PrintJob).where(PrintJob.id.in_(ids), PrintJob.status == "queued", free)
                    .values(lease_owner=self.owner, lease_until=lease_until, attempts=PrintJob.attempts + 1)
                    .execution_options(synchronize_session=False)
                ).rowcount  # type: ignore[attr-defined]
                if won != len(ids):
                    tx.session.execute(
                        update(PrintJob).where(PrintJob.id.in_(ids), PrintJob.lease_owner == self.owner)
                        .values(lease_owner=None, lease_until=None, attempts=PrintJob.attempts - 1)
                        .execution_options(synchronize_session=False))
                    continue
                target = Target(kind=printer.kind, name=printer.name, paper_width=printer.paper_width,
                                host=printer.host, port=printer.port, sn=printer.sn, key=printer.key)
                batches[printer.id] = [Claim(j.id, printer.id, j.store_id, j.kind, dict(j.payload), target,
                                             j.attempts + 1, lease_until) for j in jobs]
        return batches

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
