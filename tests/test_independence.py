"""The checker must judge an assignment on its own: it may not reach the model's code.

Module by module: nothing the checker imports reaches PuLP, HiGHS, the model, the solver or
the planner. Function by function: in every rule module, what ``check``, ``warnings`` and
``approvals`` call never meets what ``scope``, ``hold``, ``constrain``, ``share_target`` and
``shortfall`` call, and never touches the builder or the model's helpers.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "staffplan"
FORBIDDEN = {"pulp", "highspy", "staffplan.model", "staffplan.solve", "staffplan.plan",
             "staffplan.diagnose"}
# Helpers the model uses to decide who is held: the checker computes these on its own.
FORBIDDEN_NAMES = {"tenure_complete", "anniversary", "as_fraction", "placement", "build",
                   "union_days", "min_days", "facts", "experience"}
CHECK_SIDE = ("check", "warnings", "notices", "approvals")
MODEL_SIDE = ("scope", "hold", "constrain", "share_target", "shortfall", "eligible", "prefer")
# The promotion checker: nor the promotion model, its arithmetic of years or its solve.
PROMOTION_FORBIDDEN = FORBIDDEN | {"staffplan.promotions.model", "staffplan.promotions.plan",
                                   "staffplan.promotions.experience",
                                   "staffplan.promotions.diagnose"}


def imports(path: Path) -> tuple[set[str], set[str]]:
    modules, names = set(), set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
            names.update(a.name for a in node.names)
    return modules, names


def _path(module: str) -> Path:
    path = PACKAGE.parent / (module.replace(".", "/") + ".py")
    return path if path.exists() else PACKAGE.parent / module.replace(".", "/") / "__init__.py"


def test_promotion_checker_does_not_import_the_promotion_model():
    seen = _walk("staffplan.promotions.check", PROMOTION_FORBIDDEN)
    assert {"staffplan.rules._promotion", "staffplan.rules.station_rate",
            "staffplan.promotions.history"} <= seen


def _walk(start: str, forbidden: set[str]) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        module = todo.pop()
        if module in seen or not module.startswith("staffplan"):
            continue
        seen.add(module)
        modules, names = imports(_path(module))
        assert not (modules & forbidden), f"{module} imports {modules & forbidden}"
        assert not (names & {"union_days", "min_days", "facts"}), (module, names)
        todo.extend(m for m in modules if m.startswith("staffplan") and m != "staffplan")
        todo.extend(f"{m}.{n}" for m in modules if m in ("staffplan.rules", "staffplan.promotions")
                    for n in names if _path(f"{m}.{n}").exists())
    return seen


def test_checker_does_not_import_the_model():
    seen, todo = set(), ["staffplan.check"]
    while todo:
        module = todo.pop()
        if module in seen or not module.startswith("staffplan"):
            continue
        seen.add(module)
        modules, names = imports(_path(module))
        assert not (modules & FORBIDDEN), f"{module} imports {modules & FORBIDDEN}"
        if module == "staffplan.check":
            assert not (names & FORBIDDEN_NAMES), names & FORBIDDEN_NAMES
        todo.extend(m for m in modules if m.startswith("staffplan") and m != "staffplan")
        # ``from staffplan.rules import x`` imports the module staffplan.rules.x
        todo.extend(f"{m}.{n}" for m in modules if m == "staffplan.rules"
                    for n in names if _path(f"{m}.{n}").exists())
    assert "staffplan.domain" in seen and "staffplan.rules.min_community_tenure" in seen


class _Functions:
    """Every module-level function of the rule modules, and what each one calls."""

    def __init__(self):
        self.calls: dict[tuple[str, str], set[tuple[str, str]]] = {}
        self.names: dict[tuple[str, str], set[str]] = {}
        self.params: dict[tuple[str, str], set[str]] = {}
        for path in sorted((PACKAGE / "rules").glob("*.py")):
            module = path.stem
            tree = ast.parse(path.read_text(encoding="utf-8"))
            local = {f.name for f in tree.body if isinstance(f, ast.FunctionDef)}
            aliases = {a.asname or a.name: a.name for node in tree.body
                       if isinstance(node, ast.ImportFrom) and node.module == "staffplan.rules"
                       for a in node.names}
            for f in tree.body:
                if not isinstance(f, ast.FunctionDef):
                    continue
                key = (module, f.name)
                calls, names = set(), set()
                for node in ast.walk(f):
                    if isinstance(node, ast.Name):
                        names.add(node.id)
                        if node.id in local:
                            calls.add((module, node.id))
                    elif (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                          and node.value.id in aliases):
                        calls.add((aliases[node.value.id], node.attr))
                self.calls[key], self.names[key] = calls, names
                self.params[key] = {a.arg for a in f.args.args}

    def reach(self, roots: tuple[str, ...]) -> set[tuple[str, str]]:
        todo = [k for k in self.calls if k[1] in roots]
        seen: set = set()
        while todo:
            key = todo.pop()
            if key in seen or key not in self.calls:
                continue
            seen.add(key)
            todo.extend(self.calls[key])
        return seen


def test_each_rules_check_never_reaches_its_model_side():
    fns = _Functions()
    check_side, model_side = fns.reach(CHECK_SIDE), fns.reach(MODEL_SIDE)
    assert ("min_community_tenure", "check") in check_side
    assert ("station_share", "constrain") in model_side
    assert {("bureau_leader_years", "check"), ("_promotion", "days_covered"),
            ("station_rate", "check")} <= check_side
    assert {("bureau_leader_years", "eligible"), ("station_rate", "constrain"),
            ("station_leader_years", "prefer")} <= model_side
    shared = check_side & model_side
    assert not shared, f"check and model sides share {sorted(shared)}"
    for key in check_side:
        bad = (fns.names[key] | fns.params[key]) & FORBIDDEN_NAMES
        assert not bad, f"{key[0]}.{key[1]} (check side) uses the model's {sorted(bad)}"


def test_check_loads_neither_pulp_nor_highspy():
    """``staffplan check`` in a fresh interpreter: the solver stays unloaded."""
    code = ("import sys\n"
            "from staffplan.cli import main\n"
            "sys.argv = ['staffplan', 'check', 'examples/lianyungang/scenario.yaml', "
            "'--format', 'json', '--output', '/dev/null']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('pulp', 'highspy', 'staffplan')))\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       cwd=PACKAGE.parent, timeout=120)
    loaded = eval(r.stdout.strip().splitlines()[-1])  # noqa: S307 (our own printed list)
    assert "staffplan.check" in loaded
    assert not [m for m in loaded if m.split(".")[0] in ("pulp", "highspy")], loaded
    assert not {"staffplan.model", "staffplan.solve", "staffplan.plan"} & set(loaded), loaded


def test_check_promotions_loads_neither_pulp_nor_highspy(tmp_path):
    """``staffplan check --promotions`` in a fresh interpreter: the solver stays unloaded."""
    listing = tmp_path / "list.csv"
    listing.write_text("officer_id,track\nP000002,rank\n", encoding="utf-8")
    code = ("import sys\n"
            "from staffplan.cli import main\n"
            "sys.argv = ['staffplan', 'check', 'examples/lianyungang/promotions.yaml', "
            f"'--promotions', {str(listing)!r}, '--format', 'json', '--output', '/dev/null']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('pulp', 'highspy', 'staffplan')))\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       cwd=PACKAGE.parent, timeout=120)
    loaded = eval(r.stdout.strip().splitlines()[-1])  # noqa: S307 (our own printed list)
    assert "staffplan.promotions.check" in loaded
    assert not [m for m in loaded if m.split(".")[0] in ("pulp", "highspy")], loaded
    assert not PROMOTION_FORBIDDEN & set(loaded), loaded


def test_checker_and_model_agree_on_tenure():
    from datetime import date, timedelta

    from staffplan.domain import tenure_complete
    from staffplan.rules.min_community_tenure import completed_years

    starts = [date(2016, 2, 29), date(2016, 2, 28), date(2016, 3, 1), date(2015, 12, 31),
              date(2017, 1, 1)]
    for since in starts:
        for offset in range(0, 2200):  # every day for six years: each 28 Feb / 1 Mar / 29 Feb
            on = since + timedelta(days=offset)
            for years in (1, 3, 4):
                assert (completed_years(since, on) >= years) == \
                    tenure_complete(since, on, years), (since, on, years)


def test_readme_rules_tables_come_from_the_registry():
    """The README's rules table (and the Chinese guide's) is the registry's own."""
    from staffplan.rules import markdown_table

    root = PACKAGE.parent
    assert markdown_table() in (root / "README.md").read_text(encoding="utf-8"), \
        "README.md's rules table is stale: paste staffplan.rules.markdown_table()"
    assert markdown_table("zh") in (root / "docs" / "README.zh.md").read_text(encoding="utf-8")


def test_readme_promotion_rules_tables_come_from_the_registry():
    from staffplan.rules import promotion_markdown_table

    root = PACKAGE.parent
    assert promotion_markdown_table() in (root / "README.md").read_text(encoding="utf-8"), \
        ("README.md's promotion rules table is stale: paste "
         "staffplan.rules.promotion_markdown_table()")
    assert promotion_markdown_table("zh") in (root / "docs" / "README.zh.md").read_text(
        encoding="utf-8")
