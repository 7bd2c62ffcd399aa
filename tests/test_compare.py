"""compare: one column per scenario; an impossible one explains itself in its column."""

from __future__ import annotations

import csv
import io
import json

import yaml
from typer.testing import CliRunner

from staffplan.cli import app
from tests.conftest import officer, small_county, write_scenario

runner = CliRunner()


def scenarios(tmp_path):
    officers = [officer(f"H{i}", "H1") for i in range(4)] + [officer("S", "S1", pinned="yes")]
    base = write_scenario(tmp_path / "data", small_county(), officers,
                          {"station_share": {"county": 0.5, "district": 0.5},
                           "staff_every_post": True})
    easy = tmp_path / "easy.yaml"
    easy.write_text(yaml.safe_dump({"extends": "data/scenario.yaml", "name": "easy",
                                    "rules": {"staff_every_post": False,
                                              "station_share": {"county": 0.2}}}), encoding="utf-8")
    hard = tmp_path / "hard.yaml"
    hard.write_text(yaml.safe_dump({"extends": "data/scenario.yaml", "name": "impossible",
                                    "rules": {"station_share": {"county": 1.0}},
                                    "changes": {"unit_bounds": {"H1": {"min_staff": 1}}},
                                    }), encoding="utf-8")
    hard.write_text(hard.read_text() + "", encoding="utf-8")
    return base, easy, hard


def test_compare_feasible_and_impossible_side_by_side(tmp_path):
    base, easy, hard = scenarios(tmp_path)
    hard_yaml = yaml.safe_load(hard.read_text())
    hard_yaml["rules"]["unit_bounds"] = True
    hard.write_text(yaml.safe_dump(hard_yaml), encoding="utf-8")
    r = runner.invoke(app, ["compare", str(base), str(easy), str(hard), "-f", "json", "-j", "1"])
    assert r.exit_code == 1, r.output  # one scenario has no plan
    data = json.loads(r.stdout)
    status = [s["status"] for s in data["scenarios"]]
    assert status == ["optimal", "optimal", "infeasible"]
    rows = {row["key"]: row["cells"] for row in data["rows"]}
    # base: both posts; easy: 1 of 5 at the station is enough
    assert rows["moves"] == ["2", "0", ""]
    assert rows["config: rules.staff_every_post"] == ["True", "False", "True"]
    assert rows["config: rules.station_share.county"] == ["0.5", "0.2", "1.0"]
    assert rows["why no plan"][0] == rows["why no plan"][1] == ""
    assert "station strength / force" in rows["why no plan"][2]
    overrides = data["scenarios"][1]["provenance"]["overrides"]
    assert any(o.startswith("rules.staff_every_post: true -> false") for o in overrides)


def test_compare_formats(tmp_path):
    base, easy, _ = scenarios(tmp_path)
    r = runner.invoke(app, ["compare", str(base), str(easy), "-f", "csv"])
    assert r.exit_code == 0
    assert r.stdout.startswith("\ufeff")  # for Excel
    table = list(csv.reader(io.StringIO(r.stdout.removeprefix("\ufeff"))))
    assert table[0] == ["", "test", "easy"] and table[1] == ["status", "optimal", "optimal"]
    r = runner.invoke(app, ["compare", str(base), str(easy), "-f", "markdown"])
    assert r.stdout.splitlines()[0] == "| | test | easy |"
    r = runner.invoke(app, ["compare", str(base), str(easy)])
    assert "Scenarios compared" in r.stdout


def test_compare_bad_input_is_exit_2(tmp_path):
    base, _, _ = scenarios(tmp_path)
    r = runner.invoke(app, ["compare", str(base), str(tmp_path / "missing.yaml")])
    assert r.exit_code == 2 and "missing.yaml: file not found" in r.stderr


def test_compare_on_80_columns_keeps_every_label_whole(tmp_path):
    """Long config keys that share a prefix are never cut to the same label; scenarios that
    do not fit side by side follow in another block; the reasons are numbered lines."""
    from staffplan.report.tables import render_text
    from staffplan.studies import compare as cmp

    base, easy, hard = scenarios(tmp_path)
    hard_yaml = yaml.safe_load(hard.read_text())
    hard_yaml["rules"]["unit_bounds"] = True  # impossible: two rules in conflict
    hard.write_text(yaml.safe_dump(hard_yaml), encoding="utf-8")
    variants = []
    for i, (lo, hi) in enumerate([(0, 1), (0, 2), (1, 3), (0, 4)]):
        path = tmp_path / f"v{i}.yaml"
        path.write_text(yaml.safe_dump({"extends": "data/scenario.yaml", "name": f"variant {i}",
                                        "changes": {"unit_bounds": {"P1": {"min_staff": lo,
                                                                           "max_staff": hi}}}}),
                        encoding="utf-8")
        variants.append(str(path))
    columns = cmp.compare([str(base), *variants, str(hard)], workers=1)
    rows = {row.key: row for row in cmp.rows(columns)}
    assert "config: changes.unit_bounds.P1.min_staff" in rows
    # One numbered line per reason: never joined with "/", which rule names contain.
    assert rows["why no plan"].cells[-1].split("\n") == [
        f"{i}. {line.strip()}" for i, line in enumerate(columns[-1].conflicts, 1)]
    text = render_text(lambda c: c.print(cmp.table(columns)), 80)
    assert all(len(line) <= 80 for line in text.splitlines())
    assert "…" not in text
    flat = "".join(text.split())  # folded labels read whole once the line breaks go
    for key in ("changes.unit_bounds.P1.min_staff", "changes.unit_bounds.P1.max_staff"):
        assert key in flat
    assert text.count("Scenarios compared") == 1 and text.count("variant 3") == 1
    for c in columns:
        assert c.name in text or "".join(c.name.split()) in flat


def test_compare_uses_the_one_vocabulary_of_moves(tmp_path):
    from staffplan.studies import compare as cmp

    officers = [officer("H", "H1", home_unit="S1"), officer("R", bureau="B1"), officer("S", "S1")]
    path = write_scenario(tmp_path / "s", small_county(), officers,
                          {"return_borrowed": True, "staff_every_post": True})
    [column] = cmp.compare([str(path)])
    labels = {row.key: row.label for row in cmp.rows([column])}
    assert labels["moves: borrowed returned"] == "borrowed officers returned"
    assert labels.get("recruits placed: post") == "recruits → post"
    assert not any(k.startswith("moves: recruit") for k in labels)  # placing is no move
