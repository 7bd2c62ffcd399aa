"""The checker must judge an assignment on its own: it may not reach the model's code."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "staffplan"
FORBIDDEN = {"pulp", "highspy", "staffplan.model", "staffplan.solve", "staffplan.plan"}
# Helpers the model uses to decide who is held: the checker computes these on its own.
FORBIDDEN_NAMES = {"tenure_complete", "anniversary", "as_fraction", "placement"}


def imports(path: Path) -> tuple[set[str], set[str]]:
    modules, names = set(), set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
            names.update(a.name for a in node.names)
    return modules, names


def test_checker_does_not_import_the_model():
    seen, todo = set(), ["staffplan.check"]
    while todo:
        module = todo.pop()
        if module in seen or not module.startswith("staffplan"):
            continue
        seen.add(module)
        path = PACKAGE.parent / (module.replace(".", "/") + ".py")
        if not path.exists():
            path = PACKAGE.parent / module.replace(".", "/") / "__init__.py"
        modules, names = imports(path)
        assert not (modules & FORBIDDEN), f"{module} imports {modules & FORBIDDEN}"
        if module == "staffplan.check":
            assert not (names & FORBIDDEN_NAMES), names & FORBIDDEN_NAMES
        todo.extend(m for m in modules if m.startswith("staffplan") and m != "staffplan")
    assert "staffplan.domain" in seen


def test_checker_and_model_agree_on_tenure():
    from datetime import date, timedelta

    from staffplan.check import _completed_years
    from staffplan.domain import tenure_complete

    since = date(2016, 2, 29)
    for offset in range(0, 4000, 7):
        on = since + timedelta(days=offset)
        for years in (1, 3, 4):
            assert (_completed_years(since, on) >= years) == tenure_complete(since, on, years)
