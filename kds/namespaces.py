"""Socket.IO namespaces. A connection without a valid token is refused at connect."""
from __future__ import annotations

import logging
from typing import Any

from flask import current_app, g, has_app_context, request
from flask_socketio import ConnectionRefusedError, Namespace, SocketIO, emit, join_room

from domain.errors import NotFound, Unauthorized
from domain.permissions import allows
from kds.announce import ensure_started as ensure_announcing
from kds.connections import claim, release
from kds.rooms import device_room, kds_room, kds_store_room, staff_room, store_tables_room, table_room
from schema.kitchen import SnapshotSchema
from services import devices, diners, kitchen, staff, tables

MAX_STATIONS = 20
MAX_SEQ = 2**53 - 1  # the largest seq a screen (JavaScript) can count to exactly
log = logging.getLogger(__name__)


def _stations(auth: dict[str, Any]) -> list[str] | None:
    raw = auth.get("stations")
    if raw is None or raw == []:
        return None
    if not isinstance(raw, list) or len(raw) > MAX_STATIONS or not all(isinstance(s, str) and s for s in raw):
        raise ConnectionRefusedError("stations must be a list of station codes")
    return sorted(set(raw))


class KitchenNamespace(Namespace):
    """Screens log in with a cook's (manager's, owner's) token or, better, a paired screen's token."""

    # sid -> (store_id, stations or None for all, device id or None); read on resume.
    screens: dict[str, tuple[int, list[str] | None, int | None]] = {}

    def on_connect(self, auth: Any = None) -> None:
        auth = auth if isinstance(auth, dict) else {}
        token = auth.get("token")
        if not isinstance(token, str):
            raise ConnectionRefusedError("unauthorized")
        stations = _stations(auth)
        device_id = None
        try:
            if token.startswith(devices.TOKEN_PREFIX):
                device = devices.authenticate(token)
                store_id, device_id = device.store_id, device.id
                stations = device.stations or stations  # a screen paired for stations keeps to them
            else:
                who = staff.authenticate(token)
                if not allows(who.role, "kitchen.work"):
                    raise ConnectionRefusedError("forbidden")
                store_id = who.store_id
                _watch_staff(self.socketio, "/kds", token)
        except Unauthorized:
            raise ConnectionRefusedError("unauthorized") from None
        _claim("/kds", token)

        watched: list[str | None] = list(stations) if stations else [None]
        for st in watched:
            join_room(kds_room(store_id, st))
        join_room(kds_store_room(store_id))
        if device_id is not None:
            join_room(device_room(device_id))
            _ensure_sweeper(self.socketio)
        self.screens[request.sid] = (store_id, stations, device_id)  # type: ignore[attr-defined]
        g.log_store_id = store_id  # each Socket.IO event logs with its own request id and the store
        log.info("kitchen screen connected", extra={"stations": stations, "paired": device_id is not None})
        ensure_announcing(self.socketio, current_app._get_current_object(),  # type: ignore[attr-defined]
                           lambda: KitchenNamespace.screens)

    def on_disconnect(self, *args: Any) -> None:
        self.screens.pop(request.sid, None)  # type: ignore[attr-defined]
        STAFF_SOCKETS.pop(("/kds", request.sid), None)  # type: ignore[attr-defined]
        release("/kds", request.sid)  # type: ignore[attr-defined]

    def on_resume(self, data: Any = None) -> dict[str, Any]:
        """Send every event after ``after`` in order, or a snapshot when too much was missed."""
        screen = self.screens.get(request.sid)  # type: ignore[attr-defined]
        if screen is None:
            return {"ok": False}
        store_id, stations, _device = screen
        after = data.get("after") if isinstance(data, dict) else None
        if not isinstance(after, int) or isinstance(after, bool) or after < 0:
            after = 0
        g.log_store_id = store_id
        # A seq no database column holds (10**40 overflows the query) is none we sent: start afresh.
        events = None if after > MAX_SEQ else kitchen.events_after(store_id, after, stations,
                                                                   current_app.config["KDS_REPLAY_LIMIT"])
        if events is None:
            seq, tickets = kitchen.open_tickets(store_id, stations)
            emit("snapshot", SnapshotSchema().dump({"seq": seq, "tickets": tickets}))
            log.info("kitchen screen resumed", extra={"after": after, "mode": "snapshot"})
            return {"ok": True, "mode": "snapshot"}
        for ev in events:
            emit(ev.kind, kitchen.event_message(ev))
        log.info("kitchen screen resumed", extra={"after": after, "mode": "replay", "count": len(events)})
        return {"ok": True, "mode": "replay", "count": len(events)}


class TableNamespace(Namespace):
    """A diner's phone at a table: lives only while both its keys do (the table's QR version, the diner)."""

    def on_connect(self, auth: Any = None) -> None:
        auth = auth if isinstance(auth, dict) else {}
        token, table_token = auth.get("token"), auth.get("table_token")
        if not isinstance(token, str) or not isinstance(table_token, str):
            raise ConnectionRefusedError("unauthorized")
        try:
            diner_id = diners.authenticate(token)
            found = tables.resolve(table_token, with_check=False)
        except (Unauthorized, NotFound):
            raise ConnectionRefusedError("unauthorized") from None
        _claim("/table", token)

        join_room(table_room(found.table.id))
        join_room(store_tables_room(found.store.id))
        # The version read here, not the newest: a rotation racing this connect is still caught.
        TABLE_SOCKETS[request.sid] = (found.table.id, found.table.qr_version, diner_id)  # type: ignore[attr-defined]
        _ensure_sweeper(self.socketio)

    def on_disconnect(self, *args: Any) -> None:
        TABLE_SOCKETS.pop(request.sid, None)  # type: ignore[attr-defined]
        release("/table", request.sid)  # type: ignore[attr-defined]


class StaffNamespace(Namespace):
    """Floor staff pages (cashier, waiter, managers): waiter calls and bill requests, live."""

    def on_connect(self, auth: Any = None) -> None:
        auth = auth if isinstance(auth, dict) else {}
        token = auth.get("token")
        if not isinstance(token, str):
            raise ConnectionRefusedError("unauthorized")
        try:
            who = staff.authenticate(token)
        except Unauthorized:
            raise ConnectionRefusedError("unauthorized") from None
        if not allows(who.role, "floor.view"):
            raise ConnectionRefusedError("forbidden")
        _claim("/staff", token)

        join_room(staff_room(who.store_id))
        _watch_staff(self.socketio, "/staff", token)

    def on_disconnect(self, *args: Any) -> None:
        STAFF_SOCKETS.pop(("/staff", request.sid), None)  # type: ignore[attr-defined]
        release("/staff", request.sid)  # type: ignore[attr-defined]


def _claim(namespace: str, token: str) -> None:
    if not claim(namespace, request.sid, token):  # type: ignore[attr-defined]
        raise ConnectionRefusedError("too many connections with this token")


def disconnect_device(socketio: SocketIO, device_id: int) -> None:
    """Drop this process's connections of a revoked screen now (others sweep within seconds)."""
    for sid, (_store, _stations, dev) in list(KitchenNamespace.screens.items()):
        if dev == device_id:
            socketio.server.disconnect(sid, namespace="/kds")


_sweeper_started = False
_wake: Any = None  # set to sweep now instead of at the next tick
_redis: Any = None  # publishes "sweep now" to the other processes
SWEEP_SECONDS = 3
# (namespace, sid) -> the staff token the socket connected with; swept like revoked screens, so a
# deactivated, re-roled or re-passworded person's open screens and phones are cut off too.
STAFF_SOCKETS: dict[tuple[str, str], str] = {}
# sid -> (table id, QR version, diner id) of each diner's phone: a rotated code, a disabled
# table or a deleted diner cuts it off, or it would hear the next party's cart and orders.
TABLE_SOCKETS: dict[str, tuple[int, int, int]] = {}


def _sweep_channel() -> str:
    return f"{current_app.config['SOCKETIO_CHANNEL']}:sweep"


def sweep_everywhere() -> None:
    """Keys were revoked (after commit): every process sweeps its sockets now, not at its next tick.

    This process wakes its own sweeper; with REDIS_URL the others hear it on the sweep channel.
    Should Redis be unreachable, the periodic sweep still cuts within SWEEP_SECONDS.
    """
    global _redis
    if _wake is not None:
        _wake.set()
    url = current_app.config.get("REDIS_URL") if has_app_context() else None
    if not url:
        return
    try:
        if _redis is None:
            import redis

            _redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=1)
        _redis.publish(_sweep_channel(), "sweep")
    except Exception:
        logging.getLogger(__name__).warning("could not ask the other processes to sweep their sockets", exc_info=True)


def _listen_for_sweeps(socketio: SocketIO, url: str, channel: str, wake: Any) -> None:
    """Wake this process's sweeper whenever another process revokes keys."""
    import redis

    while True:
        try:
            pubsub = redis.Redis.from_url(url).pubsub(ignore_subscribe_messages=True)
            pubsub.subscribe(channel)
            wake.set()  # whatever was said while we were not listening
            for message in pubsub.listen():
                if message.get("type") == "message":
                    wake.set()
        except Exception:
            logging.getLogger(__name__).warning("sweep channel lost; listening again", exc_info=True)
            socketio.sleep(1)


def _watch_staff(socketio: SocketIO, namespace: str, token: str) -> None:
    STAFF_SOCKETS[(namespace, request.sid)] = token  # type: ignore[attr-defined]
    _ensure_sweeper(socketio)


def _ensure_sweeper(socketio: SocketIO) -> None:
    """Each process checks its paired screens every few seconds, so a screen revoked through
    another process is cut off here too."""
    global _sweeper_started, _wake
    if _sweeper_started:
        return
    _sweeper_started = True
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    wake = _wake = socketio.server.eio.create_event()

    def sweep() -> None:
        while True:
            wake.wait(SWEEP_SECONDS)
            wake.clear()
            try:
                sweep_once()
            except Exception:  # a database hiccup must not end the sweeping
                logging.getLogger(__name__).exception("socket sweep failed")

    def sweep_once() -> None:
        ids = {dev for _s, _st, dev in KitchenNamespace.screens.values() if dev is not None}
        if ids:
            with app.app_context():
                revoked = devices.revoked_among(ids)
            for device_id in revoked:
                disconnect_device(socketio, device_id)
        if STAFF_SOCKETS:
            with app.app_context():
                ended = [key for key, token in list(STAFF_SOCKETS.items()) if not _still_valid(token)]
            for namespace, sid in ended:
                STAFF_SOCKETS.pop((namespace, sid), None)
                socketio.server.disconnect(sid, namespace=namespace)
        if TABLE_SOCKETS:
            phones = dict(TABLE_SOCKETS)
            with app.app_context():
                lapsed = tables.lapsed({(t, v) for t, v, _d in phones.values()})
                gone = diners.gone_among({d for _t, _v, d in phones.values()})
            for sid, (table_id, version, diner_id) in phones.items():
                if (table_id, version) in lapsed or diner_id in gone:
                    TABLE_SOCKETS.pop(sid, None)
                    socketio.server.disconnect(sid, namespace="/table")

    socketio.start_background_task(sweep)
    if app.config.get("REDIS_URL"):
        socketio.start_background_task(_listen_for_sweeps, socketio, app.config["REDIS_URL"], _sweep_channel(), wake)


def _still_valid(token: str) -> bool:
    try:
        staff.authenticate(token)
    except Unauthorized:
        return False
    finally:
        from models import db

        db.session.remove()
    return True


def register(socketio: SocketIO) -> None:
    socketio.on_namespace(KitchenNamespace("/kds"))
    socketio.on_namespace(TableNamespace("/table"))
    socketio.on_namespace(StaffNamespace("/staff"))
