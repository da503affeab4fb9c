"""A kitchen screen in Python, keeping to the protocol a real screen must follow.

- Apply an event only if its ``seq`` is newer than what the screen holds for that ticket, so
  replays and out-of-order arrivals are harmless; remember removed tickets (tombstones).
- Per station, remember the newest seq known to be complete. An event whose ``prev`` (the
  station's previous seq) is newer than that means something was missed: leave it and ask to
  ``resume``, which sends it again after the missing ones (``web/static/kds/main.js`` does the same).
- On every (re)connect, ``resume`` from the oldest complete point; a ``snapshot`` replaces all.
- ``kitchen.seq`` (every few seconds) names each station's latest seq: behind it, ``resume``.
"""
from __future__ import annotations

import threading
from typing import Any

import socketio

OPEN = ("new", "cooking", "done")


class Screen:
    def __init__(self, base: str, token: str, stations: list[str] | None = None) -> None:
        self.base, self.token, self.stations = base, token, stations
        self.lock = threading.RLock()
        self.tickets: dict[int, tuple[int, dict[str, Any]]] = {}
        self.gone: dict[int, int] = {}
        self.baseline = 0
        self.complete: dict[str, int] = {}
        self.resuming = False
        self.dirty = False
        self.applied = 0
        self.resumed = threading.Event()  # set once a resume has been answered
        self.client = self._client()

    def _client(self) -> socketio.Client:
        c = socketio.Client(reconnection=False)
        c.on("connect", self._on_connect, namespace="/kds")
        c.on("ticket.created", self._on_event, namespace="/kds")
        c.on("ticket.updated", self._on_event, namespace="/kds")
        c.on("snapshot", self._on_snapshot, namespace="/kds")
        c.on("kitchen.seq", self._on_latest, namespace="/kds")
        return c

    # -- connection -------------------------------------------------------------------------
    def connect(self) -> None:
        auth: dict[str, Any] = {"token": self.token}
        if self.stations:
            auth["stations"] = self.stations
        self.client.connect(self.base, namespaces=["/kds"], auth=auth, transports=["websocket"], wait_timeout=10)

    def disconnect(self) -> None:
        self.client.disconnect()
        self.client = self._client()  # a fresh client, like a page reload keeping its local state

    @property
    def connected(self) -> bool:
        return self.client.connected

    def _on_connect(self) -> None:
        with self.lock:
            self.resuming = False  # an answer owed on the old connection will never come
        self._resume()

    # -- protocol ---------------------------------------------------------------------------
    def _resume_point(self) -> int:
        with self.lock:
            return min([self.baseline, *self.complete.values()]) if self.complete else self.baseline

    def _resume(self) -> None:
        with self.lock:
            if self.resuming:
                self.dirty = True
                return
            self.resuming, self.dirty = True, False
        client = self.client
        try:
            client.emit("resume", {"after": self._resume_point()}, namespace="/kds", callback=self._resumed)
        except socketio.exceptions.SocketIOError:  # dropped meanwhile: the next connect resumes
            with self.lock:
                self.resuming = False

    def _resumed(self, *_: Any) -> None:
        with self.lock:
            self.resuming = False
            again = self.dirty
        self.resumed.set()
        if again:
            self._resume()

    def _on_snapshot(self, data: dict[str, Any]) -> None:
        with self.lock:
            seq = data["seq"]
            self.tickets = {t["id"]: (seq, t) for t in data["tickets"]}
            self.gone, self.complete, self.baseline = {}, {}, seq

    def _on_latest(self, data: dict[str, Any]) -> None:
        """The server's periodic "latest seq per station": behind it means an event was lost."""
        with self.lock:
            behind = any(seq > self.complete.get(station, self.baseline)
                         for station, seq in (data.get("stations") or {}).items())
        if behind:
            self._resume()

    def _on_event(self, data: dict[str, Any]) -> None:
        with self.lock:
            seq, prev, ticket = data["seq"], data.get("prev", 0), data["ticket"]
            station = ticket["station"]
            known = self.complete.get(station, self.baseline)
            # An event after a gap (this station had one we never saw) waits for the replay that
            # fills the gap, as the browser's screen does: tickets arrive oldest first.
            gap = prev > known
            if not gap and seq > known:
                self.complete[station] = seq
            if not gap and seq > self.baseline:
                held = self.tickets.get(ticket["id"], (0, None))[0]
                if seq > held and seq > self.gone.get(ticket["id"], 0):
                    self.applied += 1
                    if ticket["status"] in OPEN:
                        self.tickets[ticket["id"]] = (seq, ticket)
                    else:
                        self.tickets.pop(ticket["id"], None)
                        self.gone[ticket["id"]] = seq
        if gap:
            self._resume()

    def open_ticket_ids(self) -> set[int]:
        with self.lock:
            return set(self.tickets)
