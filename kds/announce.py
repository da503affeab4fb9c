"""Every few seconds each process tells its own kitchen screens each station's latest seq.

Events leave the process that committed them. If that process dies between its commit and
handing the events to Redis, no other process ever sends them, and a screen only notices a gap
when a later event of the same station arrives — maybe not for the rest of the evening. With
this announcement a screen behind the database notices within seconds and resumes (replay from
the table), whichever process it is connected to. The message is ``kitchen.seq``:
``{"seq": <store's latest>, "stations": {"<station>": <latest seq of that station>}}``.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask_socketio import SocketIO
from sqlalchemy import or_, select

from models import StoreCounter
from services import counters, incidents
from services.uow import fact, reading

log = logging.getLogger(__name__)
STATION_PREFIX = "station:"
_started = False


def latest_seqs(store_ids: set[int]) -> dict[int, tuple[int, dict[str, int]]]:
    """For each store: (latest kitchen seq, {station: latest seq}) from the counter rows."""
    with reading() as db:  # ends the read at once
        rows = db.execute(
            select(StoreCounter.store_id, StoreCounter.name, StoreCounter.value).where(
                StoreCounter.store_id.in_(sorted(store_ids)),
                or_(StoreCounter.name == counters.KITCHEN_SEQ, StoreCounter.name.startswith(STATION_PREFIX)))
        ).all()
    latest: dict[int, tuple[int, dict[str, int]]] = {sid: (0, {}) for sid in store_ids}
    for store_id, name, value in rows:
        seq, stations = latest[store_id]
        if name == counters.KITCHEN_SEQ:
            latest[store_id] = (int(value), stations)
        else:
            stations[name[len(STATION_PREFIX):]] = int(value)
    return latest


Screens = Callable[[], dict[str, tuple[int, list[str] | None, int | None]]]


def announce_once(socketio: SocketIO, app: Flask, screens_now: Screens) -> int:
    """Send ``kitchen.seq`` to this process's screens (not through Redis); returns how many.

    ``screens_now()`` gives sid → (store, stations or None, device id or None) of this process."""
    screens = dict(screens_now())
    if not screens:
        return 0
    with app.app_context():
        latest = latest_seqs({store_id for store_id, _st, _dev in screens.values()})
        incidents.mark_screens_seen({dev for _s, _st, dev in screens.values() if dev is not None})
    sent = 0
    for sid, (store_id, stations, _device) in screens.items():
        seq, by_station = latest.get(store_id, (0, {}))
        wanted = by_station if stations is None else {s: v for s, v in by_station.items() if s in stations}
        message: dict[str, Any] = {"seq": seq, "stations": wanted}
        socketio.server.emit("kitchen.seq", message, to=sid, namespace="/kds", ignore_queue=True)
        sent += 1
    fact("seq_announcements", count=str(sent))
    return sent


def ensure_started(socketio: SocketIO, app: Flask, screens_now: Screens) -> None:
    """Start the announcing loop once per process (on its first kitchen screen)."""
    global _started
    seconds = app.config.get("SEQ_ANNOUNCE_SECONDS", 0)
    if _started or seconds <= 0:
        return
    _started = True

    def loop() -> None:
        while True:
            socketio.sleep(seconds)
            try:
                announce_once(socketio, app, screens_now)
            except Exception:  # a database hiccup must not end the announcing
                log.exception("kitchen seq announcement failed")

    socketio.start_background_task(loop)
