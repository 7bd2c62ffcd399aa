"""daytime_duty: an urban station keeps its duty minimum at the station itself; a rural
station counts its posts' officers too. Minimums from the units file's duty_min, else by area."""

from __future__ import annotations

import pytest

from staffplan.check import check
from staffplan.plan import make_plan
from staffplan.results import Status
from tests.conftest import officer, unit


def county(area: str, duty_min: str = ""):
    return [unit("B1", "county"), unit("H1", "hq", "B1"),
            unit("S1", "station", "B1", area=area, duty_min=duty_min), unit("P1", "post", "S1")]


def short(report):
    return [(v.subject, v.figures["officers"], v.figures["duty_min"])
            for v in report.violations if v.rule == "daytime_duty"]


@pytest.mark.parametrize("area,expected", [("urban", [("S1", 1, 2)]), ("rural", [])])
def test_posts_count_only_at_a_rural_station(scenario_at, area, expected):
    s = scenario_at(county(area),
                    [officer("A", "S1"), officer("B", "P1", community_since="2015-01-01")],
                    {"daytime_duty": {"urban": 2, "rural": 2}})
    assert short(check(s)) == expected


def test_the_units_column_wins_over_the_area_minimum(scenario_at):
    s = scenario_at(county("urban", duty_min="3"), [officer("A", "S1"), officer("B", "S1")],
                    {"daytime_duty": {"urban": 1}})
    assert short(check(s)) == [("S1", 2, 3)]
    s = scenario_at(county("urban", duty_min="0"), [officer("A", "H1")],
                    {"daytime_duty": {"urban": 5}})
    assert short(check(s)) == []  # a column value of 0: no minimum at this station


def test_switched_off(scenario_at):
    s = scenario_at(county("urban", duty_min="3"), [officer("A", "S1")], {"daytime_duty": None})
    r = next(x for x in check(s).results if x.rule == "daytime_duty")
    assert not r.enabled and r.status == "off"


def test_the_plan_moves_headquarters_officers_to_cover_duty(scenario_at):
    officers = [officer("A", "S1"), officer("H1a", "H1", hired="2001-01-01"),
                officer("H1b", "H1", hired="2010-01-01")]
    s = scenario_at(county("urban"), officers, {"daytime_duty": {"urban": 2}})
    r = make_plan(s)
    assert r.status is Status.OPTIMAL and r.moves == 1
    assert r.final["H1a"] == "S1"  # the longest-serving goes first


def test_urban_duty_is_not_covered_by_a_post(scenario_at):
    # Moving the headquarters officer to the post does not help an urban station.
    officers = [officer("H", "H1")]
    s = scenario_at(county("urban"), officers, {"daytime_duty": {"urban": 1}})
    assert make_plan(s).final == {"H": "S1"}
    s = scenario_at(county("rural"), officers,
                    {"daytime_duty": {"rural": 1}, "staff_every_post": True})
    assert make_plan(s).final == {"H": "P1"}  # the post counts, and it needs the officer


def test_impossible_duty_is_explained(scenario_at):
    s = scenario_at(county("urban", duty_min="4"), [officer("A", "S1"), officer("H", "H1")],
                    {"daytime_duty": {}})
    r = make_plan(s)
    assert r.status is Status.INFEASIBLE
    assert r.conflicts == ["daytime duty cover cannot hold, even with every other rule relaxed:",
                           "daytime duty cover: 1 station(s) short by 2 officer(s) in all: "
                           "S1 (needs 4 for daytime duty, 2 short)"]


@pytest.mark.parametrize("area,duty_min,rules,warned", [
    ("", "", {"urban": 2}, ["S1"]),  # cannot be judged: said
    ("", "2", {"urban": 2}, []),  # its own minimum
    ("urban", "", {"urban": 2}, []),
    ("", "", {}, []),  # no minimum by area: nothing to judge
])
def test_a_station_without_an_area_is_a_warning_not_a_silent_pass(scenario_at, area, duty_min,
                                                                  rules, warned):
    s = scenario_at(county(area, duty_min), [officer("A", "S1")], {"daytime_duty": rules})
    report = check(s)
    assert [w.subject for w in report.warnings if w.rule == "station_without_area"] == warned
