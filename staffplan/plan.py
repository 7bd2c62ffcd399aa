"""Make a plan: build the model, solve it, choose who moves, and re-check the result.

The model decides, step by step, how many officers leave and arrive at each unit; this
module then picks the officers by fixed preferences, and hands every step's assignment to
the independent checker. A plan the checker rejects is a bug and is never returned. A plan
of several steps is also solved the year-by-year way, each step alone given the steps
before it, so the two figures can be compared.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import date

from staffplan import beside, solve
from staffplan.beside import Beside
from staffplan.check import carried_over, check_steps, merged
from staffplan.domain import Horizon, Kind, Organisation, Scenario, tenure_complete
from staffplan.errors import StaffplanError
from staffplan.i18n import kind_name, t
from staffplan.model import (
    Conflict,
    StaffingModel,
    build_model,
    placement,
    secondary_objective,
    tie_break,
)
from staffplan.moves import label as move_label
from staffplan.moves import move_kind
from staffplan.results import Myopic, Outcome, PlanResult, Status, StepPlan
from staffplan.rules import MODULE_BY_ID, enabled


class PlanCheckFailed(StaffplanError):
    """The solver's plan broke a rule: a bug in staffplan, never shown as a plan."""

    exit_code = 3


def make_plan(scenario: Scenario, solver: str = "highs", time_limit: float | None = None,
              progress: Callable[[str], None] | None = None, explain_why: bool = True,
              myopic: bool = True, published: dict | None = None) -> PlanResult:
    """Solve, choose the officers, re-check. ``explain_why=False`` skips the (slower)
    explanation of an impossible plan, for sweeps that only need to know it is impossible;
    ``myopic=False`` skips the year-by-year comparison of a plan of several steps.
    ``published``: officer -> {step: unit} of a published plan to keep to (``--keep``): the
    fewest officers whose unit at some step differs from it come first, then the fewest moves.

    When no rule ties the bureaus together (moves and recruits stay in their bureau at
    every step), each bureau is its own problem: they are solved one by one, and the sum of
    their proven minimums is the city's proven minimum."""
    say = progress or (lambda _msg: None)
    start = time.perf_counter()
    many = len(scenario.steps) > 1
    parts = independent_parts(scenario) or [scenario]
    alongside = None
    if many and myopic:
        say(t("g_myopic"))
        # Beside the plan, in a process of its own: it needs nothing the plan finds.
        alongside = Beside("the year-by-year comparison", _year_by_year_timed, scenario,
                           solver, time_limit)
    try:
        result = _planned(scenario, parts, solver, time_limit, say, explain_why, start,
                          published, alongside)
        result.seconds = time.perf_counter() - start
        return result
    finally:
        if alongside is not None:
            alongside.stop()


def _planned(scenario, parts, solver, time_limit, say, explain_why, start, published,
             alongside) -> PlanResult:
    many = len(scenario.steps) > 1
    later = scenario.horizon.later if scenario.horizon else []
    solved = _solve_parts(parts, solver, time_limit, say, explain_why, start, published)
    timings: dict[str, float] = defaultdict(float)
    for p in solved:
        for key, v in p.timings.items():
            timings[key] += v
    timings = dict(timings)
    outcome = _combined([p.outcome for p in solved if p.outcome is not None], solver)
    if any(not p.status.has_plan for p in solved):
        status, conflicts = _failure(parts, solved)
        return PlanResult(scenario, status, outcome, conflicts=conflicts, timings=timings,
                          later=later)
    finals = [dict() for _ in scenario.steps]
    reasons = [dict() for _ in scenario.steps]
    for p in solved:
        for k in range(len(finals)):
            finals[k].update(p.finals[k])
            reasons[k].update(p.reasons[k])
    fewest = sum(p.fewest for p in solved)
    t4 = time.perf_counter()
    reports = check_steps(scenario, finals)
    timings["check"] = time.perf_counter() - t4
    broken = [(k, v) for k, r in enumerate(reports) for v in r.violations]
    if broken:
        raise PlanCheckFailed(
            "internal error: the solver's plan fails the rule checker (this is a bug in "
            "staffplan; no plan was written):\n"
            + "\n".join(f"• {_at_step(scenario, k, f'{v.rule}: {v.message}', many)}"
                        for k, v in broken[:20]))
    total = sum(r.moves for r in reports)
    if outcome.status is Status.OPTIMAL and total != fewest:
        raise PlanCheckFailed(f"internal error: the model counts {fewest} moves, the checker "
                              f"{total} (this is a bug in staffplan; no plan was written)")
    changed = changes_from(scenario, published, finals) if published else []
    if published and outcome.status is Status.OPTIMAL:
        counted = sum(p.changed or 0 for p in solved)
        if counted != len({c[1] for c in changed}):
            raise PlanCheckFailed(f"internal error: the model keeps all but {counted} officers "
                                  f"to the published plan, the plan {len({c[1] for c in changed})}"
                                  " (this is a bug in staffplan; no plan was written)")
    steps = [StepPlan(s, f, why, r)
             for s, f, why, r in zip(carried_over(scenario, finals), finals, reasons, reports)]
    # One report for the whole plan: every step's findings, moves and approvals, the last
    # step's figures (one step: its own report).
    result = PlanResult(scenario, outcome.status, outcome, finals[0], reasons[0],
                        merged(scenario, reports), timings=timings, steps=steps, later=later,
                        published=published, changed=changed)
    if alongside is not None:
        result.myopic, timings["year_by_year"] = alongside.result()
    return result


def _year_by_year_timed(scenario, solver, time_limit) -> tuple[Myopic, float]:
    t0 = time.perf_counter()
    return year_by_year(scenario, solver, time_limit), time.perf_counter() - t0


@dataclass
class _Part:
    """One independent problem solved: its counts turned into officers, or why not."""

    status: Status
    outcome: Outcome | None
    timings: dict[str, float]
    finals: list[dict] = field(default_factory=list)
    reasons: list[dict] = field(default_factory=list)
    conflicts: list = field(default_factory=list)  # Conflict, or explanation lines
    fewest: int | None = None
    changed: int | None = None  # officers away from a published plan (--keep)


# Below this many officers, the parts are solved in this process: worker processes would
# cost more than they save.
PARALLEL_FROM = 4000


def _failure(parts: list[Scenario], solved: list[_Part]) -> tuple[Status, list[str]]:
    """The status and the explanation of parts of which some have no plan."""
    failed = [p for p in solved if not p.status.has_plan]
    status = Status.INFEASIBLE if any(p.status is Status.INFEASIBLE for p in failed) \
        else Status.NO_SOLUTION
    conflicts = []
    for part, p in zip(parts, solved):
        if p.status.has_plan:
            continue
        head = [t("x_in_bureau", bureau=part.organisation.bureaus[0].id)] \
            if len(parts) > 1 and len(failed) > 1 else []
        conflicts += head + [_at_step(part, c.step, c.message, len(part.steps) > 1)
                             if isinstance(c, Conflict) else c for c in p.conflicts]
    return status, conflicts


def _solve_parts(parts: list[Scenario], solver: str, time_limit: float | None, say,
                 explain_why: bool, start: float, published: dict | None = None,
                 count_only: bool = False) -> list[_Part]:
    """Solve each part, in worker processes (one per core) when there are many officers;
    the results in the parts' order, whatever order they finish in. ``count_only``: the
    fewest moves only, no officers chosen."""
    if len(parts) == 1:
        return [_solve(parts[0], solver, time_limit, say, explain_why, published, count_only)]
    officers = sum(len(s.officers) for p in parts for s in p.steps)
    workers = min(os.cpu_count() or 1, len(parts))
    solved: dict[int, _Part] = {}
    last = [start]

    def done(i: int, part: _Part) -> None:
        solved[i] = part
        if time.perf_counter() - last[0] > 2.0 or len(solved) == len(parts):
            last[0] = time.perf_counter()
            say(t("g_parts", done=f"{len(solved):,}", n=f"{len(parts):,}",
                  moves=f"{sum(p.fewest or 0 for p in solved.values()):,}"))

    def left() -> float | None:
        return None if time_limit is None else max(time_limit - (time.perf_counter() - start), 1.0)

    if workers > 1 and officers >= PARALLEL_FROM and not beside.IN_WORKER \
            and not multiprocessing.current_process().daemon:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context,
                                 initializer=beside.quiet_worker) as pool:
            futures = {pool.submit(_solve, p, solver, left(), None, explain_why, published,
                                   count_only): i
                       for i, p in enumerate(parts)}
            for future in as_completed(futures):
                done(futures[future], future.result())
    else:
        for i, p in enumerate(parts):
            done(i, _solve(p, solver, left(), None, explain_why, published, count_only))
            if solved[i].status is Status.INFEASIBLE and not explain_why:
                break
    return [solved[i] for i in sorted(solved)]


def _solve(scenario: Scenario, solver: str, time_limit: float | None, say, explain_why: bool,
           published: dict | None = None, count_only: bool = False) -> _Part:
    """Model, solve (fewest moves, then the preferences), choose the officers. With a
    published plan to keep to: first the fewest officers whose unit differs from it at some
    step, then the fewest moves, then the preferences."""
    say = say or (lambda _msg: None)
    t0 = time.perf_counter()
    say(t("g_building"))
    place = placement(scenario, published)
    if place.conflicts:
        return _Part(Status.INFEASIBLE, None, {"build": time.perf_counter() - t0},
                     conflicts=list(place.conflicts))
    model = build_model(scenario, place)
    keeping = bool(published)
    model.prob.setObjective(model.deviations if keeping else model.moves)
    t1 = time.perf_counter()
    say(t("g_solving", variables=f"{len(model.variables()):,}",
          constraints=f"{model.prob.numConstraints():,}", solver=solver))
    first = solve.run(model.prob, solver, time_limit, progress=say if say else None)
    timings = {"build": t1 - t0, "solve": first.seconds}
    if first.status is Status.INFEASIBLE:
        if not explain_why:
            return _Part(Status.INFEASIBLE, first, timings)
        say(t("g_relaxing"))
        t2 = time.perf_counter()
        from staffplan.diagnose import why_no_plan

        lines = why_no_plan(scenario, place, solver, time_limit)
        timings["explain"] = time.perf_counter() - t2
        return _Part(Status.INFEASIBLE, first, timings, conflicts=lines)
    if first.status is Status.NO_SOLUTION:
        return _Part(Status.NO_SOLUTION, first, timings, conflicts=[t("x_time_out")])
    changed = None
    if keeping:
        # The fewest officers away from the published plan, then the fewest moves.
        changed = round(first.objective)
        say(t("g_changed", n=f"{changed:,}"))
        left = None if time_limit is None else max(time_limit - first.seconds, 1.0)
        kept = first
        first = solve.run_again(model.prob, solver, left, objective=model.moves,
                                constraints=[model.deviations <= changed],
                                variables=model.variables())
        if kept.status is Status.FEASIBLE and first.status is Status.OPTIMAL:
            first.status = Status.FEASIBLE  # the first goal is not proven
        timings["solve"] += first.seconds
        if not first.status.has_plan:
            return _Part(first.status, first, timings, conflicts=[t("x_time_out")])
    # Second stage: among plans with this many moves, prefer the secondary preferences.
    fewest = round(first.objective)
    if count_only:
        return _Part(first.status, first, timings, fewest=fewest)
    say(t("g_fewest", moves=f"{fewest:,}", status=first.status.value))
    left = None if time_limit is None else max(time_limit - first.seconds, 1.0)
    secondary = secondary_objective(model, scenario)
    # Without HiGHS's presolve from here on: the start is already feasible, and presolving
    # cost more than it saved (100,000 officers, summed over 200 bureaus: this stage 1.6 s
    # -> 1.2 s, the last one 4.4 s -> 1.3 s, the same optima).
    second = solve.run_again(model.prob, solver, left, objective=secondary,
                             options={"presolve": "off"},
                             constraints=[model.moves <= fewest]
                             + ([model.deviations <= changed] if keeping else []),
                             variables=model.variables())
    timings["prefer"] = second.seconds
    if second.status is Status.OPTIMAL:
        # Last: one plan among equals, the same whichever solver found it.
        left = None if time_limit is None else max(time_limit - first.seconds - second.seconds,
                                                    1.0)
        held = [model.moves <= fewest, secondary <= round(second.objective)]
        last = solve.run_again(model.prob, solver, left, objective=tie_break(model),
                               constraints=held + ([model.deviations <= changed] if keeping
                                                   else []),
                               variables=model.variables())
        timings["prefer"] += last.seconds
    t3 = time.perf_counter()
    say(t("g_choosing"))
    finals, reasons = choose_officers(scenario, model)
    timings["assign"] = time.perf_counter() - t3
    return _Part(first.status, first, timings, finals, reasons, fewest=fewest, changed=changed)


def _combined(outcomes: list[Outcome], solver: str) -> Outcome:
    """The outcome of independent problems together: the worst status, summed figures."""
    if not outcomes:
        return Outcome(Status.INFEASIBLE, None, None, 0.0, solver)
    order = [Status.INFEASIBLE, Status.NO_SOLUTION, Status.FEASIBLE, Status.OPTIMAL]
    status = min((o.status for o in outcomes), key=order.index)
    has = status.has_plan

    def total(values):
        return None if any(v is None for v in values) else sum(values)

    return Outcome(status, total([o.objective for o in outcomes]) if has else None,
                   total([o.bound for o in outcomes]) if has else None,
                   sum(o.seconds for o in outcomes), outcomes[0].solver)


def independent_parts(scenario: Scenario) -> list[Scenario] | None:
    """The scenario split into one scenario per bureau, when nothing ties bureaus together at
    any step: moves stay in the bureau (stay_in_bureau), every recruit names their bureau,
    every borrowed officer's home is in their bureau. None when they are tied."""
    steps = scenario.steps
    org0 = steps[0].organisation
    if len(org0.bureaus) < 2 or not all(enabled("stay_in_bureau", s.config) for s in steps):
        return None
    everyone = scenario.horizon.officer_by_id if scenario.horizon else scenario.officer_by_id
    bureau_of: dict[str, str] = {}
    for o in everyone.values():
        if o.unit is None:
            if o.bureau is None:
                return None
            bureau_of[o.id] = o.bureau
            continue
        org = next(s.organisation for s in steps if o.unit in s.organisation)
        b = org.bureau_of(o.unit)
        if o.home_unit is not None and org.bureau_or_none(o.home_unit) != b:
            return None
        bureau_of[o.id] = b
    # Each step's units and officers by bureau, in their order (one pass, not one per bureau).
    units_by: list[dict[str, list]] = []
    officers_by: list[dict[str, list]] = []
    for s in steps:
        org = s.organisation
        units: dict[str, list] = defaultdict(list)
        for u in org.units.values():
            units[org.bureau_or_none(u.id)].append(u)  # a bureau is its own
        officers: dict[str, list] = defaultdict(list)
        for o in s.officers:
            officers[bureau_of[o.id]].append(o)
        units_by.append(units)
        officers_by.append(officers)
    parts = []
    for bureau in org0.bureaus:
        part_steps = [Scenario(s.config, Organisation(units_by[k][bureau.id]),
                               officers_by[k][bureau.id], s.provenance, s.source)
                      for k, s in enumerate(steps)]
        ids = {o.id for s in part_steps for o in s.officers}
        h = scenario.horizon
        horizon = Horizon(part_steps, {o: h.arrival[o] for o in ids} if h else {o: 0 for o in ids},
                          {o: h.leave[o] for o in ids} if h else {o: 1 for o in ids})
        for s in part_steps:
            s.horizon = horizon
        parts.append(part_steps[0])
    return parts


def changes_from(scenario: Scenario, published: dict, finals: list[dict]) -> list[tuple]:
    """(step date, officer, published unit, planned unit) for every officer on the roster at a
    step where the plan puts them elsewhere than the published plan did."""
    out = []
    for k, (step, final) in enumerate(zip(scenario.steps, finals)):
        for o in sorted(step.officers, key=lambda o: o.id):
            was = published.get(o.id, {})
            if k in was and was[k] != final.get(o.id):
                out.append((step.plan_date, o.id, was[k], final.get(o.id)))
    return out


def _at_step(scenario: Scenario, k: int, message: str, many: bool) -> str:
    return t("x_at_step", date=scenario.steps[k].plan_date.isoformat(), message=message) \
        if many else message


def year_by_year(scenario: Scenario, solver: str = "highs",
                 time_limit: float | None = None) -> Myopic:
    """Each step planned alone for its fewest moves, given the steps before it: the way a
    personnel office plans without looking ahead."""
    finals: list[dict] = []
    moves: list[int] = []
    for k in range(len(scenario.steps)):
        step = carried_over(scenario, finals)[k]
        alone = dataclasses.replace(step, horizon=None)
        if k == len(scenario.steps) - 1:  # no step after it: its fewest moves are enough
            parts = independent_parts(alone) or [alone]
            solved = _solve_parts(parts, solver, time_limit, lambda _msg: None, True,
                                  time.perf_counter(), count_only=True)
            if any(not p.status.has_plan for p in solved):
                return Myopic(moves, k, _failure(parts, solved)[1])
            return Myopic(moves + [sum(p.fewest for p in solved)])
        result = make_plan(alone, solver, time_limit, explain_why=True, myopic=False)
        if not result.status.has_plan:
            return Myopic(moves, k, result.conflicts)
        finals.append(result.final)
        moves.append(result.moves)
    return Myopic(moves)


# --- Who moves -----------------------------------------------------------------------------

_FAR = date(9999, 12, 31)


def leave_order(scenario: Scenario, unit_id: str, officer_ids: list[str],
                since: dict | None = None) -> list[str]:
    """Free officers of a unit in the order they are asked to move: at a post, those whose
    community tenure is complete before those moved early with approval, longest tenure
    first; elsewhere the longest-serving (earliest hired) first. Ties: officer id.
    ``since``: officers' post dates where a plan has changed them."""
    by_id = scenario.horizon.officer_by_id if scenario.horizon else scenario.officer_by_id
    years = scenario.rules.min_community_tenure_years or 0
    is_post = scenario.organisation[unit_id].kind is Kind.POST
    since = since or {}

    def key(oid):
        o = by_id[oid]
        if is_post:
            s = since.get(oid, o.community_since)
            done = s is not None and tenure_complete(s, scenario.plan_date, years)
            return (0 if done else 1, s or _FAR, oid)
        return (0, o.hired or _FAR, oid)

    return sorted(officer_ids, key=key)


def choose_officers(scenario: Scenario, model: StaffingModel) -> tuple[list[dict], list[dict]]:
    """Turn the model's counts into an assignment officer -> unit for every step, with a
    reason each, following each group of officers from step to step."""
    place = model.placement
    def ints(variables: dict) -> dict:
        return {key: round(solve.value(v)) for key, v in variables.items()}

    stays, arrivals, recruits = ints(model.stay), ints(model.arrive), ints(model.recruit)
    keeps = ints(model.keep)
    following: dict[int, list[str]] = {}  # path group -> officers still keeping to the plan
    members: dict[int, list[str]] = defaultdict(list)
    since: dict[str, date | None] = {}
    everyone = scenario.horizon.officer_by_id if scenario.horizon else scenario.officer_by_id
    finals: list[dict] = []
    reasons: list[dict] = []
    for k, step in enumerate(place.steps):
        s = step.scenario
        org = s.organisation
        final: dict[str, str | None] = {}
        why: dict[str, str] = {}
        for gi in list(members):
            members[gi] = [o for o in members[gi] if place.leave[o] > k]
        for g in place.groups:
            if k == 0:
                members[g.index].extend(g.members)
            members[g.index].extend(g.joiners.get(k, ()))
        for oid, (unit, rule) in place.pinned.items():
            if place.arrival[oid] <= k < place.leave[oid]:
                final[oid] = unit
                why[oid] = MODULE_BY_ID[rule].reason(s, everyone[oid])
        # Officers of a published plan (--keep): the first by id keep to it, as many as the
        # model says; the others join the officers where they stand (or the recruits).
        strays: dict[tuple, list[str]] = defaultdict(list)
        for c in place.paths:
            if not c.start <= k < c.leave:
                continue
            now = sorted(c.members) if k == c.start else following[c.index]
            n = keeps.get((c.index, k), 0)
            keep, stop = now[:n], now[n:]
            if c.fallback[k] == -1:
                strays[c.recruits].extend(stop)
            else:
                members[c.fallback[k]].extend(stop)
            was = c.loc[k - 1] if k > c.start else c.before
            for oid in keep:
                final[oid] = c.loc[k]
                if was is None:
                    why[oid] = t("r_recruit", kind=kind_name(org[c.loc[k]].kind.value),
                                 unit=c.loc[k])
                elif was != c.loc[k]:
                    why[oid] = _move_reason(s, was, c.loc[k])
                else:
                    why[oid] = t("r_stays")
                why[oid] += t("r_as_published")
                if was != c.loc[k]:
                    since[oid] = (s.plan_date if org[c.loc[k]].kind is Kind.POST else None)
            following[c.index] = keep
        movers: dict[tuple[str, int], list[tuple[str, str]]] = defaultdict(list)
        held_by = step.keeps[0][0] if step.keeps else None
        for g in place.groups:
            ms = members.get(g.index)
            if not ms:
                continue
            if (g.index, k) not in model.stay:
                for oid in ms:
                    final[oid] = g.unit
                    if g.held[k] and held_by:
                        o = dataclasses.replace(everyone[oid], community_since=since.get(
                            oid, everyone[oid].community_since))
                        why[oid] = MODULE_BY_ID[held_by].reason(s, o)
                    else:
                        why[oid] = t("r_stays")
                continue
            stay = stays[(g.index, k)]
            ordered = leave_order(s, g.unit, ms, since)
            n_leave = len(ordered) - stay
            if not 0 <= n_leave <= len(ordered):
                raise PlanCheckFailed(f"internal error: group {g.index} at step {k} has "
                                      f"{len(ordered)} officers, the model keeps {stay}")
            leaving, staying = ordered[:n_leave], ordered[n_leave:]
            for oid in staying:
                final[oid] = g.unit
                why[oid] = t("r_stays")
            members[g.index] = staying
            movers[(step.pool_of(g.unit), g.leave)].extend((oid, g.unit) for oid in leaving)
            if leaving and staying:
                for oid in leaving:
                    why[oid] = _why_chosen(s, everyone[oid], g.unit, since)
        slots: dict[tuple[str, int], list[str]] = defaultdict(list)
        for (uid, L, _k), n in sorted(((key, n) for key, n in arrivals.items() if key[2] == k),
                                      key=lambda x: (org.order[x[0][0]], x[0][1])):
            slots[(step.pool_of(uid), L)].extend([uid] * n)
        for key, ms in movers.items():
            for oid, src, dst in _match(s, ms, slots.get(key, [])):
                chosen = why.get(oid)
                final[oid] = dst
                why[oid] = _move_reason(s, src, dst) + (t("t_list_sep") + chosen if chosen else "")
                _join(model, members, since, s, oid, dst, key[1], k)
        _place_recruits(model, recruits, step, k, final, why, members, since, strays)
        if k == 0:  # officers a rule sends somewhere (borrowed officers going home)
            for oid, (unit, rule) in place.sent.items():
                final[oid] = unit
                why[oid] = MODULE_BY_ID[rule].reason(s, everyone[oid])
                _join(model, members, since, s, oid, unit, place.leave[oid], k)
        finals.append(final)
        reasons.append(why)
    return finals, reasons


def _join(model, members, since, s: Scenario, oid: str, unit: str, L: int, k: int) -> None:
    """An officer arriving at ``unit`` at step ``k`` joins the group the model put them in."""
    members[model.target[(unit, L, k)]].append(oid)
    since[oid] = s.plan_date if s.organisation[unit].kind is Kind.POST else None


def _why_chosen(s: Scenario, o, unit: str, since: dict) -> str:
    at = since.get(o.id, o.community_since)
    if s.organisation[unit].kind is Kind.POST and at is not None:
        why = t("r_longest_tenure", since=at.isoformat())
    elif o.hired is not None:
        why = t("r_longest", hired=o.hired.isoformat())
    else:
        why = t("r_by_id")
    return t("r_chosen", unit=unit, why=why)


def _match(scenario, movers, slots) -> list[tuple[str, str, str]]:
    """Fill slots with movers: first within the same station (a station and its posts), then
    headquarters' slots with headquarters' movers (stations lend no officers to
    headquarters: the model's counts leave enough of them), then in roster order."""
    org = scenario.organisation
    if len(movers) != len(slots):
        raise PlanCheckFailed(f"internal error: {len(movers)} movers for {len(slots)} places")
    out = []
    by_station: dict[str, list[int]] = {}
    for i in range(len(slots) - 1, -1, -1):
        st = org.station_of(slots[i])
        if st is not None:
            by_station.setdefault(st, []).append(i)  # reversed: pop() gives the first slot
    taken = [False] * len(slots)
    rest = []
    for oid, src in movers:
        family = by_station.get(org.station_of(src) or "")
        while family and taken[family[-1]]:
            family.pop()
        if family:
            i = family.pop()
            taken[i] = True
            out.append((oid, src, slots[i]))
        else:
            rest.append((oid, src))
    remaining = [d for i, d in enumerate(slots) if not taken[i]]
    at_hq = [d for d in remaining if org[d].kind is Kind.HQ]
    from_hq = [(oid, src) for oid, src in rest if org[src].kind is Kind.HQ]
    pairs = list(zip(from_hq, at_hq))
    paired = {oid for (oid, _), _ in pairs}
    others = [m for m in rest if m[0] not in paired]
    pairs += zip(others, [d for d in remaining if org[d].kind is not Kind.HQ] + at_hq[len(pairs):])
    out += [(oid, src, dst) for (oid, src), dst in pairs]
    return out


def _move_reason(scenario, src, dst) -> str:
    org = scenario.organisation
    k_src, k_dst = org[src].kind, org[dst].kind
    bureau = org.bureau_of(dst)
    if k_dst is Kind.POST:
        why = t("r_to_post", unit=dst)
    elif k_dst is Kind.STATION and k_src is Kind.HQ:
        why = t("r_hq_to_station", unit=dst, bureau=bureau)
    elif k_dst is Kind.STATION:
        why = t("r_to_station", unit=dst, bureau=bureau)
    else:
        why = t("r_to_hq", unit=dst, bureau=bureau)
    if org[src].closed:
        why = t("r_closes", unit=src, why=why)
    return t("r_move", kind=move_label(move_kind(k_src.value, k_dst.value)), why=why)


def _place_recruits(model, value: dict, step, k, final, why, members, since,
                    strays: dict | None = None) -> None:
    by_scope = {key: ids + (strays or {}).get(key, [])
                for key, ids in model.placement.recruits[k].items()}
    if not by_scope:
        return
    s = step.scenario
    org = s.organisation
    for L in sorted({L for _, L in by_scope}):
        slots: dict[str, list[str]] = {}
        for (uid, _L, _k), n in sorted(((key, n) for key, n in value.items()
                                        if key[1] == L and key[2] == k),
                                       key=lambda x: org.order[x[0][0]]):
            slots.setdefault(org.bureau_of(uid), []).extend([uid] * n)
        placed = []
        for b in org.bureaus:
            own = sorted(by_scope.get((b.id, L), []))
            queue = slots.get(b.id, [])
            placed += zip(own, queue)
            slots[b.id] = queue[len(own):]
        rest = [u for b in org.bureaus for u in slots.get(b.id, [])]
        placed += zip(sorted(by_scope.get((None, L), [])), rest)
        for oid, dst in placed:
            final[oid] = dst
            why[oid] = t("r_recruit", kind=kind_name(org[dst].kind.value), unit=dst)
            _join(model, members, since, s, oid, dst, L, k)
