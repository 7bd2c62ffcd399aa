"""check's machine formats on a fixed small instance: golden files, JUnit parsed back,
annotations on the right lines; and every finding the checker can report is reachable."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import yaml
from typer.testing import CliRunner

from staffplan.check import check
from staffplan.cli import app
from staffplan.rules import NOTICES, RULES, WARNINGS
from tests.conftest import officer, small_county, unit

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "tests" / "data" / "ci"
GOLDEN = ROOT / "tests" / "golden"
UPDATE = os.environ.get("STAFFPLAN_UPDATE_GOLDEN") == "1"
runner = CliRunner()


@pytest.fixture
def in_case(monkeypatch):
    monkeypatch.chdir(CASE)


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.mark.parametrize("fmt,name,plan", [
    ("json", "plan.json", True), ("junit", "plan.junit.xml", True),
    ("markdown", "plan.md", True), ("github", "plan.github.txt", True),
    ("github", "roster.github.txt", False), ("junit", "roster.junit.xml", False)])
def test_golden(in_case, fmt, name, plan):
    args = ["check", "scenario.yaml", "-f", fmt] + (["-a", "proposed.csv"] if plan else [])
    r = run(*args)
    assert r.exit_code == 1
    golden = GOLDEN / name
    if UPDATE:
        golden.write_text(r.stdout, encoding="utf-8")
    assert r.stdout == golden.read_text(encoding="utf-8"), \
        f"{name} changed; STAFFPLAN_UPDATE_GOLDEN=1 pytest rewrites it after review"


def test_junit_parses_back(in_case):
    xml = run("check", "scenario.yaml", "-a", "proposed.csv", "-f", "junit").stdout
    root = ET.fromstring(xml.encode("utf-8"))
    assert root.tag == "testsuites"
    [suite] = root.findall("testsuite")
    cases = suite.findall("testcase")
    assert int(suite.get("tests")) == len(cases)
    failed = [c for c in cases if c.find("failure") is not None]
    assert int(suite.get("failures")) == len(failed) == 9
    names = {c.get("name") for c in failed}
    assert "every post staffed: B1-S1-P1" in names  # one case per post
    assert "moves stay within the bureau: B2" in names  # per rule and bureau
    tenure = next(c for c in failed if c.get("classname") == "staffplan.min_community_tenure")
    assert (tenure.get("file"), tenure.get("line")) == ("proposed.csv", "6")
    assert '"served_years": 1' in tenure.find("failure").text


def test_github_annotations_point_at_rows_and_config_lines(in_case):
    out = run("check", "scenario.yaml", "-f", "github").stdout
    lines = (CASE / "scenario.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[6].startswith("  station_share:")  # line 7 of the config
    assert ("::error file=scenario.yaml,line=7,title=staffplan%3A station strength / force::"
            "bureau B1: station share 40.0%25 is below 50.0%25 (2 of 5; 1 officer(s) short)") in out
    lines = (CASE / "officers.csv").read_text(encoding="utf-8").splitlines()
    assert lines[3].startswith("A03,")  # line 4 of the roster
    assert "::error file=officers.csv,line=4,title=staffplan%3A borrowed officers return::" in out


def test_output_file_and_clean_stdout(in_case, tmp_path):
    out = tmp_path / "report.xml"
    r = run("check", "scenario.yaml", "-f", "junit", "--output", out)
    assert r.exit_code == 1 and r.stdout == ""
    ET.parse(out)
    assert "violation(s)" in r.stderr


def test_the_approvals_line_is_said_once_with_the_tables(in_case):
    """The tables on stdout carry it; stderr does not say it again (it does beside a machine
    format, as above)."""
    r = run("check", "scenario.yaml", "-a", "proposed.csv")
    said = "need the city committee's approval (1 without it)"
    assert r.stdout.count(said) + r.stderr.count(said) == 1, r.output


def test_approvals_file(in_case, tmp_path):
    out = tmp_path / "approvals.csv"
    r = run("check", "scenario.yaml", "-a", "proposed.csv", "--approvals", out, "-f", "json")
    assert ("2 transfer(s) of community officers before the minimum tenure need the city "
            "committee's approval (1 without it)") in r.stderr
    rows = out.read_text(encoding="utf-8-sig").splitlines()
    assert rows == ["date,officer_id,officer_name,from_unit,to_unit,tenure,rule,approved",
                    "2021-06-30,A05,陈静,B1-S1-P1,B1-S1,1y4m of 3y,min_community_tenure,false",
                    "2021-06-30,A08,黄敏,B2-S1-P1,B2-S1,1y1m of 3y,min_community_tenure,true"]


def test_strict_fails_on_warnings_not_on_notices(tmp_path):
    from tests.conftest import write_scenario

    # A headquarters unit above its maximum while unit_bounds is off: a warning.
    units = small_county()
    units[1]["max_staff"] = "0"
    path = write_scenario(tmp_path / "w", units, [officer("A", "H1")])
    assert run("check", path).exit_code == 0
    r = run("check", path, "--strict", "-f", "json")
    assert r.exit_code == 1 and '"kind": "hq_above_bounds"' in r.stdout
    assert "1 warning(s) (--strict: failing)" in r.stderr
    # The only post's officer completes 3 years within the year, and the post is at its
    # minimum: a notice for the next plan, which --strict ignores, shown in every format.
    path = write_scenario(tmp_path / "n", small_county()[:4],
                          [officer("A", "P1", community_since="2018-12-01"), officer("B", "S1")],
                          {"min_community_tenure_years": 3, "staff_every_post": True})
    r = run("check", path, "--strict", "-f", "json")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["ok"] is True and data["warnings"] == []
    assert [n["kind"] for n in data["notices"]] == ["tenure_ends_soon"]
    assert "1 notice(s) (never a failure)" in r.stderr and "failing" not in r.stderr
    github = run("check", path, "--strict", "-f", "github")
    assert github.exit_code == 0 and github.stdout.startswith("::notice file=")
    markdown = run("check", path, "--strict", "-f", "markdown").stdout
    assert "0 warning(s), 1 notice(s)" in markdown and "Notices (never a failure) (1)" in markdown
    root = ET.fromstring(run("check", path, "--strict", "-f", "junit").stdout.encode())
    [case] = [c for c in root.iter("testcase")
              if c.get("classname") == "staffplan.tenure_ends_soon"]
    assert case.find("failure") is None and "P1" in case.find("system-out").text
    table = run("check", path, "--strict").stdout
    assert "Notices, never a failure (1)" in table and "Warnings" not in table


# --- Every finding is reachable --------------------------------------------------------------

def _reach(scenario_at, rule):
    """An input and a final assignment that make the checker report ``rule``."""
    units = small_county()
    rules = {}
    officers = [officer("A", "S1")]
    final = None
    proposed = None
    extra = {}
    if rule == "staff_every_post":
        rules = {"staff_every_post": True}
    elif rule == "station_share":
        officers = [officer("A", "H1")]
        rules = {"station_share": {"county": 0.5, "district": 0.5}}
    elif rule == "community_share":
        rules = {"community_share": 0.5}
    elif rule == "min_community_tenure":
        officers = [officer("A", "P1", community_since="2020-01-01")]
        rules = {"min_community_tenure_years": 3}
        final = {"A": "S1"}
    elif rule == "pinned":
        officers = [officer("A", "S1", pinned="yes")]
        final = {"A": "H1"}
    elif rule == "new_hires_to_stations":
        officers = [officer("R")]
        rules = {"new_hires_to_stations": True}
        final = {"R": "H1"}
    elif rule == "return_borrowed":
        officers = [officer("A", "H1", home_unit="S1")]
        rules = {"return_borrowed": True}
    elif rule == "stay_in_bureau":
        units = units + [unit("B2", "district"), unit("S2", "station", "B2")]
        rules = {"stay_in_bureau": True}
        final = {"A": "S2"}
    elif rule == "unit_bounds":
        units[2]["max_staff"] = "0"
        rules = {"unit_bounds": True}
    elif rule == "no_borrowing_from_stations":
        rules = {"no_borrowing_from_stations": True}
        final = {"A": "H1"}
    elif rule == "daytime_duty":
        rules = {"daytime_duty": {"urban": 2}}
    elif rule == "community_budget":
        officers = [officer("A", "P1")]
        extra = {"budget": {"max_yuan": 10000}}
    elif rule == "recruits_placed":
        officers = [officer("R")]
        final = {"R": None}
    elif rule == "closed_units":
        return None  # reached through a scenario's changes: tests/test_scenarios.py
    elif rule == "plan_matches_roster":
        from staffplan.io.roster import ProposedPlan

        s = scenario_at(units, officers, rules)
        proposed = ProposedPlan(Path("p.csv"), s.current(), {"Z": 2}, ["A"], ["Z"])
        return check(s, proposed=proposed)
    elif rule == "tenure_ends_soon":
        units = units[:4]
        officers = [officer("A", "P1", community_since="2018-12-01")]
        rules = {"min_community_tenure_years": 3}
    elif rule == "hq_above_bounds":
        units[1]["max_staff"] = "0"
        officers = [officer("A", "H1")]
    elif rule == "recruit_at_headquarters":
        officers = [officer("R")]
        final = {"R": "H1"}
    elif rule == "station_without_area":
        units[2]["area"] = ""
        rules = {"daytime_duty": {"urban": 2}}
    s = scenario_at(units, officers, rules, extra=extra)
    return check(s, final)


@pytest.mark.parametrize("rule", [r.id for r in RULES] + list(WARNINGS) + list(NOTICES))
def test_every_finding_is_reachable(scenario_at, rule, tmp_path):
    if rule == "closed_units":
        from staffplan.io.roster import load_scenario
        from tests.conftest import write_scenario

        path = write_scenario(tmp_path / "c", small_county(), [officer("A", "P2")])
        s = load_scenario(path, ["changes.close_units=[P2]"])
        report = check(s)
    else:
        report = _reach(scenario_at, rule)
    found = {v.rule for v in (*report.violations, *report.warnings, *report.notices)}
    assert rule in found


def test_pre_commit_hook_command(tmp_path):
    """The hook's command from examples/ci passes a compliant roster and fails a broken one."""
    config = yaml.safe_load((ROOT / "examples" / "ci" / ".pre-commit-config.yaml").read_text())
    [hook] = config["repos"][0]["hooks"]
    assert hook["entry"].split()[0] == "staffplan"
    command = ([sys.executable, "-m", "staffplan"] + shlex.split(hook["entry"])[1:]
               + hook.get("args", []))
    from tests.conftest import write_scenario

    good = write_scenario(tmp_path / "good", small_county(),
                          [officer("A", "P1"), officer("B", "P2")], {"staff_every_post": True})
    bad = write_scenario(tmp_path / "bad", small_county(), [officer("A", "P1")],
                         {"staff_every_post": True})
    for folder, code in ((good.parent, 0), (bad.parent, 1)):
        r = subprocess.run(command, cwd=folder, capture_output=True, text=True)
        assert r.returncode == code, r.stderr


@pytest.mark.parametrize("fmt", ["github", "markdown", "junit", "json"])
def test_bad_input_is_reported_in_the_format_for_ci(tmp_path, fmt):
    from typer.testing import CliRunner

    from staffplan.cli import app
    from tests.conftest import write_scenario

    path = write_scenario(tmp_path, small_county(), [officer("A", "S9")])
    r = CliRunner().invoke(app, ["check", str(path), "-f", fmt, "--lang", "en"])
    assert r.exit_code == 2
    assert "officers.csv" in r.stdout and "unknown unit 'S9'" in r.stdout
    if fmt == "github":
        assert r.stdout.startswith("::error file=") and ",line=2," in r.stdout
    elif fmt == "json":
        assert json.loads(r.stdout)["input_problems"][0]["row"] == 2
