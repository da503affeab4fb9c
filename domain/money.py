"""Money is integer fen. Formatting lives here so every page shows ¥12.50 the same way."""
from __future__ import annotations


def format_fen(fen: int, symbol: str = "¥") -> str:
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(int(fen)), 100)
    return f"{sign}{symbol}{yuan}.{cents:02d}"
