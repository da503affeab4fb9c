"""Backups of the whole database while the restaurant keeps serving.

SQLite: the online backup API copies a consistent snapshot page by page while writers carry on.
MariaDB: ``mariadb-dump --single-transaction`` reads everything inside one consistent (repeatable
read) snapshot without locking InnoDB tables; restore with ``mariadb NEWDB < dump.sql``.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupFailed(Exception):
    """The dump tool failed or is missing; nothing usable was written."""


def default_path(directory: Path, url: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    suffix = "sqlite3" if url.startswith("sqlite") else "sql"
    return directory / f"diancan-{stamp}.{suffix}"


def backup(url: str, target: Path) -> Path:
    """Write a consistent copy of the database at ``url`` to ``target`` (via a temporary file,
    renamed when complete, so a half-written backup never looks like a good one)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    if url.startswith("sqlite"):
        _sqlite(url, partial)
    else:
        _mariadb(url, partial)
    os.replace(partial, target)
    return target


def _sqlite(url: str, out: Path) -> None:
    source_path = make_url(url).database
    if not source_path:
        raise BackupFailed("an in-memory SQLite database has nothing to back up")
    source = sqlite3.connect(source_path, timeout=30)
    dest = sqlite3.connect(out)
    try:
        # A few hundred pages per step, so writers wait at most a step between steps.
        source.backup(dest, pages=256)
    finally:
        dest.close()
        source.close()


def _mariadb(url: str, out: Path) -> None:
    parsed = make_url(url)
    tool = shutil.which("mariadb-dump") or shutil.which("mysqldump")
    if tool is None:
        raise BackupFailed("mariadb-dump is not installed (apt-get install mariadb-client)")
    command = [tool, "--single-transaction", "--quick", "--routines", "--triggers", "--hex-blob",
               "--default-character-set=utf8mb4", f"--host={parsed.host or '127.0.0.1'}",
               f"--port={parsed.port or 3306}", f"--user={parsed.username or 'root'}",
               f"--result-file={out}", str(parsed.database)]
    env = {**os.environ, "MYSQL_PWD": parsed.password or ""}  # never on the command line (ps shows it)
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        out.unlink(missing_ok=True)
        raise BackupFailed(f"mariadb-dump failed: {done.stderr.strip()[:500]}")
