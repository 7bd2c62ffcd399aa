"""The obvious model, kept as the benchmark's baseline (not part of the package).

A yes/no variable for every officer and every unit the officer may go to; the same rules;
the fewest moves. It gives the same minimum as staffplan's counting model but grows with
officers x units.
"""

from __future__ import annotations

import time
from collections import defaultdict
from fractions import Fraction

import pulp

from staffplan import solve
from staffplan.domain import Kind, Scenario, tenure_complete
from staffplan.results import Status


def allowed_units(scenario: Scenario) -> dict[str, list[str]]:
    org, rules = scenario.organisation, scenario.rules
    years = rules.min_community_tenure_years
    staffed = [u.id for u in org.staffed_units]
    out = {}
    for o in scenario.officers:
        if o.unit is None:
            scope = [u for u in staffed if not rules.stay_in_bureau or o.bureau is None
                     or org.bureau_of(u) == o.bureau]
            if rules.new_hires_to_stations:
                scope = [u for u in scope if org[u].kind.is_station_side]
            out[o.id] = [u for u in scope if not org[u].closed]
            continue
        holds = set()
        if o.pinned:
            holds.add(o.unit)
        if (years is not None and org[o.unit].kind is Kind.POST and not o.move_approved
                and not org[o.unit].closed
                and o.community_since is not None
                and not tenure_complete(o.community_since, scenario.plan_date, years)):
            holds.add(o.unit)
        if rules.return_borrowed and o.home_unit is not None:
            holds.add(o.home_unit)
        scope = [u for u in staffed if not rules.stay_in_bureau
                 or org.bureau_of(u) == org.bureau_of(o.unit)]
        if holds:
            scope = [u for u in scope if u in holds] if len(holds) == 1 else []
        if rules.no_borrowing_from_stations and org[o.unit].kind.is_station_side:
            scope = [u for u in scope if org[u].kind is not Kind.HQ]
        out[o.id] = scope
    return out


def solve_baseline(scenario: Scenario, solver: str = "highs", time_limit: float | None = None):
    """Returns (status, moves, final assignment, seconds to build, seconds to solve)."""
    t0 = time.perf_counter()
    org, rules = scenario.organisation, scenario.rules
    allowed = allowed_units(scenario)
    prob = pulp.LpProblem("baseline", pulp.LpMinimize)
    x = {}
    at = defaultdict(list)
    moves = []
    for n, o in enumerate(scenario.officers):
        if not allowed[o.id]:
            return Status.INFEASIBLE, None, None, time.perf_counter() - t0, 0.0
        row = []
        for u in allowed[o.id]:
            v = prob.add_variable(f"x_{n}_{org.order[u]}", 0, 1, "Integer")
            x[o.id, u] = v
            at[u].append(v)
            row.append(v)
        prob += pulp.lpSum(row) == 1, f"one_{n}"
        if o.unit is not None:
            moves.append(1 - x[o.id, o.unit] if (o.id, o.unit) in x else 1)
    count = {u.id: pulp.lpSum(at[u.id]) for u in org.staffed_units}
    for u in org.staffed_units:
        if u.closed:
            prob += count[u.id] <= 0
    if rules.unit_bounds:
        for u in org.staffed_units:
            if u.closed:
                continue
            if u.min_staff is not None:
                prob += count[u.id] >= u.min_staff
            if u.max_staff is not None:
                prob += count[u.id] <= u.max_staff
    if rules.staff_every_post:
        for u in org.posts:
            prob += count[u.id] >= 1
    for b in org.bureaus:
        units = org.units_of_bureau[b.id]
        force = pulp.lpSum(count[u.id] for u in units)
        station = pulp.lpSum(count[u.id] for u in units if u.kind.is_station_side)
        posts = pulp.lpSum(count[u.id] for u in units if u.kind is Kind.POST)
        if (rules.station_share is not None
                and getattr(rules.station_share, b.kind.value) is not None):
            t = Fraction(repr(getattr(rules.station_share, b.kind.value)))
            prob += t.denominator * station - t.numerator * force >= 0
        if rules.community_share is not None:
            t = Fraction(repr(rules.community_share))
            prob += t.denominator * posts - t.numerator * station >= 0
        budget = scenario.config.budget
        cap = budget.max_yuan.get(b.id) if isinstance(budget.max_yuan, dict) else budget.max_yuan
        if cap is not None:
            prob += budget.community_officer_yuan * posts <= cap
    if rules.daytime_duty is not None:
        for u in org.staffed_units:
            if u.kind is not Kind.STATION or u.closed:
                continue
            need = u.duty_min if u.duty_min is not None else (
                getattr(rules.daytime_duty, u.area) if u.area in ("urban", "rural") else None)
            if need:
                mine = [p.id for p in org.posts if p.parent == u.id] if u.area == "rural" else []
                prob += count[u.id] + pulp.lpSum(count[p] for p in mine) >= need
    prob.setObjective(pulp.lpSum(moves))
    built = time.perf_counter() - t0
    outcome = solve.run(prob, solver, time_limit)
    if not outcome.status.has_plan:
        return outcome.status, None, None, built, outcome.seconds
    final = {}
    for (oid, u), v in x.items():
        if (v.varValue or 0) > 0.5:
            final[oid] = u
    return outcome.status, round(outcome.objective), final, built, outcome.seconds
