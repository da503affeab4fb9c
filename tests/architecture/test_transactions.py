"""One owner of every transaction (ARCHITECTURE.md): only ``services/uow.py`` commits or rolls back.

Use cases write in ``uow.transaction()`` and read in ``uow.reading()``; a ``.commit()`` or
``.rollback()`` anywhere else in the application is a transaction with no owner.
"""
from __future__ import annotations

import ast
from pathlib import Path

from tests.architecture.imports import ROOT, application_files

OWNER = ROOT / "services" / "uow.py"
ENDINGS = {"commit", "rollback"}


def _endings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [f"{path.relative_to(ROOT)}:{node.lineno} .{node.func.attr}()"
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ENDINGS]


def test_only_the_unit_of_work_commits_or_rolls_back() -> None:
    found = [hit for path in application_files() if path != OWNER for hit in _endings(path)]
    assert found == []


def test_the_scan_sees_the_owner() -> None:
    """The scan can fail: the unit of work itself commits and rolls back."""
    assert any(hit.endswith(".commit()") for hit in _endings(OWNER))
    assert any(hit.endswith(".rollback()") for hit in _endings(OWNER))
