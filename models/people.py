"""Diners and staff. A diner is an encrypted openid and a keyed hash of it, nothing more."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow


class Diner(Base):
    __tablename__ = "diners"
    id: Mapped[int] = mapped_column(primary_key=True)
    openid_hash: Mapped[str] = mapped_column(String(64), unique=True)  # HMAC-SHA256 hex
    openid_enc: Mapped[bytes] = mapped_column(LargeBinary(512))  # AES-GCM, versioned key
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Staff(Base):
    __tablename__ = "staff"
    __table_args__ = (UniqueConstraint("store_id", "username"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    username: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(50))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Part of every token issued to this person: bumping it ends all their sessions.
    token_version: Mapped[int] = mapped_column(Integer, default=1)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
