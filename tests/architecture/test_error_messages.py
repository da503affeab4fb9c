"""Every message of a domain error is a template the catalogue can hold (api/i18n.py): a literal string
with ``{name}`` placeholders and the values as keywords, never an f-string, ``.format()``, ``%`` or a
variable, which would reach the catalogue as text it has never seen (a Chinese caller then gets only the
general words for the code). A lookup in a module-level table of ``N_("…")`` literals is a template too."""
from __future__ import annotations

import ast
from pathlib import Path

import domain.errors as errors

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("domain", "services", "api", "kds", "web", "schema", "models", "printers", "wechat", "alipay")
ERRORS = {name for name, value in vars(errors).items()
          if isinstance(value, type) and issubclass(value, errors.DomainError)} | {"ValidationError"}
# Messages that come from outside our words (a printer provider's own answer), passed on as they are:
# i18n gives a Chinese caller the code's general words. (file, line text) — keep this list short.
PASSED_ON = {
    ("services/printers_admin.py", "raise ValidationFailed(str(exc), exc.fields) from None"),
    ("services/printers_admin.py", 'raise ValidationFailed(str(exc), {"key": ["refused by Feie"]}) from None'),
    ("services/printers_admin.py", "raise UpstreamError(str(exc)) from None"),
}


def _is_marked(node: ast.AST) -> bool:
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "N_"
            and len(node.args) == 1 and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str))


def _tables(tree: ast.Module) -> set[str]:
    """Module-level dicts whose every value is N_("literal")."""
    found = set()
    for stmt in tree.body:
        target, value = None, None
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target, value = stmt.targets[0], stmt.value
        elif isinstance(stmt, ast.AnnAssign):
            target, value = stmt.target, stmt.value
        if isinstance(target, ast.Name) and isinstance(value, ast.Dict) and value.values \
                and all(_is_marked(v) for v in value.values):
            found.add(target.id)
    return found


def _is_template(node: ast.AST, tables: set[str]) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return True
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
        return node.value.id in tables
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" \
            and isinstance(node.func.value, ast.Name) and node.func.value.id in tables:
        return len(node.args) == 2 and (_is_marked(node.args[1]) or isinstance(node.args[1], ast.Constant))
    return False


def offenders(source: str, name: str) -> list[str]:
    tree = ast.parse(source)
    tables, lines, bad = _tables(tree), source.splitlines(), []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        if called not in ERRORS:
            continue
        message = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "message"), None)
        if message is None or _is_template(message, tables):
            continue
        if (name, lines[node.lineno - 1].strip()) in PASSED_ON:
            continue
        bad.append(f"{name}:{node.lineno}: {called}({ast.unparse(message)})")
    return bad


def test_every_domain_error_is_raised_with_a_literal_template() -> None:
    bad = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            bad += offenders(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert not bad, "raise with a literal template and keyword values (domain/errors.py):\n" + "\n".join(bad)


def test_the_scan_catches_what_it_should() -> None:
    """The scan must be able to fail: each of these is a message the catalogue could never hold."""
    assert offenders('raise InvalidState(f"{due} fen still due")', "x.py")
    assert offenders('raise NotFound("no such %s" % what)', "x.py")
    assert offenders('raise Conflict("store {} exists".format(slug))', "x.py")
    assert offenders("raise Forbidden(message)", "x.py")
    assert offenders("raise errors.SoldOut(name + ' is sold out')", "x.py")
    assert offenders('raise ValidationError(f"must be {x}")', "x.py")
    assert offenders('T = {"a": "no such a"}\nraise NotFound(T[what])', "x.py")  # not marked for extraction
    assert not offenders('raise InvalidState("{due} still due", due=format_fen(due))', "x.py")
    assert not offenders('T = {"a": N_("no such a")}\nraise NotFound(T[what])', "x.py")
