"""The planner, one rule at a time, on instances whose fewest moves are worked out by hand.

Each test states the hand count in a comment; the planner must prove exactly that minimum,
and its plan must pass the checker (``make_plan`` raises if it does not).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from staffplan.check import check
from staffplan.plan import make_plan
from staffplan.results import Status
from tests.conftest import officer, small_county, unit

SOLVERS = ["highs", "cbc"]


def planned(scenario, solver="highs"):
    result = make_plan(scenario, solver)
    assert result.status is Status.OPTIMAL, result.conflicts
    assert check(scenario, result.final).ok
    return result


@pytest.mark.parametrize("solver", SOLVERS)
def test_known_answer_headquarters_to_posts(scenario_at, solver):
    # Force 5, county share 1/2: station side needs 3 of 5 (has 1). Both posts need an officer,
    # and 2 at posts >= 1/2 x 3. Moving two headquarters officers to the posts does it: 2.
    officers = [officer(f"H{i}", "H1") for i in range(4)] + [officer("S", "S1")]
    s = scenario_at(small_county(), officers, {
        "station_share": {"county": 0.5, "district": 0.5}, "community_share": 0.5,
        "staff_every_post": True})
    r = planned(s, solver)
    assert r.moves == 2
    assert sorted(r.final[o] for o in ("H0", "H1", "H2", "H3")).count("H1") == 2
    assert {r.final[o] for o in r.final} >= {"P1", "P2"}


def test_no_rule_no_move(scenario_at):
    s = scenario_at(small_county(), [officer("A", "H1"), officer("B", "S1")])
    assert planned(s).moves == 0


def test_staff_every_post_moves_one_per_empty_post(scenario_at):
    # Two empty posts, three station officers: 2 moves, both inside the station.
    s = scenario_at(small_county(), [officer(x, "S1") for x in "ABC"], {"staff_every_post": True})
    r = planned(s)
    assert r.moves == 2
    assert sorted(r.final.values()) == ["P1", "P2", "S1"]


@pytest.mark.parametrize("approved,moves", [("", None), ("true", 1)])
def test_min_community_tenure_holds_an_officer(scenario_at, approved, moves):
    # P2 is empty; the only free officer is at P1 beside an officer still within tenure.
    # If B is held too, nobody can staff P2: no plan. If B's move is approved: 1 move.
    officers = [officer("A", "P1", community_since="2020-01-01"),
                officer("B", "P1", community_since="2020-01-01", move_approved=approved)]
    s = scenario_at(small_county(), officers,
                    {"min_community_tenure_years": 3, "staff_every_post": True})
    r = make_plan(s)
    if moves is None:
        assert r.status is Status.INFEASIBLE
        assert any("P2" in line for line in r.conflicts)
    else:
        assert r.status is Status.OPTIMAL and r.moves == moves
        assert r.final == {"A": "P1", "B": "P2"}


def test_min_community_tenure_complete_frees_the_officer(scenario_at):
    officers = [officer("A", "P1", community_since="2018-06-30"),  # exactly 3 years
                officer("B", "P1", community_since="2020-01-01")]
    s = scenario_at(small_county(), officers,
                    {"min_community_tenure_years": 3, "staff_every_post": True})
    r = planned(s)
    assert r.moves == 1 and r.final["A"] == "P2"


def test_pinned_officer_never_moves(scenario_at):
    # The pinned station officer stays; the headquarters officer goes to the post: 1 move.
    units = small_county()[:4]
    s = scenario_at(units, [officer("S", "S1", pinned="1"), officer("H", "H1")],
                    {"staff_every_post": True})
    r = planned(s)
    assert r.moves == 1 and r.final == {"S": "S1", "H": "P1"}


def test_new_hires_to_stations(scenario_at):
    # H1 needs one officer (min_staff 1). With the rule, the recruit cannot go there, so the
    # station officer moves: 1 move. Without it, the recruit fills H1: 0 moves.
    units = [unit("B1", "county"), unit("H1", "hq", "B1", min_staff="1"),
             unit("S1", "station", "B1")]
    officers = [officer("A", "S1"), officer("R", bureau="B1")]
    on = planned(scenario_at(units, officers, {"new_hires_to_stations": True, "unit_bounds": True}))
    assert on.moves == 1 and on.final == {"A": "H1", "R": "S1"}
    off = planned(scenario_at(units, officers,
                              {"new_hires_to_stations": False, "unit_bounds": True}))
    assert off.moves == 0 and off.final == {"A": "S1", "R": "H1"}


@pytest.mark.parametrize("rule,moves", [(True, 1), (False, 0)])
def test_return_borrowed(scenario_at, rule, moves):
    s = scenario_at(small_county(), [officer("A", "H1", home_unit="P2")], {"return_borrowed": rule})
    r = planned(s)
    assert r.moves == moves
    assert r.final["A"] == ("P2" if rule else "H1")


@pytest.mark.parametrize("rule,status", [(True, Status.INFEASIBLE), (False, Status.OPTIMAL)])
def test_stay_in_bureau(scenario_at, rule, status):
    # B1's post is empty and B1 has nobody to spare; B2 has a headquarters officer.
    units = [unit("B1", "county"), unit("S1", "station", "B1"), unit("P1", "post", "S1"),
             unit("B2", "district"), unit("H2", "hq", "B2")]
    s = scenario_at(units, [officer("A", "S1", pinned="yes"), officer("B", "H2")],
                    {"stay_in_bureau": rule, "staff_every_post": True})
    r = make_plan(s)
    assert r.status is status
    if status is Status.OPTIMAL:
        assert r.moves == 1 and r.final["B"] == "P1"
    else:
        assert r.conflicts == [
            "every post staffed cannot hold, even with every other rule relaxed:",
            "every post staffed: 1 post(s) cannot be staffed: P1"]


def test_recruits_stay_in_their_bureau(scenario_at):
    units = [unit("B1", "county"), unit("S1", "station", "B1"),
             unit("B2", "district"), unit("S2", "station", "B2")]
    s = scenario_at(units, [officer("R1", bureau="B2"), officer("R2")],
                    {"stay_in_bureau": True, "new_hires_to_stations": True})
    r = planned(s)
    assert r.final["R1"] == "S2" and r.final["R2"] in ("S1", "S2")


def test_unit_bounds(scenario_at):
    # S1 holds 4, at most 2: two must leave (to H1, the only other unit): 2 moves.
    units = [unit("B1", "county"), unit("H1", "hq", "B1"),
             unit("S1", "station", "B1", max_staff="2")]
    s = scenario_at(units, [officer(x, "S1") for x in "ABCD"], {"unit_bounds": True})
    r = planned(s)
    assert r.moves == 2 and sorted(r.final.values()) == ["H1", "H1", "S1", "S1"]


@pytest.mark.parametrize("solver", SOLVERS)
def test_station_share_with_the_article_target(scenario_at, solver):
    # 200 officers, 80 at the station: 0.445 x 200 = 89, so 9 move from headquarters.
    officers = [officer(f"S{i:03d}", "S1") for i in range(80)]
    officers += [officer(f"H{i:03d}", "H1") for i in range(120)]
    s = scenario_at(small_county()[:3], officers,
                    {"station_share": {"county": 0.445, "district": 0.558}})
    r = planned(s, solver)
    assert r.moves == 9


def test_community_share(scenario_at):
    # 1 at posts, 4 at the station: 0.48 x 5 = 2.4, so 2 station officers go to posts: 2.
    officers = [officer("P", "P1")] + [officer(f"S{i}", "S1") for i in range(4)]
    s = scenario_at(small_county(), officers, {"community_share": 0.48})
    r = planned(s)
    assert r.moves == 2
    assert sum(u in ("P1", "P2") for u in r.final.values()) == 3


def test_secondary_preference_moves_headquarters_first_and_longest_serving(scenario_at):
    # Station share needs one more station officer; either a post officer... no: posts are
    # station side already. The headquarters officer hired first is the one who moves.
    officers = [officer("H-new", "H1", hired="2019-01-01"),
                officer("H-old", "H1", hired="2001-01-01"), officer("S", "S1")]
    s = scenario_at(small_county()[:3], officers,
                    {"station_share": {"county": 0.6, "district": 0.6}})
    r = planned(s)
    assert r.moves == 1 and r.final["H-old"] == "S1" and r.final["H-new"] == "H1"
    assert "to station S1: raises the station strength" in r.reasons["H-old"]


def test_infeasible_share_is_explained_with_figures(scenario_at):
    # Everybody pinned at headquarters except one: station share 1 of 10 at best.
    officers = [officer(f"H{i}", "H1", pinned="true") for i in range(9)] + [officer("S", "S1")]
    s = scenario_at(small_county()[:3], officers,
                    {"station_share": {"county": 0.445, "district": 0.5}})
    r = make_plan(s)
    assert r.status is Status.INFEASIBLE
    assert r.conflicts == [
        "station strength / force cannot hold, even with every other rule relaxed:",
        "station strength / force:",
        "  bureau B1: can reach at most 10.0% (target 44.5%), 4 officer(s) short"]


def test_conflicting_rules_are_named(scenario_at):
    # Station share 0.5 needs 2 of 4 at the station; max_staff 1 at the station allows 1:
    # each holds alone, not together.
    units = [unit("B1", "county"), unit("H1", "hq", "B1"),
             unit("S1", "station", "B1", max_staff="1")]
    officers = [officer(f"H{i}", "H1") for i in range(4)]
    s = scenario_at(units, officers, {"station_share": {"county": 0.5, "district": 0.5},
                                      "unit_bounds": True})
    r = make_plan(s)
    assert r.status is Status.INFEASIBLE
    assert r.conflicts == [
        "these rules cannot all hold together: station strength / force, unit staff bounds; "
        "relaxing each in turn:",
        "station strength / force (with unit staff bounds held):",
        "  bureau B1: can reach at most 25.0% (target 50.0%), 1 officer(s) short",
        "unit staff bounds (with station strength / force held): 1 unit(s) off their bounds by "
        "1 officer(s) in all: S1 (max 1, the other rules need 2)"]


def test_pinned_and_borrowed_is_a_conflict(scenario_at):
    s = scenario_at(small_county(), [officer("A", "H1", home_unit="S1", pinned="yes")],
                    {"return_borrowed": True})
    r = make_plan(s)
    assert r.status is Status.INFEASIBLE
    assert r.conflicts == ["officer A: pinned keeps them at H1; return_borrowed sends them to S1"]


def test_same_input_same_plan(scenario_at):
    officers = [officer(f"H{i:02d}", "H1", hired=f"20{i:02d}-01-01") for i in range(12)]
    officers += [officer(f"S{i}", "S1") for i in range(3)]
    rules = {"station_share": {"county": 0.5, "district": 0.5}, "community_share": 0.5,
             "staff_every_post": True}
    a = make_plan(scenario_at(small_county(), officers, rules))
    b = make_plan(scenario_at(small_county(), officers, rules))
    assert a.final == b.final and a.reasons == b.reasons


def test_a_plan_stopped_by_its_time_limit_says_so(scenario_at, monkeypatch, tmp_path):
    """The time limit really runs out: the model gets a market-split puzzle too (far too
    hard to prove within the limit; tests/test_solve.py), so the plan is the best found,
    marked feasible with its gap, never optimal; the files and the screen say so."""
    import json
    import random

    import pulp
    from typer.testing import CliRunner

    import staffplan.plan as plan_module
    from staffplan.cli import app

    real = plan_module.build_model

    def with_a_puzzle(scenario, place, **kw):
        """The model, plus tests/test_solve.py's market split (its slack counts as moves)."""
        model = real(scenario, place, **kw)
        rng, prob = random.Random(1), model.prob
        x = [prob.add_variable(f"puzzle_x{j}", 0, 1, "Integer") for j in range(40)]
        over = [prob.add_variable(f"puzzle_over{i}", 0, None, "Integer") for i in range(5)]
        under = [prob.add_variable(f"puzzle_under{i}", 0, None, "Integer") for i in range(5)]
        for i in range(5):
            a = [rng.randrange(0, 100) for _ in range(40)]
            prob += (pulp.lpSum(a[j] * x[j] for j in range(40)) + over[i] - under[i]
                     == sum(a) // 2), f"puzzle_{i}"
        model.moves = model.moves + pulp.lpSum(over) + pulp.lpSum(under)
        return model

    monkeypatch.setattr(plan_module, "build_model", with_a_puzzle)
    officers = [officer(f"H{i}", "H1") for i in range(10)] + [officer("S", "S1")]
    s = scenario_at(small_county(), officers, {"station_share": {"county": 0.5, "district": 0.5}})
    r = make_plan(s, time_limit=0.5)
    assert r.status in (Status.FEASIBLE, Status.NO_SOLUTION)
    if r.status is Status.FEASIBLE:
        o = r.outcome
        assert o.bound is not None and o.bound < o.objective and o.gap > 0
        assert r.report.ok  # the best plan found still meets every rule
    else:
        assert r.report is None
        assert r.conflicts == ["the time limit ran out before any plan was found"]
    out = tmp_path / "out"
    cli = CliRunner().invoke(app, ["plan", str(s.source), "--out", str(out), "--time-limit", "0.5"])
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["proven_optimal"] is False and summary["status"] in ("feasible", "no_solution")
    if summary["status"] == "feasible":
        assert cli.exit_code == 0 and "best found within the time limit, gap" in cli.stdout
        assert summary["gap"] > 0
    else:
        assert cli.exit_code == 1 and "time limit ran out" in cli.stderr


def test_a_time_limit_that_is_not_reached_changes_nothing(scenario_at):
    officers = [officer(f"H{i}", "H1") for i in range(10)] + [officer("S", "S1")]
    s = scenario_at(small_county(), officers, {"station_share": {"county": 0.5, "district": 0.5}})
    limited, free = make_plan(s, time_limit=30), make_plan(s)
    assert limited.status is Status.OPTIMAL and limited.final == free.final


EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "lianyungang"
CONFIGS = Path(__file__).resolve().parent.parent / "configs"


def _plan_files(config: Path, out: Path, solver: str) -> dict[str, object]:
    from typer.testing import CliRunner

    from staffplan.cli import app

    r = CliRunner().invoke(app, ["plan", str(config), "--out", str(out), "--solver", solver])
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    for key in ("solver", "timing_seconds"):
        summary.pop(key)
    files = {p.name: p.read_bytes() for p in sorted(out.glob("*.csv"))}
    why = [line for line in r.stderr.splitlines()  # not the progress lines, nor the paths
           if not line.startswith(("[", "wrote "))]
    return {"exit": r.exit_code, "why": why,
            "summary": summary, **files}


@pytest.mark.parametrize("config", [EXAMPLES / "scenario.yaml", EXAMPLES / "horizon.yaml",
                                    CONFIGS / "what-if-close-posts.yaml",
                                    CONFIGS / "what-if-community-50.yaml"],
                         ids=lambda p: p.stem)
def test_highs_and_cbc_write_the_same_plan(config, tmp_path):
    """Every rule and preference ties many plans; the last stage's fixed weights pick one,
    so the files do not depend on the solver (nor does an impossible plan's explanation)."""
    highs = _plan_files(config, tmp_path / "highs", "highs")
    cbc = _plan_files(config, tmp_path / "cbc", "cbc")
    assert highs["summary"]["moves"]["total"] if highs["exit"] == 0 else highs["exit"] == 1
    assert highs == cbc


@pytest.mark.parametrize("seed, steps", [(seed, 1 + seed % 3) for seed in range(1, 16)])
def test_highs_and_cbc_choose_the_same_officers_on_generated_cities(seed, steps, tmp_path):
    """Generated cities of about 600 officers (one date, or two or three yearly steps): every
    officer's unit and reason at every step are the same from both solvers."""
    from staffplan.generate import write_instance
    from staffplan.io.roster import load_scenario

    write_instance(tmp_path, officers=600, seed=seed, steps=steps)
    path = tmp_path / ("horizon.yaml" if steps > 1 else "scenario.yaml")
    highs, cbc = (make_plan(load_scenario(path), solver, myopic=False)
                  for solver in ("highs", "cbc"))
    assert highs.status is Status.OPTIMAL and cbc.status is Status.OPTIMAL
    assert [p.final for p in highs.steps] == [p.final for p in cbc.steps]
    assert [p.reasons for p in highs.steps] == [p.reasons for p in cbc.steps]
