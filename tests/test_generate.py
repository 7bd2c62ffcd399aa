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


def _files(folder):
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_generate_writes_its_files_as_one_set(tmp_path, monkeypatch):
    """All of them or none; a city over another leaves none of the other's files; the user's
    files and the modes of the files it replaces are kept."""
    import os

    from staffplan.errors import OutputError
    from staffplan.report import output

    city = tmp_path / "city"
    write_instance(city, officers=150, seed=1, steps=3)
    (city / "notes.txt").write_text("mine", encoding="utf-8")
    os.chmod(city / "officers.csv", 0o600)
    before = _files(city)
    real, calls = output._new_file, []

    def failing(path, data, like):  # the disk fills up at the third file
        calls.append(path)
        if len(calls) == 3:
            raise OSError(28, "No space left on device", str(path))
        real(path, data, like)

    monkeypatch.setattr(output, "_new_file", failing)
    with pytest.raises(OutputError, match="No space left"):
        write_instance(city, officers=150, seed=2)
    assert _files(city) == before  # nothing new
    assert sorted(p.name for p in tmp_path.iterdir()) == ["city"]  # no staged folder, no lock file
    monkeypatch.setattr(output, "_new_file", real)
    write_instance(city, officers=150, seed=2)
    assert sorted(_files(city)) == ["history.csv", "notes.txt", "officers.csv",
                                    "promotions.yaml", "scenario.yaml", "units.csv"]
    assert _files(city)["officers.csv"] != before["officers.csv"]
    assert (city / "officers.csv").stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["city"]  # no staged folder, no lock file


KILLED = """
import os, signal, sys
from staffplan.generate import write_instance
from staffplan.report import output

real, calls = output._new_file, []

def dying(path, data, like):
    calls.append(path)
    if len(calls) == 4:
        os.kill(os.getpid(), signal.SIGKILL)
    real(path, data, like)

output._new_file = dying
write_instance(sys.argv[1], officers=150, seed=3)
"""


def test_a_generate_killed_while_writing_leaves_nothing_new(tmp_path):
    import subprocess
    import sys

    city = tmp_path / "city"
    r = subprocess.run([sys.executable, "-c", KILLED, str(city)], check=False)
    assert r.returncode == -9 and not city.exists()  # a new folder: not there at all
    write_instance(city, officers=150, seed=3)  # the next run removes what the kill left
    assert len(list(city.iterdir())) == 5
    assert sorted(p.name for p in tmp_path.iterdir()) == ["city"]  # no staged folder, no lock file


def test_generate_into_the_working_folder_writes_in_place(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from staffplan.cli import app

    (tmp_path / "g").mkdir()
    monkeypatch.chdir(tmp_path / "g")
    r = CliRunner().invoke(app, ["generate", ".", "-n", "150"])
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in (tmp_path / "g").iterdir()) == [
        "history.csv", "officers.csv", "promotions.yaml", "scenario.yaml", "units.csv"]
    assert load_scenario(tmp_path / "g" / "scenario.yaml").officers
