"""Every string a page or the server shows has its Chinese translation in the catalogue translators edit."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]


def test_every_string_of_the_catalogue_has_a_chinese_translation() -> None:
    with open(ROOT / "translations" / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po", "rb") as fh:
        catalog = read_po(fh)
    missing = [str(m.id) for m in catalog if m.id and not m.string]
    assert missing == [], f"untranslated (add them to messages.po): {missing[:10]}"
    assert not catalog.fuzzy


def test_the_catalogue_holds_every_string_the_code_uses(tmp_path: Path) -> None:
    """As `make translations-update` extracts them: a string added without updating the catalogue fails here."""
    pot = tmp_path / "messages.pot"
    keywords = re.search(r"^BABEL_KEYWORDS := (.*?)\n(?=\S)", (ROOT / "Makefile").read_text(), re.M | re.S)
    assert keywords, "Makefile names BABEL_KEYWORDS"
    words = keywords.group(1).replace("\\\n", " ").split()
    assert {"_", "gettext", "NotFound", "ValidationError"} <= set(words)
    subprocess.run([str(Path(sys.executable).with_name("pybabel")), "extract", "-F", "babel.cfg",
                    *[a for w in words for a in ("-k", w)], "--no-location", "--omit-header", "-o", str(pot),
                    "."], cwd=ROOT, check=True)
    with open(pot, "rb") as fh:
        template = read_po(fh)
    with open(ROOT / "translations" / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po", "rb") as fh:
        catalog = read_po(fh)
    absent = [str(m.id) for m in template if m.id and catalog.get(m.id, context=m.context) is None]
    assert absent == [], f"run `make translations-update`: {absent[:10]}"


def test_the_mini_programs_catalogue_is_written_from_the_po() -> None:
    """miniprogram/lib/catalogue.js is what scripts/miniprogram_catalogue.py makes of the .po today."""
    done = subprocess.run([sys.executable, "scripts/miniprogram_catalogue.py", "--check"], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
