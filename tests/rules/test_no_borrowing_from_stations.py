"""no_borrowing_from_stations: no existing officer moves from a station or post into
headquarters. Known answers for the model side and the check side."""

from __future__ import annotations

from staffplan.check import check
from staffplan.plan import make_plan
from staffplan.results import Status
from tests.conftest import officer, small_county, unit

RULE = {"no_borrowing_from_stations": True}


def violations(report):
    return [v.subject for v in report.violations if v.rule == "no_borrowing_from_stations"]


def test_check_flags_a_station_officer_sent_to_headquarters(scenario_at):
    s = scenario_at(small_county(), [officer("A", "S1"), officer("B", "P1"), officer("C", "H1")],
                    RULE)
    assert violations(check(s, {"A": "H1", "B": "P1", "C": "H1"})) == ["A"]
    assert violations(check(s, {"A": "S1", "B": "H1", "C": "H1"})) == ["B"]
    # Headquarters to headquarters, headquarters to a station: not borrowing.
    two_hq = small_county() + [unit("H2", "hq", "B1")]
    s2 = scenario_at(two_hq, [officer("A", "S1"), officer("C", "H1")], RULE)
    assert violations(check(s2, {"A": "S1", "C": "H2"})) == []
    assert violations(check(s2, {"A": "S1", "C": "S1"})) == []


def test_the_current_roster_breaks_nothing(scenario_at):
    s = scenario_at(small_county(), [officer("A", "S1"), officer("C", "H1")], RULE)
    r = next(x for x in check(s).results if x.rule == "no_borrowing_from_stations")
    assert r.enabled and r.checked == 1 and not r.violations


def test_headquarters_minimum_is_met_from_headquarters_not_from_a_station(scenario_at):
    # H2 needs one more officer. With the rule, only H1's officer can go; without it, the
    # cheapest plan could equally take the station's officer, and the plan must still be legal.
    units = small_county() + [unit("H2", "hq", "B1", min_staff="1")]
    officers = [officer("S", "S1"), officer("H", "H1")]
    s = scenario_at(units, officers, {**RULE, "unit_bounds": True})
    r = make_plan(s)
    assert r.status is Status.OPTIMAL and r.moves == 1
    assert r.final == {"S": "S1", "H": "H2"}


def test_no_plan_when_only_a_station_can_lend(scenario_at):
    units = small_county() + [unit("H2", "hq", "B1", min_staff="1")]
    units[1]["min_staff"] = "1"  # H1 keeps its only officer
    s = scenario_at(units, [officer("S", "S1"), officer("H", "H1")], {**RULE, "unit_bounds": True})
    r = make_plan(s)
    assert r.status is Status.INFEASIBLE
    assert any("no borrowing from stations" in line for line in r.conflicts), r.conflicts
    off = scenario_at(units, [officer("S", "S1"), officer("H", "H1")],
                      {"unit_bounds": True, "no_borrowing_from_stations": False})
    assert make_plan(off).final["S"] == "H2"
