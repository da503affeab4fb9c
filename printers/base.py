"""The small interface every kind of printer implements, and what a send can end in.

A kind (``escpos``, ``feie``; 易联云 or 芯烨 would be one more class each) knows how to check
its settings, how to render lines for itself, and how to send one job. ``send`` returns only
when the printer (or its cloud) has accepted the job; otherwise it raises:

- ``PrinterUnavailable``: try again later (no answer, refused connection, a cloud hiccup);
- ``PrinterRejected``: the provider refuses our credentials; retrying cannot help until a
  person fixes the printer's settings.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar

from domain.print_docs import Line


class PrinterUnavailable(Exception):
    """The printer did not take the job this time."""


class PrinterRejected(Exception):
    """The printer's provider refuses us (wrong key, unknown serial): stop until fixed."""


class SettingsInvalid(ValueError):
    """A printer's settings cannot work; ``fields`` says which, for the API's 422."""

    def __init__(self, message: str, fields: dict[str, list[str]]) -> None:
        super().__init__(message)
        self.fields = fields


@dataclass(frozen=True)
class Target:
    """Where a job goes: the printer's row, as plain values (no database session needed to send)."""

    kind: str
    name: str
    paper_width: int
    host: str | None = None
    port: int | None = None
    sn: str | None = None
    key: str | None = None


class PrinterKind(ABC):
    kind: ClassVar[str]
    # The settings this kind needs from a request, besides the common ones.
    fields: ClassVar[tuple[str, ...]]

    @classmethod
    @abstractmethod
    def check_settings(cls, values: dict[str, Any]) -> dict[str, Any]:
        """Normalised settings, or ``SettingsInvalid`` naming each bad field."""

    @abstractmethod
    def render(self, lines: list[Line], paper_width: int) -> Any:
        """The job in the printer's own language (bytes, markup)."""

    @abstractmethod
    def send(self, target: Target, rendered: Any, job_ref: str) -> None:
        """Hand the job over; return only once the printer accepted it (see the module doc)."""
