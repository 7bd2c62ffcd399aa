"""community_budget: community officers x yuan per officer <= the bureau's cap. The budget
figures (yearly community funds per bureau) are reported before and after."""

from __future__ import annotations

from staffplan.check import check
from staffplan.plan import make_plan
from staffplan.results import Status
from tests.conftest import officer, small_county


def over(report):
    return [(v.subject, v.figures["over"]) for v in report.violations
            if v.rule == "community_budget"]


def test_funds_are_counted_per_bureau(scenario_at):
    officers = [officer("A", "P1", community_since="2015-01-01"),
                officer("B", "P2", community_since="2015-01-01"), officer("C", "S1")]
    s = scenario_at(small_county(), officers, {},
                    extra={"budget": {"community_officer_yuan": 30000}})
    [b] = check(s).bureaus
    assert (b.community_officers, b.community_funds, b.funds_cap) == (2, 60000, None)
    assert not [r for r in check(s).results if r.rule == "community_budget" and r.enabled]


def test_a_cap_is_exact(scenario_at):
    officers = [officer("A", "P1", community_since="2015-01-01"),
                officer("B", "P2", community_since="2015-01-01")]
    at_cap = scenario_at(small_county(), officers, {}, extra={"budget": {"max_yuan": 60000}})
    assert over(check(at_cap)) == []
    below = scenario_at(small_county(), officers, {}, extra={"budget": {"max_yuan": {"B1": 59999}}})
    assert over(check(below)) == [("B1", 1)]


def test_the_plan_keeps_community_funds_within_the_cap(scenario_at):
    # Everybody to the station side, half of them (or more) at posts; the cap pays for one
    # community officer, so exactly one goes to a post.
    officers = [officer("H1a", "H1"), officer("H1b", "H1")]
    s = scenario_at(small_county(), officers,
                    {"station_share": {"county": 1.0}, "community_share": 0.5},
                    extra={"budget": {"max_yuan": 30000}})
    r = make_plan(s)
    assert r.status is Status.OPTIMAL
    funds = check(s, r.final).bureaus[0].community_funds
    assert funds == 30000 and r.moves == 2


def test_an_unknown_bureau_in_the_cap_is_bad_input(scenario_at):
    import pytest

    from staffplan.errors import InputError

    with pytest.raises(InputError) as exc:
        scenario_at(small_county(), [officer("A", "S1")], {},
                    extra={"budget": {"max_yuan": {"B9": 1}}})
    assert "budget.max_yuan.B9" in str(exc.value) and "'B9' is not a bureau" in str(exc.value)


def test_impossible_cap_is_explained(scenario_at):
    officers = [officer("A", "P1", community_since="2015-01-01", pinned="yes")]
    s = scenario_at(small_county(), officers, {}, extra={"budget": {"max_yuan": 0}})
    r = make_plan(s)
    assert r.status is Status.INFEASIBLE
    assert r.conflicts[-1] == ("community funds within the budget: bureau B1 needs 1 more "
                               "officer(s)' worth of funds")
