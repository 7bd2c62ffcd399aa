"""Small cases where the planner and the obvious model (benchmarks/baseline_horizon.py)
disagreed, each shrunk to a few officers: the same comparison as the property test
(``tests/test_property_horizon.py``), on a fixed instance.

Counting full years at a post on the calendar, as the checker does
(``rules.min_community_tenure.completed_years``), someone who took up a post on 29 February
has served one full year on 1 March of the next year, not on 28 February. The planner once
counted it to 28 February (``domain.anniversary``), freed the officer a day early, and its
own checker then rejected the plan: ``PlanCheckFailed`` (exit 3) where no plan exists. Both
now count to 1 March (``tests/test_independence.py`` walks every day around leap years).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from tests.conftest import NO_RULES
from tests.test_property_horizon import compare, load

UNITS = [{"id": "B1", "kind": "county", "parent": ""},
         {"id": "S1", "kind": "station", "parent": "B1", "area": "urban"},
         {"id": "P1", "kind": "post", "parent": "S1"}]


def _config(plan_date: str, rules: dict, horizon: list | None = None) -> dict:
    return {"name": "case", "plan_date": plan_date, "units": "units.csv",
            "officers": "officers.csv", "rules": {**NO_RULES, **rules},
            "horizon": horizon or []}


CASES = {
    # One step, 28 February 2019: O1 came to P1 on 29 February 2016, two full years on the
    # calendar (three on 1 March), so the rule holds them, and O2 too; P1 takes one officer.
    # No plan exists; the planner moves O1.
    "leap-day tenure, one step": (
        [dict(UNITS[0]), dict(UNITS[1]), {**UNITS[2], "max_staff": "1"}],
        [{"id": "O1", "name": "a", "unit": "P1", "community_since": "2016-02-29"},
         {"id": "O2", "name": "b", "unit": "P1", "community_since": "2019-01-01"}],
        _config("2019-02-28", {"min_community_tenure_years": 3, "unit_bounds": True}),
        {"status": "infeasible", "moves": None}),
    # Two steps, 29 February 2020 and 28 February 2021: O1 goes from S1 to staff P1 at step
    # 1 (on P1 since 2020-02-29), and at step 2 S1 needs one officer for daytime duty: O1
    # has no full year at P1, so no plan exists; the planner moves O1 back.
    "leap-day arrival at a post, two steps": (
        UNITS,
        [{"id": "O1", "name": "a", "unit": "S1"}],
        _config("2020-02-29", {"min_community_tenure_years": 1, "staff_every_post": True},
                [{"date": "2021-02-28",
                  "rules": {"staff_every_post": False, "daytime_duty": {"urban": 1}}}]),
        {"status": "infeasible", "moves": None}),
}


@pytest.mark.parametrize("name", list(CASES))
def test_case(name):
    units, officers, config, expected = CASES[name]
    with tempfile.TemporaryDirectory(prefix="staffplan-case-") as tmp:
        scenario = load(units, officers, config, {}, Path(tmp))
        figures = compare(scenario)
    assert {k: figures[k] for k in expected} == expected
