"""ops/systemd: every unit is valid for systemd and runs commands that exist."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

UNITS = Path(__file__).resolve().parents[2] / "ops" / "systemd"


def test_units_run_flask_commands_that_exist(app):
    commands = set(app.cli.list_commands(None))  # type: ignore[arg-type]
    used = set()
    for unit in UNITS.iterdir():
        used |= set(re.findall(r"flask --app app ([a-z-]+)", unit.read_text()))
    assert used >= {"db-upgrade", "payments-reconcile", "forget-inactive-diners", "backup"}
    assert used <= commands, used - commands


def test_every_timer_has_its_service():
    timers = sorted(UNITS.glob("*.timer"))
    assert timers
    for timer in timers:
        assert (UNITS / (timer.stem + ".service")).exists(), timer.name


def test_systemd_accepts_the_units(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    for unit in UNITS.iterdir():
        shutil.copy(unit, tmp_path / unit.name)
    (tmp_path / "diancan@5001.service").symlink_to(tmp_path / "diancan@.service")
    names = [p.name for p in tmp_path.iterdir() if p.name != "diancan@.service"]
    done = subprocess.run([analyze, "verify", "--man=no", *names], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120)
    # The machine running the tests has no /opt/diancan, no diancan user and no mariadb unit:
    # those are for the server; anything else systemd says is a mistake in our files.
    problems = [ln for ln in done.stderr.splitlines() if ln.strip() and not re.search(
        r"Command /opt/diancan/\S+ is not executable|Failed to resolve user|Unit (mariadb|redis-server)\S* not found",
        ln)]
    assert not problems, done.stderr
