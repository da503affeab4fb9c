"""Operations: Prometheus metrics at ``/metrics``, readiness at ``/readyz``, JSON logs with a
request id, optional Sentry. ``init_app`` wires them into the Flask app."""
from __future__ import annotations

import logging
import os
import time

from flask import Flask, Response, g, request

from monitoring import logs, metrics

log = logging.getLogger("diancan.request")
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_collector_registered = False


def init_app(app: Flask) -> None:
    _instrument_requests(app)
    _register_collector()
    _instrument_events()
    _fault_hook(app)
    from monitoring import routes

    app.register_blueprint(routes.bp)
    if app.config.get("SENTRY_DSN"):
        from monitoring import errors_to_sentry

        errors_to_sentry.init(app.config["SENTRY_DSN"])


def endpoint_label() -> str:
    """The route template (``/api/v1/orders/<int:order_id>``), never the path a client sent."""
    rule = request.url_rule
    return rule.rule if rule is not None else "unmatched"


def _instrument_requests(app: Flask) -> None:
    @app.before_request
    def _start() -> None:
        g.request_started = time.perf_counter()
        g.request_id = logs.new_request_id(request.headers.get("X-Request-Id"))
        g.log_store_id = None

    @app.after_request
    def _finish(resp: Response) -> Response:
        started = g.get("request_started")
        duration = time.perf_counter() - started if started is not None else 0.0
        endpoint = endpoint_label()
        method = request.method if request.method in _METHODS else "OTHER"
        status = resp.status_code
        metrics.HTTP_DURATION.labels(endpoint, method, f"{status // 100}xx").observe(duration)
        if status == 429:
            metrics.RATE_LIMITED.labels(endpoint).inc()
        elif status == 503 and resp.is_json and _error_code(resp) == "overloaded":
            metrics.OVERLOADED.inc()
        resp.headers["X-Request-Id"] = logs.request_id() or ""
        _note_store()
        log.info("request", extra={"method": method, "route": endpoint, "status": status,
                                   "duration_ms": round(duration * 1000, 2)})
        return resp


def _error_code(resp: Response) -> str | None:
    body = resp.get_json(silent=True)
    error = body.get("error") if isinstance(body, dict) else None
    return error.get("code") if isinstance(error, dict) else None


def _note_store() -> None:
    """The store the request worked for, when its caller was worked out (staff or screen)."""
    if g.get("log_store_id") is not None:
        return
    for principal in (request.environ.get("diancan.auth") or {}).values():
        store_id = getattr(principal, "store_id", None)
        if isinstance(store_id, int):
            g.log_store_id = store_id
            return
    store_id = (request.view_args or {}).get("store_id")
    if isinstance(store_id, int):
        g.log_store_id = store_id


def _register_collector() -> None:
    global _collector_registered
    if not _collector_registered:
        from monitoring.collector import BusinessCollector

        metrics.REGISTRY.register(BusinessCollector())
        _collector_registered = True


def _instrument_events() -> None:
    from services.uow import Outgoing, observe, observe_facts

    def on_handed_over(events: list[Outgoing], seconds: float) -> None:
        created = False
        for ev in events:
            if ev.audience == "kds":
                metrics.KITCHEN_EVENTS.labels(ev.name).inc()
                created = created or ev.name == "ticket.created"
        if created:
            metrics.ORDER_TO_SCREEN.observe(seconds)

    observe(on_handed_over)
    observe_facts(_count_fact)


def _count_fact(name: str, labels: dict[str, str]) -> None:
    """Services say what happened (``tx.note`` / ``uow.fact``); the counters live here."""
    if name == "order":
        metrics.ORDERS.labels(labels["source"], labels["status"]).inc()
    elif name == "payment":
        metrics.PAYMENTS.labels(labels["channel"], labels["status"]).inc()
    elif name == "notify":
        metrics.NOTIFIES.labels(labels["outcome"]).inc()
    elif name == "seq_announcements":
        metrics.SEQ_ANNOUNCEMENTS.inc(float(labels.get("count", "1")))


def _fault_hook(app: Flask) -> None:
    """Tests only: play a process that dies after a commit, before its events leave."""
    if app.config.get("FAULT_AFTER_COMMIT") != "exit":
        return
    from services import uow

    def die(events: list[uow.Outgoing]) -> None:
        if any(ev.audience == "kds" for ev in events):
            logging.getLogger(__name__).warning("fault injection: exiting after commit")
            os._exit(17)

    uow.fault_after_commit = die
