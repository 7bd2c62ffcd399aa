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


# --- YAML 1.2 numbers: a value is read as it is written --------------------------------------
# PyYAML alone is YAML 1.1: 010 is 8, 1:30 is 90, 0b101 is 5, 030000 is 12288, yes is true (and
# so 1). The scenario (its files and --set) is read with YAML 1.2's core schema instead.

NOT_INT = "Input should be a valid integer"

NUMBERS = [
    ("rules.min_community_tenure_years", "010", 10),  # decimal, leading zero or not
    ("rules.min_community_tenure_years", "007", 7),
    ("budget.community_officer_yuan", "030000", 30000),
    ("rules.min_community_tenure_years", "0o17", 15),  # octal says so
    ("rules.min_community_tenure_years", "0x1F", 31),
    ("rules.min_community_tenure_years", "+4", 4),
    ("rules.community_share", ".5", 0.5),
    ("rules.community_share", "5e-1", 0.5),
    ("rules.community_share", "0.48", 0.48),
    ("rules.min_community_tenure_years", "1:30", NOT_INT),  # not sexagesimal: text
    ("budget.community_officer_yuan", "8:20:00", NOT_INT),
    ("rules.min_community_tenure_years", "0b101", NOT_INT),  # not binary: text
    ("rules.min_community_tenure_years", "yes", NOT_INT),  # text, not true, not 1
    ("rules.min_community_tenure_years", "on", NOT_INT),
    ("budget.community_officer_yuan", "30_000", "not a number: 30_000 (a number is written in "
                                                "digits, e.g. 1000 or 0.5, without _ or :)"),
    ("rules.community_share", "0.4_8", "not a number: 0.4_8"),
    ("rules.community_share", "0_1", "not a number: 0_1"),
    ("rules.min_community_tenure_years", "true", "not a number: true (null switches a rule off)"),
    ("rules.community_share", "false", "not a number: false (null switches a rule off)"),
    ("rules.community_share", ".inf", "Input should be less than or equal to 1"),
]


def _value(config, dotted):
    for part in dotted.split("."):
        config = getattr(config, part)
    return config


def _file(dotted, written):
    section, key = dotted.split(".")
    return BASE + f"{section}:\n  {key}: {written}\n"


def _read(tmp_path, dotted, written, how):
    path = tmp_path / "s.yaml"
    if how == "file":
        path.write_text(_file(dotted, written), encoding="utf-8")
        overrides = ()
    else:
        path.write_text(BASE, encoding="utf-8")
        overrides = (f"{dotted}={written}",)
    try:
        return load_config(path, overrides=overrides), []
    except InputError as exc:
        return None, [(p.file, p.column, p.message) for p in exc.problems]


@pytest.mark.parametrize("how", ["file", "--set"])
@pytest.mark.parametrize("dotted,written,expected", NUMBERS)
def test_a_number_is_read_as_yaml_1_2_writes_it(tmp_path, how, dotted, written, expected):
    config, problems = _read(tmp_path, dotted, written, how)
    if isinstance(expected, str):
        assert config is None and len(problems) == 1, problems
        where, key, message = problems[0]
        assert where == (str(tmp_path / "s.yaml") if how == "file" else "--set")
        assert key == dotted and message.startswith(expected), problems
    else:
        assert problems == [] and _value(config, dotted) == expected
        assert type(_value(config, dotted)) is type(expected)


@pytest.mark.parametrize("written,expected", [("010", 10), ("0o10", 8), ("0x10", 16),
                                              ("1:30", "1:30"), ("0b101", "0b101"),
                                              ("1_000", "1_000"), ("yes", "yes"), ("Off", "Off"),
                                              ("1e3", 1000.0), ("-.inf", float("-inf")),
                                              ("True", True), ("~", None), ("2021-06-30",
                                                                           "2021-06-30")])
def test_the_loader_types_scalars_as_yaml_1_2_core(written, expected):
    from staffplan.config import load_yaml

    assert load_yaml(f"a: {written}") == {"a": expected}
    assert load_yaml(f"[{written}]") == [expected]


def test_text_that_yaml_1_1_read_as_a_number_or_a_boolean_stays_text(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(BASE.replace("name: x", "name: 10:30") + "description: no\n",
                    encoding="utf-8")
    config = load_config(path)
    assert (config.name, config.description) == ("10:30", "no")


def test_a_true_false_key_still_takes_yes_no_on_off(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(BASE + "rules:\n  return_borrowed: no\n  stay_in_bureau: off\n"
                           "  unit_bounds: yes\n  staff_every_post: false\n", encoding="utf-8")
    r = load_config(path).rules
    assert (r.return_borrowed, r.stay_in_bureau, r.unit_bounds, r.staff_every_post) == (
        False, False, True, False)


@pytest.mark.parametrize("written,message", [
    ("0.5_0", "not a number: 0.5_0 (a number is written in digits, e.g. 1000 or 0.5, without _ "
              "or :)"),
    ("1:30", "Input should be a valid number, unable to parse string as a number")])
def test_a_number_in_a_later_step_is_read_as_written_too(tmp_path, written, message):
    got = config_problems(tmp_path, BASE + "horizon:\n  - date: 2022-06-30\n    rules:\n"
                                           f"      community_share: {written}\n")
    assert got == [("horizon.0.rules.community_share", message)]


def test_an_empty_set_value_is_an_error_and_null_switches_off(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(BASE, encoding="utf-8")
    for empty in ("rules.community_share=", "rules.community_share=  "):
        with pytest.raises(InputError) as exc:
            load_config(path, overrides=[empty])
        assert [(p.file, p.column, p.message) for p in exc.value.problems] == [
            ("--set", "rules.community_share",
             "an empty value: write KEY=null to switch a rule off, or give a value")]
    assert load_config(path, overrides=["rules.community_share=null"]).rules.community_share is None


@pytest.mark.parametrize("setting,said", [
    ("rules.min_community_tenure_years=1:30", "rules.min_community_tenure_years"),
    ("budget.community_officer_yuan=30_000", "not a number: 30_000"),
    ("rules.community_share=", "write KEY=null to switch a rule off")])
def test_staffplan_config_refuses_what_yaml_1_1_misread(setting, said):
    from typer.testing import CliRunner

    from staffplan.cli import app

    example = Path(__file__).resolve().parent.parent / "examples" / "lianyungang"
    r = CliRunner().invoke(app, ["config", str(example / "scenario.yaml"), "--set", setting,
                                 "--lang", "en"])
    assert r.exit_code == 2 and said in r.stderr, r.output


def test_staffplan_config_reads_leading_zeros_as_decimal():
    from typer.testing import CliRunner

    from staffplan.cli import app

    example = Path(__file__).resolve().parent.parent / "examples" / "lianyungang"
    r = CliRunner().invoke(app, ["config", str(example / "scenario.yaml"), "--set",
                                 "rules.min_community_tenure_years=010", "--lang", "en"])
    assert r.exit_code == 0 and "min_community_tenure_years: 10  # --set" in r.stdout, r.output
