"""Socket.IO: the kitchen screens (``/kds``) and the diners' tables (``/table``).

Committed events arrive from ``services.uow`` and are emitted to rooms: every kitchen event to
``kds:<store>:*`` (expo screens) and ``kds:<store>:<station>``; printer states to
``kds-store:<store>`` and ``staff:<store>``; table events to
``table:<table id>``; store-wide menu changes to ``tables:<store>``; calls to ``staff:<store>``
on ``/staff``. With ``REDIS_URL`` set, emits travel through Redis to every process.
"""
from __future__ import annotations

from flask import Flask
from flask_socketio import SocketIO

from kds import connections, namespaces, packet_json, pages, websocket
from kds.namespaces import disconnect_device, sweep_everywhere
from kds.rooms import device_room, kds_room, kds_store_room, staff_room, store_tables_room, table_room
from services.uow import Outgoing, subscribe

socketio = SocketIO()


def publish(events: list[Outgoing]) -> None:
    for ev in events:
        if ev.audience == "kds":
            socketio.emit(ev.name, ev.payload, namespace="/kds",
                          to=[kds_room(ev.store_id, None), kds_room(ev.store_id, ev.station)])
        elif ev.audience == "table" and ev.table_id is not None:
            socketio.emit(ev.name, ev.payload, namespace="/table", to=table_room(ev.table_id))
        elif ev.audience == "store":
            socketio.emit(ev.name, ev.payload, namespace="/table", to=store_tables_room(ev.store_id))
        elif ev.audience == "staff":
            socketio.emit(ev.name, ev.payload, namespace="/staff", to=staff_room(ev.store_id))
        elif ev.audience == "printer":  # a printer's state: kitchen screens and the floor's phones
            socketio.emit(ev.name, ev.payload, namespace="/kds", to=kds_store_room(ev.store_id))
            socketio.emit(ev.name, ev.payload, namespace="/staff", to=staff_room(ev.store_id))
        elif ev.audience == "device" and ev.device_id is not None:
            socketio.emit(ev.name, ev.payload, namespace="/kds", to=device_room(ev.device_id))
            disconnect_device(socketio, ev.device_id)
            sweep_everywhere()  # the screen may be connected to another process
        elif ev.audience == "sockets":
            sweep_everywhere()


def init_app(app: Flask) -> None:
    kwargs: dict[str, object] = {}  # browsers: same origin only (python-socketio's default)
    if app.config.get("REDIS_URL"):
        kwargs["message_queue"] = app.config["REDIS_URL"]
        kwargs["channel"] = app.config["SOCKETIO_CHANNEL"]
    kwargs["json"] = packet_json  # deep or malformed packets are ignored, not tracebacks
    if app.config.get("SOCKETIO_ASYNC_MODE"):
        kwargs["async_mode"] = app.config["SOCKETIO_ASYNC_MODE"]
    socketio.init_app(app, **kwargs)
    websocket.install(socketio)  # WebSockets read in their own greenlet (kds/websocket.py)
    connections.install(app, socketio)
    namespaces.register(socketio)
    subscribe(publish)
    app.register_blueprint(pages.bp)
