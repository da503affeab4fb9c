"""Write miniprogram/lib/catalogue.js from the project's one catalogue (the .po files).

The mini-program cannot read .po files, so its texts (miniprogram/lib/strings.js, English message
ids) are looked up here in every translations/<lang>/LC_MESSAGES/messages.po and written out as a
CommonJS module. `make translations-update` runs it; tests/domain/test_catalogue.py fails when the
written file is not what the .po says.

    python scripts/miniprogram_catalogue.py [--check]
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
STRINGS = ROOT / "miniprogram" / "lib" / "strings.js"
OUT = ROOT / "miniprogram" / "lib" / "catalogue.js"
# WeChat reports Simplified Chinese as zh_CN; the .po directory follows Babel's zh_Hans_CN.
LANGS = {"zh_CN": "zh_Hans_CN"}
_MSGID = re.compile(r'_\("((?:[^"\\]|\\.)*)"\)')


def message_ids() -> list[str]:
    return [json.loads(f'"{raw}"') for raw in _MSGID.findall(STRINGS.read_text(encoding="utf-8"))]


def render() -> str:
    ids = message_ids()
    tables: dict[str, dict[str, str]] = {}
    for lang, po_lang in LANGS.items():
        with open(ROOT / "translations" / po_lang / "LC_MESSAGES" / "messages.po", "rb") as fh:
            catalog = read_po(fh)
        table = {}
        for msgid in ids:
            message = catalog.get(msgid)
            if message is not None and message.string and not message.fuzzy:
                table[msgid] = message.string
        tables[lang] = table
    body = json.dumps(tables, ensure_ascii=False, indent=2, sort_keys=True)
    return ("// Written by scripts/miniprogram_catalogue.py from translations/*/LC_MESSAGES/messages.po:"
            " do not edit.\nmodule.exports = " + body + ";\n")


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT.relative_to(ROOT)} is out of date: run make translations-update", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
