"""gunicorn settings for Diancan: one gevent worker per process (Socket.IO keeps per-process state).

Scale with more processes behind a reverse proxy with sticky sessions, joined by REDIS_URL.
"""
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '5000')}"
workers = 1
# gunicorn's gevent worker; WebSockets read in each connection's own greenlet (kds/websocket.py,
# Socket.IO's "gevent" mode). Measured on 2026-12-03 (README "Benchmarks", bench/idle_sockets.py):
# an idle /kds socket took 79 KiB at 5,000 through simple-websocket (Socket.IO's "threading" mode:
# a reader thread per socket), and 176 KiB when the client asks for permessage-deflate as browsers
# do, against 49 KiB here; order → screen at 50 screens (bench/kds_rush.py) was the same either way.
# SOCKETIO_ASYNC_MODE=threading goes back to simple-websocket;
# GUNICORN_WORKER=geventwebsocket.gunicorn.workers.GeventWebSocketWorker serves HTTP with gevent's
# pywsgi instead (no gunicorn access log).
worker_class = os.environ.get("GUNICORN_WORKER", "gevent")
if worker_class == "gevent":
    os.environ.setdefault("SOCKETIO_ASYNC_MODE", "gevent")
# gevent keeps each greenlet's spawning stack and parent for debugging: ~5 KiB per idle socket.
os.environ.setdefault("GEVENT_TRACK_GREENLET_TREE", "0")
# Every open socket (kitchen screens, phones, keep-alive clients) is one: 5,000 idle screens fit beside the traffic.
worker_connections = int(os.environ.get("WORKER_CONNECTIONS", "10000"))
# gunicorn's most: longer request lines get its HTML 414; up to this the app answers 414 in JSON
# (api/guards.py, MAX_URI).
limit_request_line = 8190
timeout = 60
# The access log line format leaves out query strings: they may carry tokens. %(U)s is the route
# (``/t/<qr_token>``), not the path, which may hold a table's QR token (access_log.py). The app also
# logs each request as a JSON line (route template, status, duration, request id), so ACCESS_LOG=0
# turns gunicorn's line off.
accesslog = None if os.environ.get("ACCESS_LOG") == "0" else "-"
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
logger_class = "access_log.RouteLogger"
# gunicorn's own lines (start, worker exits, access) as JSON too, through the same redaction.
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
