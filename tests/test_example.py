"""The bundled example reaches the article's figures, and the configs in configs/ work."""

from __future__ import annotations

import importlib.util
from fractions import Fraction
from pathlib import Path

import pytest

from staffplan import check, load_scenario, make_plan
from staffplan.results import Status

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "lianyungang"


@pytest.fixture(scope="module")
def example_plan():
    scenario = load_scenario(EXAMPLE / "scenario.yaml")
    return scenario, make_plan(scenario)


def test_example_files_are_what_the_generator_writes(tmp_path):
    spec = importlib.util.spec_from_file_location("gen", EXAMPLE / "generate.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    from staffplan.generate import write_instance

    write_instance(tmp_path, **gen.EXAMPLE)
    for name in ("units.csv", "officers.csv", "scenario.yaml", "history.csv", "promotions.yaml"):
        assert (tmp_path / name).read_bytes() == (EXAMPLE / name).read_bytes(), name


def test_example_roster_breaks_the_rules_before_the_reform():
    report = check(load_scenario(EXAMPLE / "scenario.yaml"))
    broken = {r.rule for r in report.results if r.status == "violated"}
    assert {"station_share", "community_share", "staff_every_post", "return_borrowed",
            "daytime_duty"} <= broken
    assert report.unplaced_recruits


def test_example_plan_reaches_the_article_figures(example_plan):
    scenario, result = example_plan
    assert result.status is Status.OPTIMAL
    report = result.report
    assert report.ok
    assert sum(b.posts for b in report.bureaus) == 630
    assert sum(b.posts_staffed for b in report.bureaus) == 630
    assert sum(b.community_officers for b in report.bureaus) == 726
    kinds = sorted(b.kind for b in report.bureaus)
    assert kinds == ["county"] * 3 + ["district"] * 3
    for b in report.bureaus:
        target = Fraction(445, 1000) if b.kind == "county" else Fraction(558, 1000)
        assert Fraction(b.station_strength, b.force) >= target
        assert Fraction(b.community_officers, b.station_strength) >= Fraction(48, 100)
    total_station = sum(b.station_strength for b in report.bureaus)
    assert Fraction(726, total_station) >= Fraction(48, 100)
    assert report.moves_by_kind["borrowed returned"] > 0
    recruits = sum(1 for o in scenario.officers if o.unit is None)
    assert "hq" not in report.placed_by_kind and report.recruits_placed == recruits > 0
    # The rules the article adds: daytime duty covered, no station lends to headquarters, and
    # the community funds at 30,000 yuan per community officer.
    on = {r.rule for r in report.results if r.enabled and r.checked}
    assert {"daytime_duty", "no_borrowing_from_stations"} <= on
    assert not any(k.startswith(("station -> hq", "post -> hq")) for k in report.moves_by_kind)
    assert sum(b.community_funds for b in report.bureaus) == 726 * 30000 == 21_780_000


def test_example_plan_is_proven_minimal(example_plan):
    """A proof that can fail: the same rules with one move fewer have no plan (a separate
    solve, not the bound the solver reported with the plan)."""
    from staffplan import solve
    from staffplan.model import build_model, placement

    scenario, result = example_plan
    assert result.status is Status.OPTIMAL and result.moves == result.report.moves
    model = build_model(scenario, placement(scenario))
    model.prob += model.moves <= result.moves - 1, "one_move_fewer"
    model.prob.setObjective(model.moves)
    assert solve.run(model.prob, "highs").status is Status.INFEASIBLE


IMPOSSIBLE = {
    # The posts are at their establishment (min_staff = max_staff): a higher community share,
    # or more recruits at stations, cannot be met. staffplan must say so and why.
    "what-if-community-50": "community officers / station strength",
    "what-if-more-recruits": "community officers / station strength",
    # B01's community share needs 95 community officers; the cap pays for 90.
    "what-if-budget-cap": "bureau B01 needs 5 more officer(s)' worth of funds",
}


@pytest.mark.parametrize("config", sorted((ROOT / "configs").glob("*.yaml")), ids=lambda p: p.stem)
def test_configs_load_and_plan(config):
    scenario = load_scenario(config)
    result = make_plan(scenario)
    if config.stem in IMPOSSIBLE:
        assert result.status is Status.INFEASIBLE
        assert any(IMPOSSIBLE[config.stem] in line for line in result.conflicts)
    else:
        assert result.status is Status.OPTIMAL and result.report.ok


def test_what_if_configs_extend_the_article_config():
    for path in (ROOT / "configs").glob("what-if-*.yaml"):
        scenario = load_scenario(path)
        assert scenario.provenance.files[0].endswith("lianyungang-2021.yaml")
        assert any(not o.key == "name" for o in scenario.provenance.overrides), path


def test_example_plan_is_byte_for_byte_the_same(example_plan):
    from staffplan.report.files import assignments_csv

    scenario, first = example_plan
    again = make_plan(load_scenario(EXAMPLE / "scenario.yaml"))
    assert assignments_csv(first) == assignments_csv(again)


def test_the_example_generator_parses_its_arguments(tmp_path):
    """--help describes the script and writes nothing; --out writes elsewhere, the same
    files as the committed ones."""
    import shutil
    import subprocess
    import sys

    script = tmp_path / "generate.py"
    shutil.copy(EXAMPLE / "generate.py", script)
    r = subprocess.run([sys.executable, str(script), "--help"], capture_output=True, text=True,
                       check=True)
    assert r.stdout.startswith("usage: generate.py") and "--out DIR" in r.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["generate.py"]  # nothing written
    r = subprocess.run([sys.executable, str(script), "--bogus"], capture_output=True, text=True)
    assert r.returncode == 2 and sorted(p.name for p in tmp_path.iterdir()) == ["generate.py"]
    out = tmp_path / "out"
    subprocess.run([sys.executable, str(script), "--out", str(out)], check=True,
                   capture_output=True)
    for name in ("units.csv", "officers.csv", "scenario.yaml"):
        assert (out / name).read_bytes() == (EXAMPLE / name).read_bytes(), name
