"""Kitchen screens paired to a store: their own revocable token, never a person's password."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Key, UTCDateTime, utcnow


class KitchenDevice(Base):
    __tablename__ = "kitchen_devices"
    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    stations: Mapped[list[str]] = mapped_column(JSON, default=list)  # empty: every station (expo)
    # Only hashes are kept: a stolen database row neither pairs a screen nor passes as one.
    pairing_code_hash: Mapped[str | None] = mapped_column(Key(64), nullable=True, unique=True)
    code_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    token_hash: Mapped[str | None] = mapped_column(Key(64), nullable=True, unique=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    paired_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Refreshed every few seconds by the process the screen is connected to (kds/announce.py):
    # staff are warned when a paired screen has been away for over a minute in opening hours.
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
