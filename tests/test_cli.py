"""The command line: exit codes, clean machine output, no partial files, no personal data."""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from staffplan.cli import app
from tests.conftest import officer, small_county, unit, write_scenario

runner = CliRunner()

RULES = {"station_share": {"county": 0.5, "district": 0.5}, "community_share": 0.5,
         "staff_every_post": True, "return_borrowed": True}


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def good(tmp_path):
    officers = [officer(f"H{i}", "H1", name=f"秘密{i}") for i in range(4)]
    officers += [officer("S", "S1", name="秘密S"), officer("B", "H1", home_unit="S1", name="秘密B")]
    return write_scenario(tmp_path / "good", small_county(), officers, RULES)


def test_plan_writes_the_plan_and_exits_0(good, tmp_path):
    out = tmp_path / "out"
    r = run("plan", good, "--out", out)
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader((out / "assignments.csv").open(encoding="utf-8-sig")))
    assert [row["officer_id"] for row in rows] == ["B", "H0", "H1", "H2", "H3", "S"]
    assert list(rows[0]) == ["date", "officer_id", "officer_name", "from_unit", "to_unit", "moved",
                             "reason"]
    assert {row["date"] for row in rows} == {"2021-06-30"}
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["status"] == "optimal" and summary["proven_optimal"] is True
    assert summary["objective"] == sum(row["moved"] == "true" for row in rows)
    assert all(rule["status"] != "violated" for rule in summary["rules"])
    assert "proven minimum" in r.stdout


def test_plan_is_byte_for_byte_deterministic(tmp_path):
    """Two processes with different hash seeds (set and dict orders of strings differ)
    write the same files, byte for byte; summary.json differs only in its timings."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    example = Path(__file__).resolve().parent.parent / "examples" / "lianyungang" / "scenario.yaml"
    for seed in ("1", "2"):
        subprocess.run([sys.executable, "-m", "staffplan", "plan", str(example), "--out",
                        str(tmp_path / seed), "--report", "-q", "--lang", "en"], check=True,
                       capture_output=True, env={**os.environ, "PYTHONHASHSEED": seed})
    for name in ("approvals.csv", "assignments.csv", "plan.xlsx", "report.html"):
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes(), name

    def untimed(seed):
        data = json.loads((tmp_path / seed / "summary.json").read_text(encoding="utf-8"))
        data["solver"].pop("seconds")
        data.pop("timing_seconds")
        return data

    assert untimed("1") == untimed("2")


def test_names_are_personal_data(good, tmp_path):
    r = run("plan", good, "--out", tmp_path / "out", "--all")
    assert "秘密" not in r.output
    r = run("plan", good, "--out", tmp_path / "out", "--all", "--names")
    assert "秘密B" in r.stdout


def test_plan_json_is_clean_on_stdout(good, tmp_path):
    r = run("plan", good, "--out", tmp_path / "out", "--format", "json")
    assert r.exit_code == 0
    data = json.loads(r.stdout)  # nothing else (no solver banner) on stdout
    assert data["status"] == "optimal"


def test_plan_with_cbc_finds_the_same_number_of_moves(good, tmp_path):
    a = json.loads(run("plan", good, "--out", tmp_path / "a", "-f", "json").stdout)
    b = json.loads(run("plan", good, "--out", tmp_path / "b", "-f", "json",
                       "--solver", "cbc").stdout)
    assert a["objective"] == b["objective"]


def test_impossible_plan_exits_1_with_the_reason(tmp_path):
    officers = [officer(f"H{i}", "H1", pinned="yes") for i in range(3)] + [officer("S", "S1")]
    path = write_scenario(tmp_path / "s", small_county()[:3], officers,
                          {"station_share": {"county": 0.5, "district": 0.5}})
    out = tmp_path / "out"
    r = run("plan", path, "--out", out)
    assert r.exit_code == 1
    # Why is the command's output: on stdout, under the scenario's name.
    assert "no plan can meet the rules. Why:" in r.stdout
    assert "can reach at most 25.0% (target 50.0%), 1 officer(s) short" in r.stdout
    assert not (out / "assignments.csv").exists()
    assert json.loads((out / "summary.json").read_text())["status"] == "infeasible"


def test_check_roster_exit_codes(good, tmp_path):
    r = run("check", good)
    assert r.exit_code == 1  # posts empty, borrowed officer at headquarters
    assert "borrowed officers return" in r.stdout  # the rule's label, as in the Rules table
    officers = [officer("A", "P1"), officer("B", "P2"), officer("C", "S1")]
    ok = write_scenario(tmp_path / "ok", small_county(), officers, RULES)
    assert run("check", ok).exit_code == 0


def test_check_json_and_unplaced_recruits(tmp_path):
    officers = [officer("A", "P1"), officer("B", "P2"), officer("R", bureau="B1")]
    path = write_scenario(tmp_path / "s", small_county(), officers, {"staff_every_post": True})
    r = run("check", path, "--format", "json")
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert data["ok"] is True and data["unplaced_recruits"] == ["R"]


def test_check_a_plan_file(good, tmp_path):
    out = tmp_path / "out"
    assert run("plan", good, "--out", out).exit_code == 0
    assert run("check", good, "--assignments", out / "assignments.csv").exit_code == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("officer_id,to_unit\nB,H1\n", encoding="utf-8")
    r = run("check", good, "--assignments", bad, "-f", "json")
    assert r.exit_code == 1
    rules = {x["rule"]: x for x in json.loads(r.stdout)["rules"]}
    assert rules["return_borrowed"]["status"] == "violated"


@pytest.mark.parametrize("case", ["missing_file", "missing_column", "duplicate_id",
                                  "unknown_parent", "post_parent", "cycle", "bad_date",
                                  "bad_number", "unknown_rule", "share_range", "unknown_unit"])
def test_bad_input_exits_2_with_a_located_message_and_no_files(tmp_path, case):
    units = small_county()
    officers = [officer("A", "S1")]
    rules = {}
    expect = ""
    if case == "duplicate_id":
        officers.append(officer("A", "S1"))
        expect = "officers.csv, row 3, column id: duplicate id 'A'"
    elif case == "unknown_parent":
        units.append(unit("S2", "station", "B9"))
        expect = "units.csv, row 7, column parent: unknown unit 'B9'"
    elif case == "post_parent":
        units.append(unit("P3", "post", "B1"))
        expect = "units.csv, row 7, column parent: the parent of a post must be a station"
    elif case == "cycle":
        units += [unit("S2", "station", "S3"), unit("S3", "station", "S2")]
        expect = "units.csv, row 7, column parent: cycle in the tree: S2 -> S3 -> S2"
    elif case == "bad_date":
        officers.append(officer("B", "S1", hired="2020-02-30"))
        expect = "officers.csv, row 3, column hired: '2020-02-30' is not a date"
    elif case == "bad_number":
        units[1]["max_staff"] = "ten"
        expect = "units.csv, row 3, column max_staff: 'ten' is not a whole number"
    elif case == "unknown_rule":
        rules = {"tenure": 3}
        expect = "scenario.yaml, key rules.tenure: unknown key"
    elif case == "share_range":
        rules = {"community_share": 48}
        expect = "scenario.yaml, key rules.community_share: Input should be less than or equal to 1"
    elif case == "unknown_unit":
        officers.append(officer("B", "S9"))
        expect = "officers.csv, row 3, column unit: unknown unit 'S9'"
    path = write_scenario(tmp_path / "s", units, officers, rules)
    if case == "missing_file":
        (tmp_path / "s" / "units.csv").unlink()
        expect = "units.csv: file not found"
    elif case == "missing_column":
        (tmp_path / "s" / "officers.csv").write_text("id,name\nA,x\n", encoding="utf-8")
        expect = "officers.csv, row 1, column unit: required column is missing"
    out = tmp_path / "out"
    for command in (["plan", path, "--out", out], ["check", path]):
        r = run(*command)
        assert r.exit_code == 2, r.output
        assert expect in " ".join(r.stderr.split()), r.stderr
        assert "Traceback" not in r.output and r.stdout == ""
    assert not out.exists()


def test_every_problem_is_listed_at_once(tmp_path):
    units = small_county() + [unit("S1", "station", "B1")]
    officers = [officer("A", "NOPE"), officer("B", "S1", pinned="perhaps")]
    r = run("check", write_scenario(tmp_path, units, officers, {"community_share": 2}))
    assert r.exit_code == 2
    assert r.stderr.count("•") == 4


def test_out_must_be_a_folder(good, tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    r = run("plan", good, "--out", f)
    assert r.exit_code == 2 and "--out must be a folder" in r.stderr


def test_usage_errors_exit_2():
    assert run("plan").exit_code == 2
    assert run("nonsense").exit_code == 2


def test_help_documents_exit_codes():
    r = run("--help")
    assert r.exit_code == 0 and "Exit codes" in r.stdout


def test_generate_is_deterministic(tmp_path):
    assert run("generate", tmp_path / "a", "--officers", "400", "--seed", "7").exit_code == 0
    assert run("generate", tmp_path / "c", "--officers", "40").exit_code == 2
    assert run("generate", tmp_path / "b", "--officers", "400", "--seed", "7").exit_code == 0
    for name in ("units.csv", "officers.csv", "scenario.yaml"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert run("check", tmp_path / "a" / "scenario.yaml").exit_code == 1  # before the reform
    assert run("plan", tmp_path / "a" / "scenario.yaml", "--out", tmp_path / "o").exit_code == 0


def test_officer_names_stay_out_of_reprs_and_bug_reports(good):
    from staffplan.io.roster import load_scenario

    s = load_scenario(good)
    assert "秘密" not in repr(s.officers) and "秘密" not in repr(s.officer_by_id)


def test_a_plan_that_fails_its_own_check_is_never_written(good, tmp_path, monkeypatch):
    """Exit 3, no files: a broken assignment from the officer choice must be caught."""
    import staffplan.plan as plan_module

    real = plan_module.choose_officers

    def broken(scenario, model):
        finals, reasons = real(scenario, model)
        finals[0]["B"] = "H1"  # the borrowed officer stays at headquarters: return_borrowed fails
        return finals, reasons

    monkeypatch.setattr(plan_module, "choose_officers", broken)
    out = tmp_path / "out"
    r = run("plan", good, "--out", out)
    assert r.exit_code == 3
    assert "fails the rule checker" in r.stderr and "return_borrowed" in r.stderr
    assert not out.exists()


# --- Standard output that cannot be written ---------------------------------------------------

def _staffplan(*args, **kw):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    return subprocess.Popen([sys.executable, "-m", "staffplan", *map(str, args)], cwd=root,
                            stderr=subprocess.PIPE, text=True, **kw)


def test_a_full_disk_behind_stdout_is_bad_output_not_a_bug():
    with open("/dev/full", "w") as full:
        p = _staffplan("check", "examples/lianyungang/scenario.yaml", "--format", "json",
                       "--lang", "en", stdout=full)
        err = p.stderr.read()
    assert p.wait() == 2, err
    assert "cannot write to standard output: No space left on device" in err
    assert "internal error" not in err and "Traceback" not in err


@pytest.mark.parametrize("unbuffered", ["", "1"])
@pytest.mark.parametrize("fmt", ["json", "junit", "table"])
def test_a_report_cut_short_by_a_file_size_limit_is_said(tmp_path, fmt, unbuffered):
    """``ulimit -f``: the file takes the first bytes, then refuses the rest. Unbuffered
    (PYTHONUNBUFFERED, set in many CI images), Python's text stream dropped the rest
    without a word: a truncated json report and exit 1."""
    import os
    import resource

    def limited():
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    env.update({"PYTHONUNBUFFERED": unbuffered} if unbuffered else {})
    with open(tmp_path / "report", "w") as target:
        p = _staffplan("check", "examples/lianyungang/scenario.yaml", "--format", fmt,
                       "--lang", "en", stdout=target, preexec_fn=limited, env=env)
        err = p.stderr.read()
    assert p.wait() == 2, err
    assert "cannot write to standard output: File too large" in err
    assert "Traceback" not in err


def test_a_closed_stdout_is_bad_output_not_a_bug(tmp_path):
    """``>&-``: Python has no sys.stdout. A report for stdout is exit 2 said on stderr; one
    written to --output needs no stdout."""
    import os
    import subprocess

    def closed():
        os.close(1)

    p = _staffplan("check", "examples/lianyungang/scenario.yaml", "--lang", "en",
                   stdout=subprocess.DEVNULL, preexec_fn=closed)
    err = p.stderr.read()
    assert p.wait() == 2 and "cannot write to standard output" in err, err
    report = tmp_path / "r.md"
    p = _staffplan("check", "examples/lianyungang/scenario.yaml", "-f", "markdown",
                   "--output", report, "--lang", "en", stdout=subprocess.DEVNULL,
                   preexec_fn=closed)
    err = p.stderr.read()
    assert p.wait() == 1 and report.read_text(encoding="utf-8").startswith("### "), err


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_a_stdout_that_cannot_write_chinese_gets_escapes(encoding):
    import os
    import subprocess

    env = dict(os.environ, PYTHONIOENCODING=encoding)
    p = _staffplan("check", "examples/lianyungang/scenario.yaml", "--lang", "zh",
                   stdout=subprocess.PIPE, env=env)
    out, err = p.communicate()
    assert p.returncode == 1, err
    assert "\\u" in out and "Traceback" not in err and "internal error" not in err


def test_a_full_disk_behind_stderr_is_exit_2_not_pythons_120(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    with open("/dev/full", "w") as full:
        r = subprocess.run([sys.executable, "-m", "staffplan", "check",
                            "examples/lianyungang/scenario.yaml", "--lang", "en"], cwd=root,
                           stdout=subprocess.DEVNULL, stderr=full)
    assert r.returncode == 2


def test_a_reader_that_stops_reading_ends_the_command_quietly():
    import subprocess

    p = _staffplan("check", "examples/lianyungang/scenario.yaml", "--all", "--lang", "en",
                   stdout=subprocess.PIPE)
    p.stdout.readline()
    p.stdout.close()  # like `| head -1`
    err = p.stderr.read()
    assert p.wait() == -13 and err == "", err  # like any Unix tool: ended by SIGPIPE (141 in a
    # shell), no message
