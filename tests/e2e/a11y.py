"""axe-core in the browser tests: the page's accessibility violations of impact serious or critical.

axe-core is a devDependency (package.json), installed into node_modules by ``make dev-deps`` (npm ci).
Its source is evaluated in the page through the DevTools protocol, so the pages' content security
policy (scripts from 'self' only) does not block it and the pages need no change to be checked.

Use::

    from tests.e2e.a11y import assert_no_serious_violations, serious_violations
    assert_no_serious_violations(page)             # fails naming each rule and its elements' selectors
    assert serious_violations(page, include="#board") == []
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")


@lru_cache(maxsize=1)
def _axe_source() -> str:
    if not AXE.exists():
        raise RuntimeError(f"{AXE} is missing: run `make dev-deps` (npm ci installs axe-core)")
    return AXE.read_text(encoding="utf-8")


def _inject(page: Page) -> None:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # A string (not a function) is evaluated as a script; `void 0` keeps the answer serialisable.
        page.evaluate(_axe_source() + "\n;void 0;")


def violations(page: Page, include: str | None = None, impacts: tuple[str, ...] = SERIOUS,
               disable: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """axe's violations on the page as it is now (optionally only inside ``include``, a CSS selector),
    kept to the given impacts. Each: {"id", "impact", "help", "targets": [selector, ...], "summary"}."""
    _inject(page)
    options: dict[str, Any] = {"resultTypes": ["violations"]}
    if disable:
        options["rules"] = {rule: {"enabled": False} for rule in disable}
    result = page.evaluate(
        """async ([include, options]) => {
            const r = await window.axe.run(include ? {include: [include]} : document, options);
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.map(n => n.target.join(' ')),
                summary: v.nodes.map(n => n.failureSummary || '').slice(0, 3),
            }));
        }""",
        [include, options],
    )
    return [v for v in result if v["impact"] in impacts]


def serious_violations(page: Page, include: str | None = None, disable: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """The violations of impact serious or critical (e.g. colour contrast, missing labels)."""
    return violations(page, include=include, disable=disable)


def describe(found: list[dict[str, Any]]) -> str:
    """A readable list for an assertion message: each rule, its help and the selectors of its elements."""
    lines = []
    for v in found:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
        for target in v["targets"][:12]:
            lines.append(f"    {target}")
        if len(v["targets"]) > 12:
            lines.append(f"    … and {len(v['targets']) - 12} more")
        if v["summary"] and v["summary"][0]:
            lines.append("    " + json.dumps(v["summary"][0], ensure_ascii=False)[:300])
    return "\n".join(lines)


def assert_no_serious_violations(page: Page, include: str | None = None, disable: tuple[str, ...] = ()) -> None:
    found = serious_violations(page, include=include, disable=disable)
    assert not found, f"axe-core: {len(found)} serious/critical violation(s) on {page.url}:\n{describe(found)}"
