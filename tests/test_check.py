"""The checker, one rule at a time: a case that breaks the rule and one that does not."""

from __future__ import annotations

import pytest

from staffplan.check import check
from tests.conftest import officer, small_county, unit


def result(report, rule):
    return next(r for r in report.results if r.rule == rule)


def violated(scenario, rule, final=None):
    r = result(check(scenario, final), rule)
    assert r.enabled
    return [v.subject for v in r.violations]


def test_staff_every_post(scenario_at):
    s = scenario_at(small_county(), [officer("A", "P1"), officer("B", "S1")],
                    {"staff_every_post": True})
    assert violated(s, "staff_every_post") == ["P2"]
    assert violated(s, "staff_every_post", {"A": "P1", "B": "P2"}) == []


@pytest.mark.parametrize("station,ok", [(89, True), (88, False)])
def test_station_share_is_exact_at_the_boundary(scenario_at, station, ok):
    # 0.445 x 200 = 89 exactly: 89 of 200 meets the target, 88 does not.
    officers = [officer(f"S{i}", "S1") for i in range(station)]
    officers += [officer(f"H{i}", "H1") for i in range(200 - station)]
    s = scenario_at(small_county(), officers, {"station_share": {"county": 0.445, "district": 0.9}})
    got = violated(s, "station_share")
    assert got == ([] if ok else ["B1"])
    if not ok:
        v = result(check(s), "station_share").violations[0]
        assert v.figures["short"] == 1


def test_station_share_uses_the_bureau_kind(scenario_at):
    officers = [officer("A", "S1"), officer("B", "H1")]  # 50%
    rules = {"station_share": {"county": 0.6, "district": 0.5}}
    assert violated(scenario_at(small_county("district"), officers, rules), "station_share") == []
    assert violated(scenario_at(small_county("county"), officers, rules), "station_share") == ["B1"]


def test_station_share_counts_posts_as_station_strength(scenario_at):
    officers = [officer("A", "P1"), officer("B", "H1")]
    s = scenario_at(small_county(), officers, {"station_share": {"county": 0.5, "district": 0.5}})
    assert violated(s, "station_share") == []


def test_community_share(scenario_at):
    officers = [officer("A", "P1"), officer("B", "S1"), officer("C", "S1"), officer("D", "H1")]
    s = scenario_at(small_county(), officers, {"community_share": 0.48})
    assert violated(s, "community_share") == ["B1"]  # 1 of 3 station-side officers
    assert violated(s, "community_share", {"A": "P1", "B": "P2", "C": "S1", "D": "H1"}) == []


def test_min_community_tenure(scenario_at):
    officers = [
        officer("NEW", "P1", community_since="2019-07-01"),  # 1 year 11 months: held
        officer("OK", "P2", community_since="2018-06-30"),  # exactly 3 years on 2021-06-30
        officer("APP", "P2", community_since="2020-01-01", move_approved="yes"),
    ]
    s = scenario_at(small_county(), officers, {"min_community_tenure_years": 3})
    assert violated(s, "min_community_tenure") == []  # the roster moves nobody
    moved = {"NEW": "S1", "OK": "S1", "APP": "S1"}
    assert violated(s, "min_community_tenure", moved) == ["NEW"]
    assert result(check(s, moved), "min_community_tenure").checked == 1


def test_pinned(scenario_at):
    s = scenario_at(small_county(), [officer("A", "S1", pinned="是"), officer("B", "S1")])
    assert violated(s, "pinned", {"A": "S1", "B": "P1"}) == []
    assert violated(s, "pinned", {"A": "P1", "B": "S1"}) == ["A"]


def test_new_hires_to_stations(scenario_at):
    s = scenario_at(small_county(), [officer("R", bureau="B1")], {"new_hires_to_stations": True})
    assert violated(s, "new_hires_to_stations", {"R": "P2"}) == []
    assert violated(s, "new_hires_to_stations", {"R": "H1"}) == ["R"]


def test_return_borrowed(scenario_at):
    s = scenario_at(small_county(), [officer("A", "H1", home_unit="S1")], {"return_borrowed": True})
    assert violated(s, "return_borrowed") == ["A"]  # still at headquarters in the roster
    assert violated(s, "return_borrowed", {"A": "S1"}) == []


def test_stay_in_bureau(scenario_at):
    units = small_county() + [unit("B2", "district"), unit("S2", "station", "B2")]
    officers = [officer("A", "S1"), officer("R", bureau="B2")]
    s = scenario_at(units, officers, {"stay_in_bureau": True})
    assert violated(s, "stay_in_bureau", {"A": "H1", "R": "S2"}) == []
    assert violated(s, "stay_in_bureau", {"A": "S2", "R": "S1"}) == ["A", "R"]


def test_unit_bounds(scenario_at):
    units = small_county()
    units[2]["min_staff"] = "1"
    units[2]["max_staff"] = "2"
    officers = [officer(x, "S1") for x in "ABC"]
    s = scenario_at(units, officers, {"unit_bounds": True})
    assert violated(s, "unit_bounds") == ["S1"]  # 3 > 2
    assert violated(s, "unit_bounds", {"A": "S1", "B": "H1", "C": "H1"}) == []
    assert violated(s, "unit_bounds", {"A": "H1", "B": "H1", "C": "H1"}) == ["S1"]  # 0 < 1


def test_recruits_placed_only_in_a_plan(scenario_at):
    s = scenario_at(small_county(), [officer("R", bureau="B1"), officer("A", "S1")])
    roster = check(s)
    assert result(roster, "recruits_placed").violations == []
    assert roster.unplaced_recruits == ["R"]
    assert violated(s, "recruits_placed", {"R": None, "A": "S1"}) == ["R"]
    assert violated(s, "recruits_placed", {"R": "S1", "A": "S1"}) == []


def test_rules_switched_off_are_reported_off(scenario_at):
    s = scenario_at(small_county(), [officer("A", "H1")])
    statuses = {r.rule: r.status for r in check(s).results}
    assert statuses["station_share"] == "off"
    assert statuses["pinned"] == "ok"  # always on


def test_moves_are_counted_by_kind(scenario_at):
    s = scenario_at(small_county(), [officer("A", "H1", home_unit="S1"), officer("B", "H1"),
                                     officer("R", bureau="B1")])
    report = check(s, {"A": "S1", "B": "P1", "R": "P2"})
    assert report.moves == 2
    # Placing a recruit is no move: it is counted apart, by the kind of unit.
    assert report.moves_by_kind == {"borrowed returned": 1, "hq -> post": 1}
    assert report.placed_by_kind == {"post": 1} and report.recruits_placed == 1
