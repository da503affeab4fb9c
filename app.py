"""Diancan: ``create_app()`` builds the Flask app with Socket.IO, the API, the pages and the CLI."""
from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from flask import Flask

import access_log
from config import Settings
from models import db


def create_app(settings: Settings | None = None, **overrides: Any) -> Flask:
    settings = settings or Settings.from_env()
    app = Flask(__name__, instance_path=settings.INSTANCE_PATH, template_folder="web/templates",
                static_folder="web/static")
    app.config.update(settings.flask_config())
    app.config.update(overrides)
    _logging(app)
    db.init_app(app)
    from services import context

    context.install(app)

    import api
    import cli
    import kds
    import monitoring
    import web

    monitoring.init_app(app)
    api.init_app(app)
    kds.init_app(app)
    web.init_app(app)
    cli.init_app(app)
    access_log.init_app(app)  # after kds (Socket.IO's middleware)
    if app.config["WECHAT_SANDBOX"]:
        from wechat.sandbox import bp as sandbox_bp

        app.register_blueprint(sandbox_bp)
        logging.getLogger(__name__).warning(
            "WECHAT_SANDBOX is on: /wechat-sandbox/pay/confirm and /alipay-sandbox/pay/confirm mark any payment paid "
            "without authentication, WeChat login and WeChat Pay and Alipay go to the sandboxes, and the demo "
            "store's passwords are public. "
            "Never on a public server: use an https PUBLIC_BASE_URL, or turn the sandbox off.")
        from printers.feie_sandbox import bp as feie_sandbox_bp

        app.register_blueprint(feie_sandbox_bp)
        from alipay_open.sandbox import bp as alipay_sandbox_bp

        app.register_blueprint(alipay_sandbox_bp)

    _reconcile_in_background(app)
    _codepay_in_background(app)
    _print_in_background(app)
    _behind_proxies(app)
    _menu_in_front(app)
    from monitoring.health import HealthMiddleware

    # The process is alive and serving: no database, no gate, nothing it could wait behind.
    app.wsgi_app = HealthMiddleware(app.wsgi_app)  # type: ignore[method-assign]
    return app


def _menu_in_front(app: Flask) -> None:
    """The diner's menu answered before Flask while its cached answer is current (api/fastpath.py):
    with the same security headers, request id, histogram and request line as the route."""

    from api.fastpath import MenuMiddleware
    from monitoring import logs, metrics
    from services import menu_freshness
    from web import HSTS, SECURITY_HEADERS

    headers = [*SECURITY_HEADERS, *([HSTS] if app.config["PUBLIC_BASE_URL"].startswith("https://") else [])]
    request_log = logging.getLogger("diancan.request")
    engine: list[Any] = []

    def get_engine() -> Any:
        if not engine:
            with app.app_context():
                engine.append(db.engine)
        return engine[0]

    def finish(environ: Any, route: str, status: int, seconds: float) -> str:
        rid = logs.new_request_id(environ.get("HTTP_X_REQUEST_ID"))
        metrics.HTTP_DURATION.labels(route, "GET", f"{status // 100}xx").observe(seconds)
        environ[access_log.ROUTE] = {"rule": route}  # gunicorn's access line names the route
        if request_log.isEnabledFor(logging.INFO):
            request_log.info("request", extra={"method": "GET", "route": route, "status": status,
                                               "duration_ms": round(seconds * 1000, 2), "request_id": rid})
        return rid

    menu_freshness.watch(db.engine)  # type: ignore[arg-type]  # set by db.init_app
    app.wsgi_app = MenuMiddleware(app.wsgi_app, get_engine, headers, finish,  # type: ignore[method-assign]
                                  app.config["MENU_FRESH_SECONDS"])


class _NoQueryStrings(logging.Filter):
    """Access-log lines keep the path but not the query string, which may carry codes or tokens."""

    _query = re.compile(r"\?[^\s\"]*")

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self._query.sub("?…", record.getMessage())
        record.args = None
        return True


def _behind_proxies(app: Flask) -> None:
    """Believe X-Forwarded-For / -Proto from TRUSTED_PROXIES proxies, never from the client itself.

    Outermost (around Socket.IO too), so every request's remote_addr is the client's own address.
    """
    trusted = app.config["TRUSTED_PROXIES"]
    if trusted > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=trusted, x_proto=trusted)  # type: ignore[method-assign]


def _reconcile_in_background(app: Flask) -> None:
    """Each server process asks WeChat Pay about unsettled payments every RECONCILE_SECONDS.

    Crediting and closing are idempotent, so several processes doing it at once do no harm.
    """
    seconds = app.config["RECONCILE_SECONDS"]
    if seconds <= 0 or app.config.get("TESTING"):
        return

    def reconcile() -> None:
        from services.payments import reconcile as run

        run()

    _every(app, seconds, reconcile, "payment reconcile failed")


def _codepay_in_background(app: Flask) -> None:
    """Each server process polls payment codes whose payer is confirming on the phone (about every
    CODEPAY_POLL_SECONDS) and reverses those not paid in time. Polls are leased per payment in the
    database (services/codepay_follow.py), so any number of processes share them: one asks the
    provider per payment and interval, and crediting is a conditional UPDATE."""
    if not app.config["CODEPAY_WORKER"] or app.config.get("TESTING"):
        return

    def poll() -> None:
        from services.codepay import poll_once

        poll_once()

    _every(app, min(float(app.config["CODEPAY_POLL_SECONDS"]), 1.0), poll, "payment code poll failed")


def _every(app: Flask, seconds: float, work: Callable[[], None], failure: str) -> None:
    """Run ``work`` every ``seconds`` in a background task of this process, started with the
    first request (so in the worker, after gunicorn forks). A failure is logged and the loop goes
    on; the database session is put back after each round."""
    started = False

    @app.before_request
    def _start() -> None:
        nonlocal started
        if started:
            return
        started = True
        from kds import socketio

        def loop() -> None:
            while True:
                socketio.sleep(seconds)
                try:
                    with app.app_context():
                        work()
                except Exception:  # a failing provider must not end the loop
                    logging.getLogger(__name__).exception(failure)
                finally:
                    with app.app_context():
                        db.session.remove()

        socketio.start_background_task(loop)


def _print_in_background(app: Flask) -> None:
    """Each server process runs a print worker (started with the first request, after the fork).

    Workers of all processes share the jobs through row leases, so any number may run.
    """
    if not app.config["PRINT_WORKER"] or app.config.get("TESTING"):
        return
    started = False

    @app.before_request
    def _start_printing() -> None:
        nonlocal started
        if started:
            return
        started = True
        from kds import socketio
        from services.print_worker import start_in_background

        start_in_background(app, socketio.start_background_task)


def _logging(app: Flask) -> None:
    from monitoring.logs import configure

    configure(app.config["LOG_LEVEL"])  # JSON lines, request ids, personal data redacted
    # urllib3 logs whole request URLs at DEBUG, and WeChat's carry the app secret and login codes;
    # SQLAlchemy's engine logs statements with their parameters at INFO.
    logging.getLogger("urllib3").setLevel(logging.WARNING)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
    # gevent-websocket's worker (GUNICORN_WORKER, optional) writes its own access log with full URLs.
    access = logging.getLogger("geventwebsocket.handler")
    if not any(isinstance(f, _NoQueryStrings) for f in access.filters):
        access.addFilter(_NoQueryStrings())
