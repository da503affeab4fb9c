"""Socket.IO room names: who hears what."""
from __future__ import annotations


def kds_room(store_id: int, station: str | None) -> str:
    return f"kds:{store_id}:{station or '*'}"


def table_room(table_id: int) -> str:
    return f"table:{table_id}"


def store_tables_room(store_id: int) -> str:
    """Every diner's phone in the store (menu changes such as sold out)."""
    return f"tables:{store_id}"


def staff_room(store_id: int) -> str:
    return f"staff:{store_id}"


def device_room(device_id: int) -> str:
    return f"device:{device_id}"


def kds_store_room(store_id: int) -> str:
    """Every kitchen screen of the store, whatever its stations (printer states)."""
    return f"kds-store:{store_id}"
