"""Business gauges computed when Prometheus scrapes: a few indexed, grouped queries per scrape.

Every process exposes the same database-wide values (each process is scraped on its own), so the
alert rules aggregate them with ``max``, not ``sum``. Sockets and the pool are this process's own.
"""
from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta

from flask import current_app, has_app_context
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import func, select

from models import Payment, Ticket, db, utcnow
from services import status as reported
from services.uow import reading

log = logging.getLogger(__name__)

OPEN_TICKET = ("new", "cooking", "done")
STUCK_AFTER = timedelta(minutes=5)
NAMESPACES = ("/kds", "/table", "/staff")


class BusinessCollector(Collector):
    def describe(self) -> Iterator[Metric]:
        return iter(())  # nothing to check at registration (it would query before migrations)

    def collect(self) -> Iterator[Metric]:
        yield from self._sockets()
        yield from self._pool()
        try:
            yield from self._from_database()
            up = 1
        except Exception:  # the database being down must not take the plumbing metrics with it
            log.exception("business metrics query failed")
            db.session.remove()
            up = 0
        yield GaugeMetricFamily("diancan_business_metrics_up", "1 when the scrape's database queries answered",
                                value=up)

    def _sockets(self) -> Iterator[Metric]:
        family = GaugeMetricFamily("diancan_sockets", "Socket.IO connections on this process, by namespace",
                                   labels=["namespace"])
        socketio = current_app.extensions.get("socketio") if has_app_context() else None
        server = getattr(socketio, "server", None)
        rooms = server.manager.rooms if server is not None else {}
        for namespace in NAMESPACES:
            # python-socketio puts every connected sid of a namespace in its room ``None``.
            family.add_metric([namespace], len(rooms.get(namespace, {}).get(None, {})))
        yield family

    def _pool(self) -> Iterator[Metric]:
        pool = db.engine.pool if db.engine is not None else None
        in_use = GaugeMetricFamily("diancan_db_pool_in_use", "Database connections checked out of this process's pool")
        size = GaugeMetricFamily("diancan_db_pool_size", "Connections this process's pool keeps")
        checkedout, pool_size = getattr(pool, "checkedout", None), getattr(pool, "size", None)
        in_use.add_metric([], checkedout() if callable(checkedout) else 0)
        size.add_metric([], pool_size() if callable(pool_size) else 0)
        yield in_use
        yield size

    def _from_database(self) -> Iterator[Metric]:
        now = utcnow()
        with reading() as db:  # ends the read at once (on SQLite a transaction holds the write lock)
            tickets = db.execute(
                select(Ticket.store_id, Ticket.station, func.count(), func.min(Ticket.created_at))
                .where(Ticket.status.in_(OPEN_TICKET)).group_by(Ticket.store_id, Ticket.station)
            ).all()
            stuck = db.execute(
                select(Payment.store_id, func.count())
                .where(Payment.status == "paying", Payment.created_at < now - STUCK_AFTER).group_by(Payment.store_id)
            ).all()
            jobs = reported.print_job_counts()
            down = reported.printers_down()

        open_ = GaugeMetricFamily("diancan_tickets_open", "Kitchen tickets not yet bumped, by store and station",
                                  labels=["store", "station"])
        oldest = GaugeMetricFamily("diancan_oldest_ticket_age_seconds",
                                   "Age of the oldest ticket not yet bumped, by store and station",
                                   labels=["store", "station"])
        for store_id, station, count, first in tickets:
            open_.add_metric([str(store_id), station], count)
            age = (now - first).total_seconds() if first is not None else 0.0
            oldest.add_metric([str(store_id), station], max(age, 0.0))
        yield open_
        yield oldest
        stuck_family = GaugeMetricFamily(
            "diancan_payments_stuck", f"Payments still paying after {int(STUCK_AFTER.total_seconds() // 60)} minutes",
            labels=["store"])
        for store_id, count in stuck:
            stuck_family.add_metric([str(store_id)], count)
        yield stuck_family
        print_jobs = GaugeMetricFamily("diancan_print_jobs", "Print jobs by status", labels=["status"])
        for status, count in sorted(jobs.items()):
            print_jobs.add_metric([status], count)
        yield print_jobs
        printers = GaugeMetricFamily("diancan_printers_down", "Printers not answering, by store", labels=["store"])
        for store, count in sorted(down.items()):
            printers.add_metric([store], count)
        yield printers
