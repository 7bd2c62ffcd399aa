"""Make a plan: build the model, solve it, choose who moves, and re-check the result.

The model decides, step by step, how many officers leave and arrive at each unit; this
module then picks the officers by fixed preferences, and hands every step's assignment to
the independent checker. A plan the checker rejects is a bug and is never returned. A plan
of several steps is also solved the year-by-year way, each step alone given the steps
before it, so the two figures can be compared.
"""

from __future__ import annotations

import dataclasses
import time
from collections import defaultdict
from datetime import date
from typing import Callable

from staffplan import solve
from staffplan.check import carried_over, check_steps
from staffplan.domain import Kind, Scenario, tenure_complete
from staffplan.errors import StaffplanError
from staffplan.i18n import kind_name, t
from staffplan.model import StaffingModel, build_model, placement, secondary_objective
from staffplan.results import Myopic, PlanResult, Status, StepPlan
from staffplan.rules import MODULE_BY_ID


class PlanCheckFailed(StaffplanError):
    """The solver's plan broke a rule: a bug in staffplan, never shown as a plan."""

    exit_code = 3


def make_plan(scenario: Scenario, solver: str = "highs", time_limit: float | None = None,
              progress: Callable[[str], None] | None = None, explain_why: bool = True,
              myopic: bool = True) -> PlanResult:
    """Solve, choose the officers, re-check. ``explain_why=False`` skips the (slower)
    explanation of an impossible plan, for sweeps that only need to know it is impossible;
    ``myopic=False`` skips the year-by-year comparison of a plan of several steps."""
    say = progress or (lambda _msg: None)
    t0 = time.perf_counter()
    say(t("p_building"))
    place = placement(scenario)
    many = len(place.steps) > 1
    later = scenario.horizon.later if scenario.horizon else []
    if place.conflicts:
        return PlanResult(scenario, Status.INFEASIBLE, None,
                          conflicts=[_at_step(scenario, c.step, c.message, many)
                                     for c in place.conflicts],
                          timings={"build": time.perf_counter() - t0}, later=later)
    model = build_model(scenario, place)
    model.prob.setObjective(model.moves)
    t1 = time.perf_counter()
    say(t("p_solving", variables=len(model.variables()), rows=model.prob.numConstraints(),
          solver=solver))
    first = solve.run(model.prob, solver, time_limit, progress=progress)
    timings = {"build": t1 - t0, "solve": first.seconds}
    if first.status is Status.INFEASIBLE:
        if not explain_why:
            return PlanResult(scenario, Status.INFEASIBLE, first, timings=timings, later=later)
        say(t("p_relaxing"))
        t2 = time.perf_counter()
        from staffplan.diagnose import why_no_plan

        conflicts = why_no_plan(scenario, place, solver, time_limit)
        timings["explain"] = time.perf_counter() - t2
        return PlanResult(scenario, Status.INFEASIBLE, first, conflicts=conflicts,
                          timings=timings, later=later)
    if first.status is Status.NO_SOLUTION:
        return PlanResult(scenario, Status.NO_SOLUTION, first, timings=timings,
                          conflicts=[t("x_time_out")], later=later)
    # Second stage: among plans with this many moves, prefer the secondary preferences.
    fewest = round(first.objective)
    say(t("p_fewest", moves=fewest, status=first.status.value))
    left = None if time_limit is None else max(time_limit - first.seconds, 1.0)
    second = solve.run_again(model.prob, solver, left,
                             objective=secondary_objective(model, scenario),
                             constraints=[model.moves <= fewest],
                             variables=model.variables())
    timings["prefer"] = second.seconds
    t3 = time.perf_counter()
    say(t("p_choosing"))
    finals, reasons = choose_officers(scenario, model)
    timings["assign"] = time.perf_counter() - t3
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
    if first.status is Status.OPTIMAL and total != fewest:
        raise PlanCheckFailed(f"internal error: the model counts {fewest} moves, the checker "
                              f"{total} (this is a bug in staffplan; no plan was written)")
    steps = [StepPlan(s, f, why, r)
             for s, f, why, r in zip(carried_over(scenario, finals), finals, reasons, reports)]
    result = PlanResult(scenario, first.status, first, finals[0], reasons[0], reports[0],
                        timings=timings, steps=steps, later=later)
    if many and myopic:
        say(t("p_myopic"))
        t5 = time.perf_counter()
        result.myopic = year_by_year(scenario, solver, time_limit)
        timings["year_by_year"] = time.perf_counter() - t5
    return result


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
        for (uid, L, kk), n in sorted(((key, n) for key, n in arrivals.items() if key[2] == k),
                                      key=lambda x: (org.order[x[0][0]], x[0][1])):
            slots[(step.pool_of(uid), L)].extend([uid] * n)
        for key, ms in movers.items():
            for oid, src, dst in _match(s, ms, slots.get(key, [])):
                chosen = why.get(oid)
                final[oid] = dst
                why[oid] = _move_reason(s, src, dst) + (f"; {chosen}" if chosen else "")
                _join(model, members, since, s, oid, dst, key[1], k)
        _place_recruits(model, recruits, step, k, final, why, members, since)
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
        return t("r_chosen", unit=unit, why=o.id)
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
    return t("r_move", src=kind_name(k_src.value), dst=kind_name(k_dst.value), why=why)


def _place_recruits(model, value: dict, step, k, final, why, members, since) -> None:
    by_scope = model.placement.recruits[k]
    if not by_scope:
        return
    s = step.scenario
    org = s.organisation
    for L in sorted({L for _, L in by_scope}):
        slots: dict[str, list[str]] = {}
        for (uid, LL, kk), n in sorted(((key, n) for key, n in value.items()
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
