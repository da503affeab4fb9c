"""Service tests: use cases called in-process on the test database; no server, no sockets."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from services import uow
from services.uow import Outgoing


@pytest.fixture()
def emitted(app) -> Iterator[list[Outgoing]]:  # type: ignore[no-untyped-def]
    """Every event the use cases hand over after commit, in order."""
    seen: list[Outgoing] = []

    def record(events: list[Outgoing]) -> None:
        seen.extend(events)

    uow.subscribe(record)
    try:
        yield seen
    finally:
        uow._subscribers.remove(record)
