"""Kitchen and receipt printers, and the print jobs they owe (an outbox).

A print job is written in the same transaction as the kitchen change that causes it, so a ticket
that reached the screens is also owed to paper, and a rolled-back order owes nothing. Workers in
every process send jobs under a lease and mark them printed only after the printer took them.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, utcnow


class Printer(Base):
    __tablename__ = "printers"
    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    kind: Mapped[str] = mapped_column(String(16))  # escpos | feie (one class each in printers/)
    host: Mapped[str | None] = mapped_column(String(253), nullable=True)  # escpos
    port: Mapped[int | None] = mapped_column(Integer, nullable=True)  # escpos
    sn: Mapped[str | None] = mapped_column(String(32), nullable=True)  # cloud printers: serial number
    key: Mapped[str | None] = mapped_column(String(64), nullable=True)  # cloud printers: the label's key; never shown
    paper_width: Mapped[int] = mapped_column(Integer, default=80)  # mm: 58 or 80
    stations: Mapped[list[str]] = mapped_column(JSON, default=list)  # kitchen tickets of these stations
    receipts: Mapped[bool] = mapped_column(Boolean, default=False)  # also prints the cashier's receipts
    # ok | down (failing for over a minute) | rejected (the provider refuses our credentials: no retrying)
    state: Mapped[str] = mapped_column(String(16), default="ok")
    down_since: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    state_reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Removed printers stay as rows: their jobs keep pointing at them for the record.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class PrintJob(Base):
    __tablename__ = "print_jobs"
    __table_args__ = (
        UniqueConstraint("store_id", "client_key"),
        # The worker's question: each printer's oldest queued job.
        Index("ix_print_jobs_printer_status_id", "printer_id", "status", "id"),
        Index("ix_print_jobs_store_ticket", "store_id", "ticket_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    printer_id: Mapped[int] = mapped_column(ForeignKey("printers.id"))
    kind: Mapped[str] = mapped_column(String(16))  # ticket | void | moved | receipt | test
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), nullable=True)
    # What to print, as plain data (rendered for the printer's kind and paper when sent).
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="queued")  # queued | printed | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    first_failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_error: Mapped[str] = mapped_column(String(200), default="")
    # Who is sending it now, and until when: another worker may take it only after the lease ends.
    lease_owner: Mapped[str | None] = mapped_column(String(64), nullable=True)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    reprint_of: Mapped[int | None] = mapped_column(ForeignKey("print_jobs.id"), nullable=True)
    client_key: Mapped[str | None] = mapped_column(String(64), nullable=True)  # reprints and test pages
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    printer: Mapped[Printer] = relationship()
