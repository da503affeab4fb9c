"""gunicorn settings for Diancan: one gevent worker per process (Socket.IO keeps per-process state).

Scale with more processes behind a reverse proxy with sticky sessions, joined by REDIS_URL.
"""
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '5000')}"
workers = 1
# gunicorn's gevent worker, WebSockets through simple-websocket (Socket.IO's "threading" mode,
# its threads patched into greenlets). bench/kds_rush.py chose it over gevent-websocket's worker:
# p99 order-to-screen 102 ms against 225 ms at 50 screens, for 78 KiB per idle socket against 60.
# GUNICORN_WORKER=geventwebsocket.gunicorn.workers.GeventWebSocketWorker (and an empty
# SOCKETIO_ASYNC_MODE) switches back.
worker_class = os.environ.get("GUNICORN_WORKER", "gevent")
if worker_class == "gevent":
    os.environ.setdefault("SOCKETIO_ASYNC_MODE", "threading")
worker_connections = 2000
timeout = 60
# The app logs each request itself as a JSON line (route template, status, duration, request id;
# monitoring/__init__.py), so gunicorn's own access log is off unless ACCESS_LOG=1. Its format
# leaves out query strings: they may carry tokens.
accesslog = "-" if os.environ.get("ACCESS_LOG") == "1" else None
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
# gunicorn's own messages (start, worker exits) as JSON lines too, through the same redaction.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "monitoring.logs.json_formatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
        "gunicorn.access": {"level": "INFO" if accesslog else "WARNING", "handlers": ["console"], "propagate": False},
    },
}
graceful_timeout = int(os.environ.get("GRACEFUL_TIMEOUT", "10"))
# gunicorn 27's control socket defaults to one path per user; several servers would fight over it.
control_socket_disable = True
