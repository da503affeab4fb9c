"""gunicorn settings for Diancan: one gevent worker per process (Socket.IO keeps per-process state).

Scale with more processes behind a reverse proxy with sticky sessions, joined by REDIS_URL.
"""
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '5000')}"
workers = 1
worker_class = os.environ.get("GUNICORN_WORKER", "geventwebsocket.gunicorn.workers.GeventWebSocketWorker")
worker_connections = 2000
timeout = 60
accesslog = "-"
# The access log line format leaves out query strings: they may carry tokens.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
graceful_timeout = int(os.environ.get("GRACEFUL_TIMEOUT", "10"))
# gunicorn 27's control socket defaults to one path per user; several servers would fight over it.
control_socket_disable = True
