"""Scenario composition: extends, --set, provenance, the schema, and what-if data changes."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from staffplan.cli import app
from staffplan.config import json_schema, load_config_with_provenance
from staffplan.errors import InputError
from staffplan.io.roster import load_scenario
from staffplan.plan import make_plan
from staffplan.results import Status
from tests.conftest import officer, small_county, write_scenario

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def write(path: Path, data: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def base(tmp_path):
    return write_scenario(tmp_path / "data", small_county(),
                          [officer("A", "S1"), officer("B", "H1"), officer("C", "H1")],
                          {"community_share": 0.48, "staff_every_post": True})


def problems_of(path, overrides=()):
    with pytest.raises(InputError) as exc:
        load_config_with_provenance(Path(path), None, overrides)
    return [(Path(p.file).name, p.column, p.message) for p in exc.value.problems]


def test_extends_merges_deeply_and_later_files_win(base, tmp_path):
    write(tmp_path / "a.yaml", {"extends": "data/scenario.yaml", "rules": {"community_share": 0.3}})
    b = write(tmp_path / "b.yaml", {"extends": "data/scenario.yaml",
                                    "rules": {"community_share": 0.4, "unit_bounds": True}})
    c = write(tmp_path / "sub" / "c.yaml", {"extends": ["../a.yaml", "../b.yaml"], "name": "c"})
    config, prov = load_config_with_provenance(c)
    assert config.rules.community_share == 0.4  # b after a
    assert config.rules.unit_bounds is True and config.rules.staff_every_post is True
    assert config.units == tmp_path / "data" / "units.csv"  # relative to the file naming it
    assert prov.sources["rules.community_share"] == str(b)
    assert prov.sources["name"] == str(c)
    assert prov.files[-1] == str(c)


def test_overrides_are_recorded_old_to_new(base, tmp_path):
    child = write(tmp_path / "child.yaml", {"extends": "data/scenario.yaml",
                                            "rules": {"community_share": 0.5}})
    _, prov = load_config_with_provenance(child, None, ["rules.station_share.county=0.6"])
    got = [str(o) for o in prov.overrides]
    assert f"rules.community_share: 0.48 -> 0.5 ({child})" in got
    assert "rules.station_share.county: (unset) -> 0.6 (--set)" in got
    assert prov.sources["rules.station_share.county"] == "--set"


def test_extends_cycle_and_missing_parent(tmp_path):
    write(tmp_path / "a.yaml", {"extends": "b.yaml", "name": "a"})
    write(tmp_path / "b.yaml", {"extends": "a.yaml", "name": "b"})
    [(file, col, msg)] = problems_of(tmp_path / "a.yaml")
    assert col == "extends" and msg.startswith("extends cycle: ")
    assert msg.endswith("a.yaml -> " + str(tmp_path / "b.yaml") + " -> "
                        + str(tmp_path / "a.yaml")) or "b.yaml" in msg
    write(tmp_path / "c.yaml", {"extends": "nope.yaml", "name": "c"})
    [(file, col, msg)] = problems_of(tmp_path / "c.yaml")
    assert file == "nope.yaml" and msg.startswith("file not found (extended by ")


def test_set_is_typed_validated_and_located(base):
    assert load_scenario(base, ["rules.community_share=0.5"]).rules.community_share == 0.5
    assert load_scenario(base, ["rules.station_share=null"]).rules.station_share is None
    got = problems_of(base, ["rules.community_share=lots", "rules.nope=1", "oops",
                             "rules.unit_bounds=true", "rules.unit_bounds=false"])
    assert ("--set", "rules.community_share", "Input should be a valid number, unable to parse "
            "string as a number") in got
    assert ("--set", "rules.nope", "unknown key") in got
    assert ("--set", "oops", "expected KEY=VALUE, e.g. rules.community_share=0.5") in got
    assert ("--set", "rules.unit_bounds", "set twice") in got


def test_config_command_prints_effective_values_and_sources(base):
    r = runner.invoke(app, ["config", str(base), "--set", "rules.community_share=0.5"])
    assert r.exit_code == 0
    assert "community_share: 0.5  # --set" in r.stdout
    assert f"staff_every_post: true  # {base}" in r.stdout
    assert "# override rules.community_share: 0.48 -> 0.5 (--set)" in r.stdout


def test_schema_is_current_and_validates_every_shipped_config():
    r = runner.invoke(app, ["schema"])
    schema = json.loads(r.stdout)
    assert schema == json_schema()
    assert json.loads((ROOT / "staffplan.schema.json").read_text(encoding="utf-8")) == schema, \
        "staffplan.schema.json is stale: staffplan schema > staffplan.schema.json"
    assert schema["properties"]["rules"]["description"]
    paths = (sorted((ROOT / "configs").glob("*.yaml"))
             + [ROOT / "examples/lianyungang/scenario.yaml"])
    for path in paths:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        data = json.loads(json.dumps(data))
        data = yaml.safe_load(path.read_text(encoding="utf-8")
                              .replace("2021-06-30", "'2021-06-30'"))
        jsonschema.validate(data, schema)
        if path.parent.name == "configs":
            assert path.read_text(encoding="utf-8").startswith(
                "# yaml-language-server: $schema=../staffplan.schema.json")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"name": "x", "plan_date": "2021-01-01", "units": "u", "officers": "o",
                             "rules": {"community_shares": 1}}, schema)


# --- What-if data changes ------------------------------------------------------------------

def test_recruits_and_retirements(base, tmp_path):
    child = write(tmp_path / "w.yaml", {"extends": "data/scenario.yaml",
                                        "changes": {"recruits": {"B1": 2}, "retire": ["C"]}})
    s = load_scenario(child)
    assert sorted(o.id for o in s.officers) == ["A", "B", "B1-new-0001", "B1-new-0002"]
    r = make_plan(s)
    assert r.status is Status.OPTIMAL and r.moves == 0  # the recruits staff both posts


def test_recruits_file(base, tmp_path):
    (tmp_path / "extra.csv").write_text("id,name,unit,bureau\nN1,新,,B1\nA,dup,,B1\n",
                                        encoding="utf-8")
    child = write(tmp_path / "w.yaml", {"extends": "data/scenario.yaml",
                                        "changes": {"recruits_file": "extra.csv"}})
    with pytest.raises(InputError) as exc:
        load_scenario(child)
    [p] = exc.value.problems
    assert (Path(p.file).name, p.row, p.column) == ("extra.csv", 3, "id")


def test_close_and_add_posts_and_bounds(base, tmp_path):
    child = write(tmp_path / "w.yaml", {
        "extends": "data/scenario.yaml",
        "changes": {"close_units": ["P2"],
                    "add_units": [{"id": "P3", "kind": "post", "parent": "S1"}],
                    "unit_bounds": {"H1": {"min_staff": 1}}},
        "rules": {"unit_bounds": True}})
    s = load_scenario(child)
    assert s.organisation["P2"].closed and s.organisation["H1"].min_staff == 1
    assert [u.id for u in s.organisation.posts] == ["P1", "P3"]
    r = make_plan(s)
    assert r.status is Status.OPTIMAL
    assert sorted(r.final.values()) == ["H1", "P1", "P3"] and r.moves == 2


def test_officers_at_a_closed_post_move_whatever_their_tenure(base, tmp_path):
    write_scenario(tmp_path / "d2", small_county(),
                          [officer("A", "P2", community_since="2021-01-01"), officer("B", "P1",
                                                                             community_since="2015-01-01")],
                          {"min_community_tenure_years": 3})
    child = write(tmp_path / "w.yaml", {"extends": "d2/scenario.yaml",
                                        "changes": {"close_units": ["P2"]}})
    r = make_plan(load_scenario(child))
    assert r.status is Status.OPTIMAL and r.final["A"] != "P2" and r.moves == 1
    assert "P2 closes" in r.reasons["A"]


def test_bad_changes_are_located(base, tmp_path):
    child = write(tmp_path / "w.yaml", {"extends": "data/scenario.yaml", "changes": {
        "recruits": {"S1": 2}, "retire": ["Z"], "close_units": ["S1", "NOPE"],
        "add_units": [{"id": "P1", "kind": "post", "parent": "S1"},
                      {"id": "P9", "kind": "post", "parent": "H1"}],
        "unit_bounds": {"P1": {"min_staff": 3, "max_staff": 1}}}})
    with pytest.raises(InputError) as exc:
        load_scenario(child)
    got = {(Path(p.file).name, p.column): p.message for p in exc.value.problems}
    assert got[("w.yaml", "changes.recruits.S1")] == "'S1' is not a bureau"
    assert got[("w.yaml", "changes.retire.0")] == "unknown officer 'Z'"
    assert got[("w.yaml", "changes.close_units.0")].startswith("station S1 still has open posts")
    assert got[("w.yaml", "changes.close_units.1")] == "unknown unit 'NOPE'"
    assert got[("w.yaml", "changes.add_units.0.id")] == "unit 'P1' already exists"
    assert got[("w.yaml", "changes.add_units.1.parent")].startswith(
        "the parent of a post must be a station")
    assert got[("w.yaml", "changes.unit_bounds.P1")] == "min_staff 3 is above max_staff 1"
