"""The scenario file: defaults, switching rules off, and the errors for bad keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from staffplan.config import Rules, load_config
from staffplan.errors import InputError


def config_problems(tmp_path, text):
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_config(path)
    return [(p.column, p.message) for p in exc.value.problems]


BASE = "name: x\nplan_date: 2021-06-30\nunits: u.csv\nofficers: o.csv\n"


def test_defaults_are_the_article_rules():
    r = Rules()
    assert r.min_community_tenure_years == 3
    assert (r.station_share.county, r.station_share.district) == (0.445, 0.558)
    assert r.community_share == 0.48
    assert r.staff_every_post and r.new_hires_to_stations and r.return_borrowed and r.stay_in_bureau


def test_paths_are_relative_to_the_file(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(BASE, encoding="utf-8")
    c = load_config(path)
    assert c.units == tmp_path / "u.csv" and c.officers == tmp_path / "o.csv"


def test_rules_can_be_switched_off(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(BASE + "rules:\n  station_share: null\n  community_share: null\n"
                    "  min_community_tenure_years: null\n  return_borrowed: false\n",
                    encoding="utf-8")
    r = load_config(path).rules
    assert r.station_share is None and r.community_share is None
    assert r.min_community_tenure_years is None and r.return_borrowed is False


def test_unknown_rule_key(tmp_path):
    assert config_problems(tmp_path, BASE + "rules:\n  station_shares: 0.5\n") == [
        ("rules.station_shares", "unknown key; did you mean 'station_share'?")]


def test_share_outside_0_1(tmp_path):
    got = config_problems(tmp_path, BASE + "rules:\n  community_share: 1.2\n"
                                           "  station_share: {county: -0.1}\n")
    assert ("rules.community_share", "Input should be less than or equal to 1") in got
    assert ("rules.station_share.county", "Input should be greater than or equal to 0") in got


def test_missing_keys_and_bad_date(tmp_path):
    got = config_problems(tmp_path, "name: x\nplan_date: 2021-02-30\n")
    assert ("units", "required key is missing") in got
    assert ("officers", "required key is missing") in got
    assert any(col == "plan_date" for col, _ in got)


def test_not_yaml_and_not_a_mapping(tmp_path):
    assert config_problems(tmp_path, "name: [x\n")[0][1].startswith("not valid YAML")
    assert config_problems(tmp_path, "- a\n- b\n") == [
        ("", "a scenario must be a YAML mapping (name:, plan_date:, ...)")]


def test_missing_scenario_file(tmp_path):
    with pytest.raises(InputError) as exc:
        load_config(tmp_path / "nope.yaml")
    assert str(exc.value).endswith("nope.yaml: file not found")


@pytest.mark.parametrize("where", ["scenario", "extends"])
def test_a_fifo_scenario_or_extends_is_refused_not_waited_on(tmp_path, where):
    """Opening a FIFO for reading waits for a writer: it is refused before it is opened. (If
    it waits, a writer is opened so that the test fails instead of hanging.)"""
    import os
    import threading

    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    path = fifo
    if where == "extends":
        path = tmp_path / "s.yaml"
        path.write_text("extends: pipe.yaml\n" + BASE, encoding="utf-8")
    got: list = []

    def load():
        try:
            load_config(path)
        except InputError as exc:
            got.extend(str(p) for p in exc.problems)

    reader = threading.Thread(target=load, daemon=True)
    reader.start()
    reader.join(timeout=10)
    if reader.is_alive():
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        reader.join(timeout=10)
        raise AssertionError("the scenario reader waited on the FIFO")
    assert len(got) == 1
    assert got[0].startswith(f"{fifo}: not a regular file (a named pipe (FIFO)); staffplan "
                             "reads only regular files")


def test_a_folder_extended_is_named_a_folder(tmp_path):
    (tmp_path / "base.yaml").mkdir()
    assert config_problems(tmp_path, "extends: base.yaml\n" + BASE) == [
        ("", "not a regular file (a folder); staffplan reads only regular files (extended by "
             f"{tmp_path / 's.yaml'})")]


@pytest.mark.parametrize("given,near", [("rules.comunity_share=0.5", "community_share"),
                                        ("rules.daytime_duty.urbn=3", "urban"),
                                        ("budgett.max_yuan=3", "budget"),
                                        ("rules.zzz=3", None)])
def test_a_misspelt_key_gets_a_did_you_mean(given, near):
    from typer.testing import CliRunner

    from staffplan.cli import app

    example = Path(__file__).resolve().parent.parent / "examples" / "lianyungang"
    r = CliRunner().invoke(app, ["check", str(example / "scenario.yaml"), "--set", given,
                                 "--lang", "en"])
    assert r.exit_code == 2 and "unknown key" in r.stderr
    assert (f"did you mean '{near}'?" in r.stderr) if near else "did you mean" not in r.stderr
