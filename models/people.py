"""Diners and staff. A diner is an encrypted openid and a keyed hash of it, nothing more."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Key, UTCDateTime, utcnow


class Diner(Base):
    __tablename__ = "diners"
    id: Mapped[int] = mapped_column(primary_key=True)
    openid_hash: Mapped[str] = mapped_column(Key(64), unique=True)  # HMAC-SHA256 hex
    openid_enc: Mapped[bytes] = mapped_column(LargeBinary(512))  # AES-GCM, versioned key
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Staff(Base):
    __tablename__ = "staff"
    __table_args__ = (UniqueConstraint("store_id", "username"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    username: Mapped[str] = mapped_column(Key(40))  # stored normalised: stripped, lower case
    name: Mapped[str] = mapped_column(String(50))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Part of every token issued to this person: bumping it ends all their sessions.
    token_version: Mapped[int] = mapped_column(Integer, default=1)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class RevokedStaffSession(Base):
    """A signed-out session: its token (which names the session) stays refused until it expires.

    Tokens are signed, not stored, so signing out records the session instead; rows past
    ``expires_at`` name tokens that are refused anyway and are deleted as new ones come.
    """

    __tablename__ = "revoked_staff_sessions"
    session_id: Mapped[str] = mapped_column(Key(32), primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
