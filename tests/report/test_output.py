"""--out holds one complete set from one run, whatever happens: an impossible run after a
good one, two runs at once, a run killed (kill -9) while writing or while swapping."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import textwrap
from pathlib import Path

from typer.testing import CliRunner

from staffplan.cli import app
from staffplan.report.output import PLAN_FILES, write_set
from tests.conftest import officer, small_county, write_scenario

ROOT = Path(__file__).resolve().parent.parent.parent
runner = CliRunner()


def _scenario(folder: Path, prefix: str, impossible: bool = False) -> Path:
    officers = [officer(f"{prefix}{i}", "H1", hired=f"200{i}-01-01") for i in range(6)]
    if impossible:
        officers = [officer(f"{prefix}{i}", "H1", pinned="yes") for i in range(6)]
    return write_scenario(folder, small_county(), officers,
                          {"staff_every_post": True, "community_share": 0.5}, name=prefix)


def _consistent(out: Path) -> str:
    """The set in ``out`` is one run's: every file names the same scenario. Returns it."""
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    name = summary["scenario"]
    names = {p.name for p in out.iterdir() if not p.name.startswith(".")}
    if summary["status"] in ("optimal", "feasible"):
        rows = list(csv.DictReader((out / "assignments.csv").open(encoding="utf-8-sig")))
        assert {r["officer_id"][0] for r in rows} == {name}
        assert {"assignments.csv", "approvals.csv", "plan.xlsx"} <= names
    else:
        assert not names & {"assignments.csv", "approvals.csv", "plan.xlsx", "report.html"}
    assert not [p for p in out.parent.iterdir() if ".staffplan-new-" in p.name
                or ".staffplan-old-" in p.name]  # no orphan left beside it
    return name


def test_an_impossible_run_leaves_no_old_plan_beside_its_summary(tmp_path):
    out = tmp_path / "out"
    r = runner.invoke(app, ["plan", str(_scenario(tmp_path / "a", "A")), "--out", str(out),
                            "--report"])
    assert r.exit_code == 0, r.output
    (out / "notes.txt").write_text("mine", encoding="utf-8")  # the user's: kept
    (out / "sweep").mkdir()
    (out / "sweep" / "sweep.csv").write_text("x", encoding="utf-8")
    r = runner.invoke(app, ["plan", str(_scenario(tmp_path / "b", "B", impossible=True)),
                            "--out", str(out)])
    assert r.exit_code == 1
    assert _consistent(out) == "B"
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt", "summary.json", "sweep"]
    assert (out / "sweep" / "sweep.csv").read_text(encoding="utf-8") == "x"


def test_concurrent_runs_never_mix_their_files(tmp_path):
    out = tmp_path / "out"
    paths = [_scenario(tmp_path / p, p) for p in "AB"]
    for _ in range(4):
        procs = [subprocess.Popen([sys.executable, "-m", "staffplan", "plan", str(p), "--out",
                                   str(out), "-q"], cwd=ROOT, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE) for p in paths]
        for p in procs:
            assert p.wait(timeout=120) == 0, p.stderr.read()
        assert _consistent(out) in ("A", "B")


KILLER = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from staffplan.report import output

    mode, out = sys.argv[1], Path(sys.argv[2])

    class Bomb(str):  # dies while the staged set is being written
        def encode(self, *a, **k):
            os.kill(os.getpid(), signal.SIGKILL)

    files = {n: f"new {n}" for n in output.PLAN_FILES}
    if mode == "write":
        files["plan.xlsx"] = Bomb("x")
    else:  # dies between the two renames of a swap (no atomic exchange)
        output._exchange = lambda a, b: False
        rename, calls = os.rename, []

        def dying_rename(a, b):
            calls.append(a)
            if len(calls) == 2:
                os.kill(os.getpid(), signal.SIGKILL)
            rename(a, b)

        output.os.rename = dying_rename
    output.write_set(out, files, output.PLAN_FILES)
""")


def _old_set(out: Path) -> None:
    write_set(out, {n: f"old {n}" for n in PLAN_FILES}, PLAN_FILES)
    (out / "mine.txt").write_text("mine", encoding="utf-8")


def _set_is(out: Path, which: str) -> None:
    assert {p.name for p in out.iterdir()} == set(PLAN_FILES) | {"mine.txt"}
    for name in PLAN_FILES:
        assert (out / name).read_text(encoding="utf-8") == f"{which} {name}"
    assert (out / "mine.txt").read_text(encoding="utf-8") == "mine"


def test_a_run_killed_while_writing_or_swapping_leaves_the_old_set(tmp_path):
    for mode in ("write", "swap"):
        out = tmp_path / mode / "out"
        _old_set(out)
        r = subprocess.run([sys.executable, "-c", KILLER, mode, str(out)], cwd=ROOT, check=False)
        assert r.returncode == -9
        left = [p.name for p in out.parent.iterdir() if ".staffplan-" in p.name
                and not p.name.endswith("-lock")]
        assert left  # the killed run's staged folder is still there
        if mode == "write":
            _set_is(out, "old")  # untouched
        else:
            assert not out.exists()  # killed between the renames: the next run repairs it
        write_set(out, {n: f"new {n}" for n in PLAN_FILES}, PLAN_FILES)
        _set_is(out, "new")
        assert not [p for p in out.parent.iterdir() if ".staffplan-" in p.name
                    and not p.name.endswith("-lock")]  # orphans cleaned up


def test_out_below_a_file_or_at_the_working_folder_is_exit_2(tmp_path, monkeypatch):
    path = _scenario(tmp_path / "a", "A")
    (tmp_path / "file").write_text("x", encoding="utf-8")
    r = runner.invoke(app, ["plan", str(path), "--out", str(tmp_path / "file" / "out")])
    assert r.exit_code == 2 and "file" in r.stderr, r.output
    monkeypatch.chdir(tmp_path / "a")
    r = runner.invoke(app, ["plan", "scenario.yaml", "--out", "."])
    assert r.exit_code == 2 and "working folder" in r.stderr
    assert not (tmp_path / "a" / "summary.json").exists()


def test_a_set_replaces_another_commands_set_and_keeps_the_users_files(tmp_path):
    from staffplan.report.output import PROMOTION_FILES, SWEEP_FILES

    out = tmp_path / "out"
    write_set(out, {n: "sweep" for n in SWEEP_FILES})
    (out / "mine.txt").write_text("mine")
    write_set(out, {"assignments.csv": "plan", "summary.json": "plan"})
    assert {p.name for p in out.iterdir()} == {"assignments.csv", "summary.json", "mine.txt"}
    write_set(out, {n: "promotions" for n in PROMOTION_FILES})
    assert {p.name for p in out.iterdir()} == set(PROMOTION_FILES) | {"mine.txt"}


def test_the_workbook_written_beside_is_the_same(tmp_path, monkeypatch):
    """plan.xlsx from a process of its own (large plans) is the workbook written here."""
    from staffplan.check import check
    from staffplan.io.roster import load_scenario
    from staffplan.plan import make_plan
    from staffplan.report import output
    from staffplan.report.excel import plan_workbook

    s = load_scenario(_scenario(tmp_path / "s", "W"))
    result, before = make_plan(s), check(s)
    monkeypatch.setattr(output, "BESIDE_FROM", 0)
    output.write_plan(tmp_path / "out", result, before, html=False)
    assert (tmp_path / "out" / "plan.xlsx").read_bytes() == plan_workbook(result, before)


def test_a_failure_beside_is_a_bug_and_nothing_is_written(tmp_path, monkeypatch):
    from staffplan.beside import WorkerFailed
    from staffplan.check import check
    from staffplan.io.roster import load_scenario
    from staffplan.plan import make_plan
    from staffplan.report import excel, output

    s = load_scenario(_scenario(tmp_path / "s", "F"))
    result, before = make_plan(s), check(s)
    monkeypatch.setattr(output, "BESIDE_FROM", 0)

    def broken(*_):
        raise ZeroDivisionError

    monkeypatch.setattr(excel, "plan_workbook", broken)
    import pytest

    with pytest.raises(WorkerFailed, match="ZeroDivisionError") as caught:
        output.write_plan(tmp_path / "out", result, before, html=False)
    assert caught.value.exit_code == 3 and not (tmp_path / "out").exists()
