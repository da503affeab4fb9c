"""The alert rules in ops/prometheus pass their promtool unit tests and name only metrics we export."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

RULES = Path(__file__).resolve().parents[2] / "ops" / "prometheus"


def _promtool() -> str:
    found = shutil.which("promtool")
    if found is None:  # scripts/ensure-ops-tools.sh installs Debian's prometheus (CI runs as root)
        subprocess.run(["bash", str(RULES.parents[1] / "scripts" / "ensure-ops-tools.sh")], check=False)
        found = shutil.which("promtool")
    if found is None:
        pytest.skip("promtool is not installed and cannot be (not root): apt-get install prometheus")
    return found


def test_rules_are_valid_and_their_unit_tests_pass():
    promtool = _promtool()
    check = subprocess.run([promtool, "check", "rules", "diancan.rules.yml"], cwd=RULES, capture_output=True,
                           text=True, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr
    tests = subprocess.run([promtool, "test", "rules", "diancan.rules.test.yml"], cwd=RULES, capture_output=True,
                           text=True, timeout=300)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "SUCCESS" in tests.stdout + tests.stderr


def test_rules_name_only_metrics_the_processes_export(client):
    client.get("/healthz")  # so the request histogram has its first series
    text = client.get("/metrics").get_data(as_text=True)
    exported = set()
    for family in text_string_to_metric_families(text):
        exported.add(family.name)
        exported |= {s.name for s in family.samples}
        if family.type == "counter":
            exported.add(family.name + "_total")
    used = set(re.findall(r"\bdiancan_[a-z_]+", (RULES / "diancan.rules.yml").read_text()))
    assert used, "the rules should watch our metrics"
    assert not used - exported, sorted(used - exported)
