"""The process's Prometheus metrics: counters and histograms updated where things happen.

Everything here is cheap to update (a lock and an add), so the order path does not notice. Label
values come only from fixed sets or from our own configuration (route templates, station codes,
channel names), never from a request's path, an id, a token or a person: the series count stays
bounded however the service is probed. Business gauges that need the database (open tickets,
stuck payments) are computed at scrape time by ``monitoring.collector``.
"""
from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, PlatformCollector, ProcessCollector

REGISTRY = CollectorRegistry(auto_describe=True)
ProcessCollector(registry=REGISTRY)
PlatformCollector(registry=REGISTRY)

ORDERS = Counter("diancan_orders", "Orders (rounds) placed, by who placed them and the status they started in",
                 ["source", "status"], registry=REGISTRY)
ORDER_TO_SCREEN = Histogram(
    "diancan_order_to_screen_seconds",
    "From the commit that sent an order to the kitchen to its tickets handed to the screens' sockets",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0), registry=REGISTRY)
KITCHEN_EVENTS = Counter("diancan_kitchen_events", "Kitchen events handed to the screens' sockets", ["kind"],
                         registry=REGISTRY)
PAYMENTS = Counter("diancan_payments", "Payments reaching a status, by channel", ["channel", "status"],
                   registry=REGISTRY)
NOTIFIES = Counter("diancan_notifies", "WeChat Pay payment notifies by outcome "
                   "(credited, duplicate, mismatch, rejected_signature, rejected_stale)", ["outcome"],
                   registry=REGISTRY)
RATE_LIMITED = Counter("diancan_rate_limited", "Requests refused with 429 rate_limited", ["endpoint"],
                       registry=REGISTRY)
OVERLOADED = Counter("diancan_overloaded", "Requests refused with 503 overloaded", registry=REGISTRY)
REDIS_ERRORS = Counter("diancan_redis_errors", "Errors talking to Redis (message queue, rate limits, readiness)",
                       registry=REGISTRY)
HTTP_DURATION = Histogram(
    "diancan_http_request_duration_seconds", "HTTP requests by route template, method and status class",
    ["endpoint", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0), registry=REGISTRY)
SEQ_ANNOUNCEMENTS = Counter(
    "diancan_seq_announcements", "Latest-seq announcements sent to this process's kitchen screens",
    registry=REGISTRY)
PROCESS_READY = Gauge("diancan_ready", "1 when the database (and Redis when configured) answered the last check",
                      registry=REGISTRY)

NOTIFY_OUTCOMES = ("credited", "duplicate", "mismatch", "rejected_signature", "rejected_stale")
# Present from the start, so rate() and absent-checks work from the first scrape.
for _outcome in NOTIFY_OUTCOMES:
    NOTIFIES.labels(_outcome)
for _source in ("diner", "staff"):
    for _status in ("accepted", "submitted"):
        ORDERS.labels(_source, _status)
for _channel, _status in (("wechat_jsapi", "paying"), ("wechat_jsapi", "paid"), ("wechat_jsapi", "closed"),
                          ("cash", "paid"), ("other", "paid"), ("wechat_code", "paying"), ("wechat_code", "paid"),
                          ("wechat_code", "failed"), ("alipay_code", "paying"), ("alipay_code", "paid"),
                          ("alipay_code", "failed")):
    PAYMENTS.labels(_channel, _status)
