"""Public URLs of things the API hands out (dish photos), built in one place."""
from __future__ import annotations

from typing import Any


def photo_url(item: Any) -> str | None:
    """Path of an item's current photo; it changes with the photo, so it may be cached for ever."""
    etag = getattr(item, "photo_etag", None)
    return f"/media/items/{item.id}/{etag}.jpg" if etag else None


THUMB_SIDES = (76, 152, 228)
"""Square thumbnails of a dish photo, in pixels: the diner's menu shows it 76 px wide, at 1×, 2×, 3×."""


def photo_srcset(item: Any) -> str | None:
    """``srcset`` of an item's photo thumbnails (same version as ``photo_url``), or None."""
    etag = getattr(item, "photo_etag", None)
    if not etag:
        return None
    return ", ".join(f"/media/items/{item.id}/{etag}-{side}.jpg {side}w" for side in THUMB_SIDES)
