"""The generator writes valid, plannable cities, the same for the same seed."""

from __future__ import annotations

import pytest

from staffplan import check, load_scenario, make_plan
from staffplan.generate import write_instance
from staffplan.results import Status


@pytest.mark.parametrize("officers,seed", [(150, 1), (333, 7), (1200, 42)])
def test_generated_cities_load_and_plan(tmp_path, officers, seed):
    write_instance(tmp_path, officers=officers, seed=seed)
    s = load_scenario(tmp_path / "scenario.yaml")  # raises on any input problem
    assert abs(len(s.officers) - officers) <= max(10, officers // 50)
    before = check(s)
    assert not before.ok and before.unplaced_recruits  # the situation before the reform
    kinds = {u.kind.value for u in s.organisation.units.values()}
    assert kinds == {"county", "district", "hq", "station", "post"}
    assert any(o.home_unit for o in s.officers)
    result = make_plan(s)
    assert result.status is Status.OPTIMAL and result.report.ok


def test_generate_steps_writes_a_horizon_that_plans(tmp_path):
    from typer.testing import CliRunner

    from staffplan.cli import app

    r = CliRunner().invoke(app, ["generate", str(tmp_path / "g"), "-n", "300", "--steps", "3"])
    assert r.exit_code == 0, r.output
    assert {p.name for p in (tmp_path / "g").iterdir()} == {
        "units.csv", "officers.csv", "scenario.yaml", "history.csv", "promotions.yaml",
        "horizon.yaml"}
    s = load_scenario(tmp_path / "g" / "horizon.yaml")
    assert len(s.steps) == 3
    assert make_plan(s).status is Status.OPTIMAL
