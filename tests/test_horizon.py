"""A plan of several steps: known answers, the year-by-year comparison, the plan file with a
date column, and the checker catching every fact a plan carries from one step to the next."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from staffplan.check import check_steps
from staffplan.cli import app
from staffplan.io.roster import load_scenario, read_plan
from staffplan.plan import make_plan
from staffplan.results import Status
from tests.conftest import officer, unit, write_scenario

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "lianyungang" / "horizon.yaml"
runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def horizon(tmp_path, units, officers, rules, steps, name="h") -> Path:
    path = write_scenario(tmp_path / name, units, officers, rules, plan_date=steps[0])
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["horizon"] = [{"date": d} for d in steps[1:]]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def one_post():
    return [unit("B1", "county"), unit("H1", "hq", "B1"), unit("S1", "station", "B1"),
            unit("P1", "post", "S1")]


def test_planning_together_sends_the_officer_who_stays(tmp_path):
    # P1 needs an officer from the first step. The longest-serving (h1, asked first when a
    # step is planned alone) leaves the force before the second step: planned year by year,
    # P1 is empty again and needs a second move; planned together, h2 goes once.
    officers = [officer("h1", "H1", hired="1990-01-01", leaves="2020-01-01"),
                officer("h2", "H1", hired="2010-01-01")]
    path = horizon(tmp_path, one_post(), officers,
                   {"staff_every_post": True, "min_community_tenure_years": 3},
                   ["2019-06-30", "2020-06-30"])
    s = load_scenario(path)
    assert [x.plan_date.isoformat() for x in s.steps] == ["2019-06-30", "2020-06-30"]
    assert [o.id for o in s.steps[1].officers] == ["h2"]  # h1 has left
    r = make_plan(s)
    assert r.status is Status.OPTIMAL and r.moves == 1
    assert [st.final for st in r.steps] == [{"h1": "H1", "h2": "P1"}, {"h2": "P1"}]
    assert r.myopic.moves == [1, 1] and r.myopic.total == 2
    assert "arrived" not in r.steps[1].reasons["h2"]  # held at the post it reached in 2019
    assert "community tenure" in r.steps[1].reasons["h2"]


def test_year_by_year_can_lock_itself_out_and_says_where_and_why(tmp_path):
    # P1 needs an officer in 2019 and must be empty in 2020 (its bounds change). Planned
    # alone, 2019 sends the longest-serving officer, a, who is then held at the post by the
    # tenure rule: 2020 has no plan. Planned together, b goes, and leaves the force before
    # 2020: one move, and every rule holds at both steps.
    units = [unit("B1", "county"), unit("H1", "hq", "B1"), unit("S1", "station", "B1"),
             unit("P1", "post", "S1", min_staff=1)]
    officers = [officer("a", "H1", hired="1990-01-01"),
                officer("b", "H1", hired="2010-01-01", leaves="2020-01-01")]
    path = horizon(tmp_path, units, officers,
                   {"unit_bounds": True, "min_community_tenure_years": 3},
                   ["2019-06-30", "2020-06-30"])
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["horizon"][0]["changes"] = {"unit_bounds": {"P1": {"min_staff": 0, "max_staff": 0}}}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    r = make_plan(load_scenario(path))
    assert r.status is Status.OPTIMAL and r.moves == 1
    assert [st.final for st in r.steps] == [{"a": "H1", "b": "P1"}, {"a": "H1"}]
    assert r.myopic.moves == [1] and r.myopic.failed_at == 1
    assert any("P1" in line for line in r.myopic.conflicts)
    out = run("plan", path, "--out", tmp_path / "out", "--lang", "en")
    assert out.exit_code == 0, out.output
    assert "no plan meets the rules at step 2020-06-30:" in out.stdout
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["myopic_moves"]["impossible_at"] == "2020-06-30"
    assert summary["myopic_moves"]["by_step"] == [1] and summary["myopic_moves"]["why"]


def test_tenure_accrues_across_steps_and_holds_a_newcomer(tmp_path):
    # A recruit placed at a post in 2019 is on it since 2019-06-30: in 2020 (1 full year of
    # a 2-year minimum) it is held there. x leaves before 2020, so one move staffs both posts.
    units = one_post() + [unit("P2", "post", "S1")]
    officers = [officer("r1", "", bureau="B1", hired="2019-06-01"), officer("h1", "H1"),
                officer("x", "P2", community_since="2010-01-01", leaves="2020-01-01")]
    rules = {"staff_every_post": True, "min_community_tenure_years": 2}
    path = horizon(tmp_path, units, officers, rules, ["2019-06-30", "2020-06-30"])
    s = load_scenario(path)
    r = make_plan(s)
    assert r.status is Status.OPTIMAL and r.moves == 1
    first, second = (st.final for st in r.steps)
    assert first["r1"] in ("P1", "P2") and second["r1"] == first["r1"]  # held: 1 year of 2
    assert sorted(second.values()) == ["P1", "P2"]
    carried = {o.id: o for o in r.steps[1].scenario.officers}
    assert carried["r1"].community_since.isoformat() == "2019-06-30"
    # A plan moving the recruit on in 2020 breaks the tenure rule at that step.
    other = "P2" if first["r1"] == "P1" else "P1"
    bad = check_steps(s, [first, {"r1": other, "h1": first["r1"]}])
    assert "r1" in {v.subject for v in bad[1].violations if v.rule == "min_community_tenure"}
    assert not bad[0].violations


def test_an_impossible_step_is_explained_with_its_date(tmp_path):
    # Two posts from 2020 on, one officer in all: the second step cannot be met.
    units = one_post() + [unit("P2", "post", "S1")]
    path = horizon(tmp_path, units, [officer("a", "P1", community_since="2010-01-01")],
                   {"staff_every_post": True}, ["2019-06-30", "2020-06-30"])
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["rules"]["staff_every_post"] = False
    data["horizon"][0]["rules"] = {"staff_every_post": True}
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    r = make_plan(load_scenario(path))
    assert r.status is Status.INFEASIBLE
    assert any("every post staffed at step 2020-06-30" in line for line in r.conflicts)
    assert any("P2" in line for line in r.conflicts)


def test_step_dates_must_increase(tmp_path):
    path = horizon(tmp_path, one_post(), [officer("a", "P1", community_since="2010-01-01")],
                   {}, ["2019-06-30", "2019-01-01"])
    r = run("check", path)
    assert r.exit_code == 2 and "horizon.0.date" in r.stderr


# --- The bundled example's three years ----------------------------------------------------

@pytest.fixture(scope="module")
def example(tmp_path_factory):
    out = tmp_path_factory.mktemp("h") / "out"
    r = run("plan", EXAMPLE, "--out", out, "--format", "json", "--lang", "en")
    assert r.exit_code == 0, r.output
    return out, json.loads(r.stdout)


def test_the_example_reaches_the_article_at_its_last_step(example):
    out, summary = example
    assert summary["status"] == "optimal" and len(summary["steps"]) == 3
    last = summary["steps"][-1]
    assert last["date"] == "2021-06-30"
    assert sum(b["community_officers"] for b in last["bureaus"]) == 726
    assert sum(b["posts_staffed"] for b in last["bureaus"]) == 630 == \
        sum(b["posts"] for b in last["bureaus"])
    assert summary["moves"]["total"] == sum(summary["moves_by_step"]) > 0
    myopic = summary["myopic_moves"]
    assert myopic["impossible_at"] is not None or myopic["total"] >= summary["moves"]["total"]


def _rows(out: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO((out / "assignments.csv").read_text("utf-8-sig"))))


def test_the_plan_file_has_a_row_per_officer_per_step_and_checks(example):
    out, summary = example
    rows = _rows(out)
    assert list(rows[0])[:2] == ["date", "officer_id"]
    s = load_scenario(EXAMPLE)
    assert len(rows) == sum(len(step.officers) for step in s.steps)
    assert sum(r["moved"] == "true" for r in rows) == summary["moves"]["total"]
    plans = read_plan(out / "assignments.csv", s)
    assert all(r.ok for r in check_steps(s, [p.final for p in plans], plans))
    r = run("check", EXAMPLE, "--assignments", out / "assignments.csv", "--strict")
    assert r.exit_code == 0, r.output


def test_the_workbook_has_the_steps_and_an_officer_per_row(example):
    from openpyxl import load_workbook

    out, summary = example
    wb = load_workbook(out / "plan.xlsx", read_only=True)
    dates = [s["date"] for s in summary["steps"]]
    assert wb.sheetnames[1:5] == ["Steps", *dates]
    steps = list(wb["Steps"].iter_rows(min_row=2, values_only=True))
    assert [row[1] for row in steps] == summary["moves_by_step"]
    roster = list(wb["Roster by step"].iter_rows(values_only=True))
    assert list(roster[0]) == ["officer", "name", "unit before the plan", *dates, "moves"]
    # every officer once, and the same units and moves as assignments.csv, step by step
    by_step = {(r["date"], r["officer_id"]): r for r in _rows(out)}
    assert len(roster) - 1 == len({oid for _, oid in by_step})
    for oid, _name, before, *units, moves in roster[1:]:
        rows = [by_step.get((d, oid)) for d in dates]
        assert [r["to_unit"] if r else None for r in rows] == [u or None for u in units]
        present = [r for r in rows if r]
        assert (before or "") == present[0]["from_unit"]
        assert moves == sum(r["moved"] == "true" for r in present)


def _tampered(out: Path, tmp_path: Path, change) -> Path:
    rows = _rows(out)
    rows = change(rows)
    path = tmp_path / "tampered.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(_rows(out)[0]))
        w.writeheader()
        w.writerows(rows)
    return path


def _findings(path: Path) -> list[dict]:
    r = run("check", EXAMPLE, "--assignments", path, "--format", "json")
    assert r.exit_code == 1, r.output
    data = json.loads(r.stdout)
    return [dict(v, rule=x["rule"]) for x in data["rules"] for v in x["violations"]]


def test_a_tenure_cut_short_at_step_two_is_caught(example, tmp_path):
    out, _ = example
    rows = _rows(out)
    # An officer who arrived at a post in 2019 and stays there in 2020: moved away instead.
    first = {r["officer_id"]: r for r in rows if r["date"] == "2019-06-30"}
    victim = next(r["officer_id"] for r in rows if r["date"] == "2020-06-30"
                  and r["moved"] == "false" and "-P" in r["to_unit"]
                  and first.get(r["officer_id"], {}).get("moved") == "true")
    station = first[victim]["to_unit"].rsplit("-", 1)[0]

    def change(rows):
        return [dict(r, to_unit=station) if r["officer_id"] == victim and r["date"] != "2019-06-30"
                else r for r in rows]

    found = _findings(_tampered(out, tmp_path, change))
    tenure = [v for v in found if v["rule"] == "min_community_tenure"]
    assert [(v["subject"], v["step"]) for v in tenure] == [(victim, "2020-06-30")]


def test_a_leaver_still_placed_is_caught(example, tmp_path):
    out, _ = example
    s = load_scenario(EXAMPLE)
    leaver = next(o for o in s.steps[1].officers
                  if s.horizon.leave[o.id] == 2 and o.unit is not None)
    rows = _rows(out)
    kept = next(r for r in rows if r["officer_id"] == leaver.id and r["date"] == "2020-06-30")

    def change(rows):
        return rows + [dict(kept, date="2021-06-30", from_unit=kept["to_unit"], moved="false")]

    found = _findings(_tampered(out, tmp_path, change))
    assert {(v["rule"], v["subject"], v["step"]) for v in found} == \
        {("plan_matches_roster", leaver.id, "2021-06-30")}


def test_a_recruit_placed_before_arriving_is_caught(example, tmp_path):
    out, _ = example
    s = load_scenario(EXAMPLE)
    recruit = next(o for o in s.steps[1].officers
                   if o.unit is None and s.horizon.arrival[o.id] == 1)
    rows = _rows(out)
    placed = next(r for r in rows if r["officer_id"] == recruit.id and r["date"] == "2020-06-30")

    def change(rows):
        return [dict(placed, date="2019-06-30")] + rows

    found = _findings(_tampered(out, tmp_path, change))
    assert ("plan_matches_roster", recruit.id, "2019-06-30") in \
        {(v["rule"], v["subject"], v["step"]) for v in found}


def test_a_plan_file_without_dates_for_several_steps_is_bad_input(example, tmp_path):
    out, _ = example
    rows = [{k: v for k, v in r.items() if k != "date"} for r in _rows(out)
            if r["date"] == "2019-06-30"]
    path = tmp_path / "undated.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    r = run("check", EXAMPLE, "--assignments", path)
    assert r.exit_code == 2 and "date" in r.stderr and "3 steps" in r.stderr


# --- Re-planning with the fewest changes to a published plan (--keep) ----------------------

def _publish(path: Path, rows: list[dict]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["date", "officer_id", "to_unit"])
        w.writeheader()
        w.writerows(rows)
    return path


def test_keep_changes_the_fewest_published_decisions(tmp_path):
    # Published: a and b to the two posts, c stays at the station. a retires early: one post
    # is empty. Sending c there changes one decision; b to it and c to P2 would change two.
    units = one_post() + [unit("P2", "post", "S1")]
    officers = [officer("a", "H1"), officer("b", "H1"), officer("c", "S1"),
                officer("d", "H1")]
    path = write_scenario(tmp_path / "k", units, officers, {"staff_every_post": True})
    published = _publish(tmp_path / "published.csv", [
        {"date": "2021-06-30", "officer_id": "a", "to_unit": "P1"},
        {"date": "2021-06-30", "officer_id": "b", "to_unit": "P2"},
        {"date": "2021-06-30", "officer_id": "c", "to_unit": "S1"},
        {"date": "2021-06-30", "officer_id": "d", "to_unit": "H1"}])
    out = tmp_path / "out"
    r = run("plan", path, "--keep", published, "--out", out, "--set", "changes.retire=[a]",
            "--format", "json")
    assert r.exit_code == 0, r.output
    summary = json.loads(r.stdout)
    assert summary["kept_to_published"]["changed_officers"] == 1
    changed = list(csv.DictReader(io.StringIO((out / "changed.csv").read_text("utf-8-sig"))))
    assert len(changed) == 1 and changed[0]["to_unit"] == "P1"
    assert changed[0]["officer_id"] in ("c", "d")
    assert summary["moves"]["total"] == 2  # b as published, and one to P1
    plan = {row["officer_id"]: row["to_unit"] for row in _rows(out)}
    assert plan["b"] == "P2"


@pytest.mark.parametrize("borrowing_rule", [True, False])
def test_keep_does_not_follow_a_published_move_a_rule_forbids(tmp_path, borrowing_rule):
    # Published: s moves from the station into headquarters. With the rule on, no plan may
    # follow that decision (it changes); with it off, the plan keeps to it.
    officers = [officer("p", "P1"), officer("s", "S1"), officer("h", "H1")]
    path = write_scenario(tmp_path / "k", one_post(), officers,
                          {"staff_every_post": True,
                           "no_borrowing_from_stations": borrowing_rule})
    published = _publish(tmp_path / "published.csv", [
        {"date": "2021-06-30", "officer_id": "p", "to_unit": "P1"},
        {"date": "2021-06-30", "officer_id": "s", "to_unit": "H1"},
        {"date": "2021-06-30", "officer_id": "h", "to_unit": "H1"}])
    out = tmp_path / "out"
    r = run("plan", path, "--keep", published, "--out", out, "--format", "json")
    assert r.exit_code == 0, r.output
    plan = {row["officer_id"]: row["to_unit"] for row in _rows(out)}
    assert plan["s"] == ("S1" if borrowing_rule else "H1")
    assert json.loads(r.stdout)["kept_to_published"]["changed_officers"] == borrowing_rule


def test_keep_over_several_steps_keeps_faith_where_it_can(example, tmp_path):
    out, summary = example
    s = load_scenario(EXAMPLE)
    # One officer the plan sends to a post in 2019 leaves the force before 2020 after all.
    first = [r for r in _rows(out) if r["date"] == "2019-06-30" and r["moved"] == "true"
             and "-P" in r["to_unit"]]
    leaving = first[0]["officer_id"]
    new = tmp_path / "new"
    r = run("plan", EXAMPLE, "--keep", out / "assignments.csv", "--out", new,
            "--set", f"changes.retire=[{leaving}]", "--format", "json")
    assert r.exit_code == 0, r.output
    kept = json.loads(r.stdout)["kept_to_published"]
    fresh = tmp_path / "fresh"
    assert run("plan", EXAMPLE, "--out", fresh,
               "--set", f"changes.retire=[{leaving}]").exit_code == 0
    published = {(x["date"], x["officer_id"]): x["to_unit"] for x in _rows(out)}
    differs = {x["officer_id"] for x in _rows(fresh)
               if published.get((x["date"], x["officer_id"]), x["to_unit"]) != x["to_unit"]}
    assert 0 < kept["changed_officers"] <= len(differs)
    assert run("check", EXAMPLE, "--assignments", new / "assignments.csv",
               "--set", f"changes.retire=[{leaving}]").exit_code == 0
    assert len(s.steps) == 3


def test_keep_says_when_the_published_plan_holds(tmp_path):
    units = one_post()
    officers = [officer("a", "H1"), officer("b", "S1")]
    path = write_scenario(tmp_path / "k", units, officers, {"staff_every_post": True})
    out = tmp_path / "out"
    assert run("plan", path, "--out", out).exit_code == 0
    r = run("plan", path, "--keep", out / "assignments.csv", "--out", tmp_path / "again")
    assert r.exit_code == 0, r.output
    assert "The published plan holds: none of its 2 officer(s) changed" in r.stdout
    assert "Changed from the published plan" not in r.stdout


def test_keep_needs_every_step_and_plans_a_patchy_officer_freely(example, tmp_path):
    out, _ = example
    rows = _rows(out)
    # Only the last step's rows: not a plan of this scenario's steps (exit 2, not a bug).
    last = tmp_path / "last.csv"
    with last.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(r for r in rows if r["date"] == "2021-06-30")
    r = run("plan", EXAMPLE, "--keep", last, "--out", tmp_path / "o1")
    assert r.exit_code == 2 and "2019-06-30, 2020-06-30" in r.stderr, r.output
    # Every third row gone: the officers it leaves patchy are planned freely, the plan holds.
    patchy = tmp_path / "patchy.csv"
    with patchy.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(r for i, r in enumerate(rows) if i % 3)
    r = run("plan", EXAMPLE, "--keep", patchy, "--out", tmp_path / "o2", "--format", "json",
            "--set", "changes.retire=[P000001]")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["status"] == "optimal"
