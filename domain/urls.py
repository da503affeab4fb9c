"""Public URLs of things the API hands out (dish photos), built in one place."""
from __future__ import annotations

from typing import Any


def photo_url(item: Any) -> str | None:
    """Path of an item's current photo; it changes with the photo, so it may be cached for ever."""
    etag = getattr(item, "photo_etag", None)
    return f"/media/items/{item.id}/{etag}.jpg" if etag else None
