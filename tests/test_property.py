"""Random small instances: every plan passes the checker, and its number of moves equals the
minimum found by brute force over every assignment, judged by the checker alone."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from staffplan.check import check
from staffplan.config import Budget, Rules, ScenarioConfig, StationShare
from staffplan.domain import Kind, Officer, Organisation, Scenario, Unit
from staffplan.plan import make_plan
from staffplan.results import Status
from staffplan.rules.daytime_duty import DutyMinimum

PLAN_DATE = date(2021, 6, 30)


@st.composite
def instances(draw, max_officers: int = 5, max_units: int = 5, max_posts: int = 2):
    units = []
    for b in range(draw(st.integers(1, 2))):
        bid = f"B{b}"
        units.append(Unit(bid, bid, draw(st.sampled_from([Kind.COUNTY, Kind.DISTRICT]))))
        if draw(st.booleans()):
            units.append(Unit(f"H{b}", "", Kind.HQ, bid, **bounds(draw),
                              closed=draw(st.integers(0, 5)) == 0))
        units.append(Unit(f"S{b}", "", Kind.STATION, bid,
                          draw(st.sampled_from(["urban", "rural"])), **bounds(draw),
                          duty_min=draw(st.sampled_from([None, None, 1, 2]))))
        for p in range(draw(st.integers(0, max(0, max_posts - b)))):
            units.append(Unit(f"P{b}{p}", "", Kind.POST, f"S{b}", **bounds(draw),
                              closed=draw(st.integers(0, 5)) == 0))
    staffed = [u for u in units if not u.kind.is_bureau]
    if len(staffed) > max_units:
        staffed = staffed[:max_units]
        units = [u for u in units if u.kind.is_bureau or u in staffed]
    station_side = [u.id for u in staffed if u.kind.is_station_side]
    bureaus = [u.id for u in units if u.kind.is_bureau]
    officers = []
    for i in range(draw(st.integers(1, max_officers))):
        at = draw(st.sampled_from([None] + [u.id for u in staffed] + [u.id for u in staffed
                                                                       if u.kind is Kind.HQ]))
        kind = next(u.kind for u in staffed if u.id == at) if at else None
        since = None
        if kind is Kind.POST:
            since = draw(st.sampled_from([date(2017, 1, 1), date(2020, 1, 1)]))
        home = None
        if kind is Kind.HQ and draw(st.booleans()):
            home = draw(st.sampled_from(station_side))
        officers.append(Officer(
            f"O{i}", f"name{i}", at, home, since, None,
            pinned=at is not None and draw(st.integers(0, 4)) == 0,
            move_approved=draw(st.booleans()),
            bureau=draw(st.sampled_from([None] + bureaus)) if at is None else None))
    share = st.sampled_from([None, 0.3, 0.5, 0.6])
    rules = Rules(
        min_community_tenure_years=draw(st.sampled_from([None, 3])),
        station_share=draw(st.sampled_from([None, StationShare(county=draw(share),
                                                                 district=draw(share))])),
        community_share=draw(st.sampled_from([None, 0.3, 0.5])),
        staff_every_post=draw(st.booleans()),
        new_hires_to_stations=draw(st.booleans()),
        return_borrowed=draw(st.booleans()),
        stay_in_bureau=draw(st.booleans()),
        unit_bounds=draw(st.booleans()),
        no_borrowing_from_stations=draw(st.booleans()),
        daytime_duty=draw(st.sampled_from([None, DutyMinimum(), DutyMinimum(urban=1, rural=2)])),
    )
    budget = Budget(community_officer_yuan=draw(st.sampled_from([1, 30000])),
                    max_yuan=draw(st.sampled_from([None, 0, 30000, 60000, {"B0": 30000}])))
    config = ScenarioConfig(name="random", plan_date=PLAN_DATE, units=Path("u.csv"),
                            officers=Path("o.csv"), rules=rules, budget=budget)
    return Scenario(config, Organisation(units), officers)


def bounds(draw) -> dict:
    lo = draw(st.sampled_from([None, None, None, 0, 1, 2]))
    hi = draw(st.sampled_from([None, None, None, 1, 2, 3]))
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
    return {"min_staff": lo, "max_staff": hi}


def brute_force_minimum(scenario: Scenario) -> int | None:
    """The fewest moves over every assignment of every officer that the checker accepts."""
    staffed = [u.id for u in scenario.organisation.staffed_units]
    best = None
    ids = [o.id for o in scenario.officers]
    for combo in itertools.product(staffed, repeat=len(ids)):
        report = check(scenario, dict(zip(ids, combo)))
        if report.ok and (best is None or report.moves < best):
            best = report.moves
    return best


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_plan_is_checked_and_minimal(scenario):
    expected = brute_force_minimum(scenario)
    result = make_plan(scenario)
    if expected is None:
        assert result.status is Status.INFEASIBLE
        assert result.conflicts
    else:
        assert result.status is Status.OPTIMAL, result.conflicts
        assert check(scenario, result.final).ok
        assert result.moves == expected
