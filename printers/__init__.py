"""Printers: one class per kind (``escpos`` network printers, ``feie`` cloud printers) behind the
small interface in ``printers.base``; the only code that talks to printers. Another cloud (易联云,
芯烨) is one more class here and one more entry in ``KINDS``.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from printers.base import PrinterKind, PrinterRejected, PrinterUnavailable, SettingsInvalid, Target
from printers.escpos_network import EscposNetwork
from printers.feie import FeieCloud

KINDS: dict[str, type[PrinterKind]] = {"escpos": EscposNetwork, "feie": FeieCloud}


def driver(kind: str, config: Mapping[str, Any]) -> PrinterKind:
    """The printer class for ``kind``, set up from the app's settings."""
    if kind == "escpos":
        return EscposNetwork(timeout=float(config.get("PRINT_TIMEOUT_SECONDS", 5)))
    if kind == "feie":
        return FeieCloud(config.get("FEIE_API_BASE", ""), config.get("FEIE_USER", ""), config.get("FEIE_UKEY", ""),
                         timeout=float(config.get("PRINT_TIMEOUT_SECONDS", 5)) * 2)
    raise KeyError(kind)


__all__ = ["KINDS", "PrinterKind", "PrinterRejected", "PrinterUnavailable", "SettingsInvalid", "Target", "driver"]
