"""The obvious model of a plan over several steps (issue 12), kept as a baseline for the
property test and the benchmark (not part of the package, and built without looking at
``staffplan.model``).

Variables, for every officer o on the roster at step k (``horizon.arrival[o] <= k <
horizon.leave[o]``) and every unit u o may end step k at:

- ``x[o, u, k]`` (binary): o ends step k at u. Exactly one unit per officer per step.
- ``m[o, k]`` (continuous, >= 0): o moves at step k, for k after o's arrival:
  ``m[o, k] >= x[o, u, k-1] - x[o, u, k]`` for every u. Minimising makes it 1 exactly when
  the unit changes. At the arrival step an existing officer moves when ``x[o, o.unit, a]``
  is 0 (``1 - x``); placing a recruit is no move.
- ``arr[o, p, j]`` (binary): o arrives at post p at step j (placed there as a recruit, or
  from any other unit): ``arr >= x[o, p, j] - x[o, p, j-1]`` (at the arrival step the unit
  before is o's roster unit). Only made where the arrival could hold o at p later.

Tenure (rule ``min_community_tenure``, judged at step k with step k's minimum ``Y_k``, years
counted on the calendar to step k's date as the checker counts them). An officer at post p
before step k, p not closed at step k, with fewer than ``Y_k`` full years there and no
approval, ends step k at p. Their date at p is one of:

- (A) they have never moved since they joined the roster and p is their roster unit: the
  roster's ``community_since``, and their approval (``move_approved``) still holds. If not
  approved and short of ``Y_k`` years:
  ``x[o, p, k] >= sum_{i=a..k-1} x[o, p, i] - (k - 1 - a)``;
- (B) they arrived at p at step j < k (so any approval is used up) and stayed: step j's
  date. If ``date_j`` to ``date_k`` is short of ``Y_k`` full years:
  ``x[o, p, k] >= arr[o, p, j] + sum_{i=j+1..k-1} x[o, p, i] - (k - 1 - j)``.

The right-hand sides are 1 exactly when the officer's history is that case, else <= 0.
``arr`` is bounded from below only: a larger value only adds holds, never frees an officer,
so the minimum is unchanged and every plan found still meets the real rule.

Every other rule holds at every step, on the step's roster after its moves, with the step's
rules: counts per unit (``sum_o x[o, u, k]``) for posts staffed, shares, bounds, daytime
duty, the budget; per officer, with the unit before the step given by ``x[., ., k-1]`` (or
the roster at the arrival step): pinned, borrowed officers back home at step 0, recruits not
to headquarters, no moves from stations or posts into headquarters, moves within the bureau.
Closed units are not offered. Facts known before solving shrink the units offered (a pinned
officer's one unit, a bureau kept by ``stay_in_bureau`` at every step so far, ...); the
rest are rows.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

import pulp

from staffplan import solve
from staffplan.domain import Kind, Officer, Scenario
from staffplan.results import Status


def full_years(since: date, on: date) -> int:
    """Full years from ``since`` to ``on`` on the calendar (a birthday-style count)."""
    years = on.year - since.year
    if (on.month, on.day) < (since.month, since.day):
        years -= 1
    return years


@dataclass
class HorizonBaseline:
    status: Status
    moves: int | None
    finals: list[dict[str, str]] | None  # per step: officer on the roster -> unit
    build_s: float = 0.0
    solve_s: float = 0.0
    variables: int = 0
    rows: int = 0
    why: str = ""  # a reason found before solving (an officer with no unit to go to)
    moves_by_step: list[int] = field(default_factory=list)
    gap: float | None = None  # relative gap of a plan found before the time limit's proof


def _share(value) -> Fraction | None:
    return None if value is None else Fraction(str(value))


def _lin(pairs) -> pulp.LpAffineExpression:
    return pulp.LpAffineExpression(pairs)


class _Horizon:
    """Who is on the roster when, and what they bring, read from the scenario."""

    def __init__(self, scenario: Scenario):
        self.steps = scenario.steps
        self.dates = [s.plan_date for s in self.steps]
        h = scenario.horizon
        if h is None:
            self.first = {o.id: o for o in scenario.officers}
            self.arrival = {o: 0 for o in self.first}
            self.leave = {o: 1 for o in self.first}
        else:
            self.first = {}
            for s in self.steps:  # an officer as they join the roster
                for o in s.officers:
                    self.first.setdefault(o.id, o)
            self.arrival = {o: h.arrival[o] for o in self.first}
            self.leave = {o: h.leave[o] for o in self.first}
        # The step's own view of each officer (a borrowed officer's home unit at step 0 only).
        self.at_step = [{o.id: o for o in s.officers} for s in self.steps]

    def present(self, oid: str) -> range:
        return range(self.arrival[oid], self.leave[oid])


def tenure_years(step: Scenario) -> int | None:
    return step.rules.min_community_tenure_years


def _domains(H: _Horizon) -> dict[tuple[str, int], list[str]] | str:
    """The units each officer may end each step at, from facts known before solving; or why
    an officer has none."""
    out: dict[tuple[str, int], list[str]] = {}
    for oid, o in H.first.items():
        steps = H.present(oid)
        if not steps:
            continue
        a = steps.start
        origin = None
        if o.unit is not None:
            origin = H.steps[a].organisation.bureau_of(o.unit)
        elif o.bureau is not None:
            origin = o.bureau
        keep_bureau = origin is not None
        for k in steps:
            s = H.steps[k]
            org, rules = s.organisation, s.rules
            units = [u.id for u in org.staffed_units if not u.closed]
            if o.pinned and o.unit is not None:
                units = [u for u in units if u == o.unit]
            home = H.at_step[k][oid].home_unit
            if home is not None and rules.return_borrowed:
                units = [u for u in units if u == home]
            keep_bureau = keep_bureau and bool(rules.stay_in_bureau)
            if keep_bureau:
                units = [u for u in units if org.bureau_of(u) == origin]
            if k == a:
                if o.unit is None and rules.new_hires_to_stations:
                    units = [u for u in units if org[u].kind.is_station_side]
                if (o.unit is not None and rules.no_borrowing_from_stations
                        and org[o.unit].kind.is_station_side):
                    units = [u for u in units if org[u].kind is not Kind.HQ]
                if _held_at_start(H, o, k):
                    units = [u for u in units if u == o.unit]
            elif rules.no_borrowing_from_stations and all(
                    org[u].kind.is_station_side for u in out[oid, k - 1]):
                units = [u for u in units if org[u].kind is not Kind.HQ]
            if not units:
                return f"officer {oid} has no unit to end step {k} ({s.plan_date}) at"
            out[oid, k] = units
    return out


def _held_at_start(H: _Horizon, o: Officer, k: int) -> bool:
    """Case (A): would the tenure rule hold o at their roster post at step k, had they never
    moved?"""
    s = H.steps[k]
    years = tenure_years(s)
    if years is None or o.unit is None or o.community_since is None or o.move_approved:
        return False
    unit = s.organisation[o.unit]
    if unit.kind is not Kind.POST or unit.closed:
        return False
    return full_years(o.community_since, s.plan_date) < years


def solve_horizon_baseline(scenario: Scenario, solver: str = "highs",
                           time_limit: float | None = None,
                           deadline: float | None = None) -> HorizonBaseline:
    """The fewest moves over every step of ``scenario`` (a plain scenario is one step).
    ``time_limit``: seconds for the solver; ``deadline``: a ``time.perf_counter()`` by which
    the solver stops (the time left after building, at least a second)."""
    t0 = time.perf_counter()
    H = _Horizon(scenario)
    T = len(H.steps)
    dom = _domains(H)
    if isinstance(dom, str):
        return HorizonBaseline(Status.INFEASIBLE, None, None, time.perf_counter() - t0, why=dom)
    prob = pulp.LpProblem("baseline_horizon", pulp.LpMinimize)
    x: dict[tuple[str, str, int], pulp.LpVariable] = {}
    count: list[dict[str, list]] = [defaultdict(list) for _ in range(T)]
    serial = {oid: n for n, oid in enumerate(H.first)}
    unit_no = {}
    for s in H.steps:
        for u in s.organisation.staffed_units:
            unit_no.setdefault(u.id, len(unit_no))

    def X(oid: str, u: str | None, k: int):
        """x[o, u, k], or 0 where u is not offered (None: not on the roster)."""
        return x.get((oid, u, k), 0)

    moves: list = []  # (step, expression)
    rows = []
    for (oid, k), units in dom.items():
        n = serial[oid]
        for u in units:
            v = prob.add_variable(f"x_{n}_{unit_no[u]}_{k}", 0, 1, pulp.LpInteger)
            x[oid, u, k] = v
            count[k][u].append(v)
        rows.append(_lin([(x[oid, u, k], 1) for u in units]) == 1)

    for oid, o in H.first.items():
        steps = H.present(oid)
        if not steps:
            continue
        n, a = serial[oid], steps.start
        # Moves.
        if o.unit is not None:
            moves.append((a, 1 - X(oid, o.unit, a)))
        for k in steps[1:]:
            before, now = dom[oid, k - 1], dom[oid, k]
            if len(before) == 1 and before == now:
                continue
            m = prob.add_variable(f"m_{n}_{k}", 0, 1, pulp.LpContinuous)
            moves.append((k, m))
            for u in before:
                rows.append(m - x[oid, u, k - 1] + X(oid, u, k) >= 0)
        # Rules between the unit before a step and the unit after it, past the arrival step
        # (at the arrival step the unit before is a constant: the domains took care of it).
        for k in steps[1:]:
            s = H.steps[k]
            org, rules = s.organisation, s.rules
            before, now = dom[oid, k - 1], dom[oid, k]
            if rules.stay_in_bureau:
                b_before = {org.bureau_of(u) for u in before}
                b_now = {org.bureau_of(u) for u in now}
                if len(b_before | b_now) > 1:
                    for b in b_before:
                        rows.append(_lin([(x[oid, u, k], 1) for u in now if org.bureau_of(u) == b]
                                         + [(x[oid, u, k - 1], -1) for u in before
                                            if org.bureau_of(u) == b]) >= 0)
            if rules.no_borrowing_from_stations:
                hq = [u for u in now if org[u].kind is Kind.HQ]
                side = [u for u in before if org[u].kind.is_station_side]
                if hq and side:
                    rows.append(_lin([(x[oid, u, k], 1) for u in hq]
                                     + [(x[oid, u, k - 1], 1) for u in side]) <= 1)
        _tenure(prob, H, dom, x, X, oid, o, n, unit_no, rows)

    for k, s in enumerate(H.steps):
        _counts(s, count[k], rows)
    for i, r in enumerate(rows):
        if isinstance(r, pulp.LpConstraint) and len(r):
            prob.addConstraint(r, f"r{i}")
        elif not (r.valid() if isinstance(r, pulp.LpConstraint) else r):
            # a row without variables: a rule broken whatever the plan (an empty post)
            return HorizonBaseline(Status.INFEASIBLE, None, None, time.perf_counter() - t0,
                                   why="a rule fails whatever the plan")
    prob.setObjective(pulp.lpSum(e for _, e in moves))
    built = time.perf_counter() - t0
    if deadline is not None:
        left = max(deadline - time.perf_counter(), 1.0)
        time_limit = left if time_limit is None else min(time_limit, left)
    outcome = solve.run(prob, solver, time_limit)
    out = HorizonBaseline(outcome.status, None, None, built, outcome.seconds,
                          len(prob.variables()), len(prob.constraints()), gap=outcome.gap)
    if not outcome.status.has_plan:
        return out
    finals: list[dict[str, str]] = [{} for _ in range(T)]
    for (oid, u, k), v in x.items():
        if (v.varValue or 0) > 0.5:
            finals[k][oid] = u
    out.finals = finals
    out.moves = round(outcome.objective)
    by_step = [0] * T
    for k, e in moves:
        by_step[k] += round(pulp.value(e)) if not isinstance(e, (int, float)) else round(e)
    out.moves_by_step = by_step
    return out


def _tenure(prob, H: _Horizon, dom, x, X, oid: str, o: Officer, n: int, unit_no, rows) -> None:
    """The minimum community tenure, cases (A) and (B) of the module docstring."""
    steps = H.present(oid)
    a = steps.start
    # (A): never moved since joining, at the roster post, no approval.
    for k in steps[1:]:
        if _held_at_start(H, o, k):
            if any((oid, o.unit, i) not in x for i in range(a, k)):
                continue  # they cannot have stayed there: nothing to hold
            rows.append(X(oid, o.unit, k) - _lin([(x[oid, o.unit, i], 1) for i in range(a, k)])
                        >= -(k - 1 - a))
    # (B): arrived at post p at step j, stayed to step k-1, short of step k's minimum.
    for j in steps[:-1]:
        for p in dom[oid, j]:
            if H.steps[j].organisation[p].kind is not Kind.POST:
                continue
            if j == a and p == o.unit:
                continue  # on the roster there: no arrival
            holds = []
            for k in range(j + 1, steps.stop):
                s = H.steps[k]
                years = tenure_years(s)
                if years is None or s.organisation[p].closed:
                    continue
                if full_years(H.dates[j], H.dates[k]) >= years:
                    continue
                if any((oid, p, i) not in x for i in range(j + 1, k)):
                    continue  # they cannot have stayed there to step k
                holds.append(k)
            if not holds:
                continue
            arr = prob.add_variable(f"arr_{n}_{unit_no[p]}_{j}", 0, 1, pulp.LpInteger)
            before = (1 if o.unit == p else 0) if j == a else X(oid, p, j - 1)
            rows.append(arr - x[oid, p, j] + before >= 0)
            for k in holds:
                stayed = _lin([(x[oid, p, i], 1) for i in range(j + 1, k)])
                rows.append(X(oid, p, k) - arr - stayed >= -(k - 1 - j))


def _counts(s: Scenario, at: dict[str, list], rows: list) -> None:
    """The rules on counts, for one step."""
    org, rules, budget = s.organisation, s.rules, s.config.budget

    def c(uid: str):
        return _lin([(v, 1) for v in at.get(uid, ())])

    open_units = [u for u in org.staffed_units if not u.closed]
    if rules.staff_every_post:
        for u in open_units:
            if u.kind is Kind.POST:
                rows.append(c(u.id) >= 1)
    if rules.unit_bounds:
        for u in open_units:
            if u.min_staff is not None:
                rows.append(c(u.id) >= u.min_staff)
            if u.max_staff is not None:
                rows.append(c(u.id) <= u.max_staff)
    if rules.daytime_duty is not None:
        for u in open_units:
            if u.kind is not Kind.STATION:
                continue
            need = u.duty_min
            if need is None and u.area in ("urban", "rural"):
                need = getattr(rules.daytime_duty, u.area)
            if not need:
                continue
            mine = [u.id]
            if u.area == "rural":
                mine += [p.id for p in open_units if p.kind is Kind.POST and p.parent == u.id]
            rows.append(pulp.lpSum(c(w) for w in mine) >= need)
    cap = budget.max_yuan
    for b in org.bureaus:
        units = org.units_of_bureau[b.id]
        force = pulp.lpSum(c(u.id) for u in units)
        station = pulp.lpSum(c(u.id) for u in units if u.kind.is_station_side)
        posts = pulp.lpSum(c(u.id) for u in units if u.kind is Kind.POST)
        if rules.station_share is not None:
            t = _share(getattr(rules.station_share, b.kind.value))
            if t is not None:
                rows.append(t.denominator * station - t.numerator * force >= 0)
        t = _share(rules.community_share)
        if t is not None:
            rows.append(t.denominator * posts - t.numerator * station >= 0)
        mine = cap.get(b.id) if isinstance(cap, dict) else cap
        if mine is not None:
            rows.append(budget.community_officer_yuan * posts <= mine)
