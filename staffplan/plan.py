"""Make a plan: build the model, solve it, choose who moves, and re-check the result.

The model decides how many officers leave and arrive at each unit; this module then picks
the officers by fixed preferences, and hands the assignment to the independent checker. A
plan the checker rejects is a bug and is never returned.
"""

from __future__ import annotations

import time
from datetime import date
from typing import Callable

from staffplan import solve
from staffplan.check import check
from staffplan.domain import Kind, Scenario, tenure_complete
from staffplan.errors import StaffplanError
from staffplan.i18n import kind_name, t
from staffplan.model import Placement, StaffingModel, build_model, placement, secondary_objective
from staffplan.moves import label as move_label, move_kind
from staffplan.results import PlanResult, Status
from staffplan.rules import MODULE_BY_ID


class PlanCheckFailed(StaffplanError):
    """The solver's plan broke a rule: a bug in staffplan, never shown as a plan."""

    exit_code = 3


def make_plan(scenario: Scenario, solver: str = "highs", time_limit: float | None = None,
              progress: Callable[[str], None] | None = None, explain_why: bool = True) -> PlanResult:
    """Solve, choose the officers, re-check. ``explain_why=False`` skips the (slower)
    explanation of an impossible plan, for sweeps that only need to know it is impossible."""
    say = progress or (lambda _msg: None)
    t0 = time.perf_counter()
    say(t("g_building"))
    place = placement(scenario)
    if place.conflicts:
        return PlanResult(scenario, Status.INFEASIBLE, None,
                          conflicts=[c.message for c in place.conflicts],
                          timings={"build": time.perf_counter() - t0})
    model = build_model(scenario, place)
    model.prob.setObjective(model.moves)
    t1 = time.perf_counter()
    say(t("g_solving", variables=f"{len(model.variables()):,}",
          constraints=f"{model.prob.numConstraints():,}", solver=solver))
    first = solve.run(model.prob, solver, time_limit, progress=progress)
    timings = {"build": t1 - t0, "solve": first.seconds}
    if first.status is Status.INFEASIBLE:
        if not explain_why:
            return PlanResult(scenario, Status.INFEASIBLE, first, timings=timings)
        say(t("g_relaxing"))
        t2 = time.perf_counter()
        from staffplan.diagnose import why_no_plan

        conflicts = why_no_plan(scenario, place, solver, time_limit)
        timings["explain"] = time.perf_counter() - t2
        return PlanResult(scenario, Status.INFEASIBLE, first, conflicts=conflicts, timings=timings)
    if first.status is Status.NO_SOLUTION:
        return PlanResult(scenario, Status.NO_SOLUTION, first, timings=timings,
                          conflicts=[t("x_time_out")])
    counts = counts_of(model)
    # Second stage: among plans with this many moves, prefer the secondary preferences.
    fewest = round(first.objective)
    say(t("g_fewest", moves=f"{fewest:,}", status=first.status.value))
    left = None if time_limit is None else max(time_limit - first.seconds, 1.0)
    second = solve.run_again(model.prob, solver, left,
                             objective=secondary_objective(model, scenario),
                             constraints=[model.moves <= fewest],
                             variables=model.variables())
    timings["prefer"] = second.seconds
    if second.status.has_plan:
        counts = counts_of(model)
    t3 = time.perf_counter()
    say(t("g_choosing"))
    final, reasons = choose_officers(scenario, model.placement, counts)
    timings["assign"] = time.perf_counter() - t3
    t4 = time.perf_counter()
    report = check(scenario, final)
    timings["check"] = time.perf_counter() - t4
    if not report.ok:
        raise PlanCheckFailed(
            "internal error: the solver's plan fails the rule checker (this is a bug in "
            "staffplan; no plan was written):\n"
            + "\n".join(f"• {v.rule}: {v.message}" for v in report.violations[:20]))
    if first.status is Status.OPTIMAL and report.moves != fewest:
        raise PlanCheckFailed(f"internal error: the model counts {fewest} moves, the checker "
                              f"{report.moves} (this is a bug in staffplan; no plan was written)")
    return PlanResult(scenario, first.status, first, final, reasons, report, timings=timings)


def counts_of(model: StaffingModel) -> dict[str, dict[str, int]]:
    def ints(d):
        return {k: int(round(v.varValue or 0)) for k, v in d.items()}

    return {"stay": ints(model.stay), "arrive": ints(model.arrive),
            "recruit": ints(model.recruit), "unbound": ints(model.unbound)}


# --- Who moves -----------------------------------------------------------------------------

_FAR = date(9999, 12, 31)


def leave_order(scenario: Scenario, unit_id: str, officer_ids: list[str]) -> list[str]:
    """Free officers of a unit in the order they are asked to move: at a post, those whose
    community tenure is complete before those moved early with approval, longest tenure
    first; elsewhere the longest-serving (earliest hired) first. Ties: officer id."""
    by_id = scenario.officer_by_id
    years = scenario.rules.min_community_tenure_years or 0
    is_post = scenario.organisation[unit_id].kind is Kind.POST

    def key(oid):
        o = by_id[oid]
        if is_post:
            since = o.community_since or _FAR
            done = o.community_since is not None and tenure_complete(since, scenario.plan_date, years)
            return (0 if done else 1, since, oid)
        return (0, o.hired or _FAR, oid)

    return sorted(officer_ids, key=key)


def choose_officers(scenario: Scenario, place: Placement, counts) -> tuple[dict, dict]:
    """Turn the model's counts into an assignment officer -> unit, with a reason each."""
    org = scenario.organisation
    final: dict[str, str | None] = {}
    reasons: dict[str, str] = {}
    for oid, unit in place.fixed.items():
        final[oid] = unit
        reasons[oid] = MODULE_BY_ID[place.held_by[oid]].reason(scenario, scenario.officer_by_id[oid])
    arrive = dict(counts["arrive"])
    stay = dict(counts["stay"])
    # A unit that both sends and receives free officers of one pool gains nothing: net it out.
    for u in list(stay):
        back = min(len(place.free[u]) - stay[u], arrive.get(u, 0))
        if back:
            stay[u] += back
            arrive[u] -= back
    movers: dict[str, list[tuple[str, str]]] = {}  # pool -> [(officer, from unit)]

    def pool_of(u):
        return place.pool_of(org, u)

    for u in sorted(place.free, key=org.order.__getitem__):
        ordered = leave_order(scenario, u, place.free[u])
        n_stay = stay[u]
        leaving = ordered[: len(ordered) - n_stay]
        for oid in ordered[len(ordered) - n_stay:]:
            final[oid] = u
            reasons[oid] = t("r_stays")
        movers.setdefault(pool_of(u), []).extend((oid, u) for oid in leaving)
    slots: dict[str, list[str]] = {}
    for u in sorted(arrive, key=org.order.__getitem__):
        slots.setdefault(pool_of(u), []).extend([u] * arrive[u])
    for pool in movers:
        _match(scenario, movers[pool], slots.get(pool, []), final, reasons)
    # Where a unit kept some of its free officers, say why these were the ones asked to go.
    for u, ids in place.free.items():
        if 0 < len(ids) - stay[u] < len(ids):
            for oid in ids:
                if final.get(oid) != u:
                    reasons[oid] += "; " + _why_chosen(scenario, oid, u)
    _place_recruits(scenario, place, counts, final, reasons)
    return final, reasons


def _why_chosen(scenario: Scenario, oid: str, unit: str) -> str:
    o = scenario.officer_by_id[oid]
    if scenario.organisation[unit].kind is Kind.POST and o.community_since is not None:
        why = t("r_longest_tenure", since=o.community_since.isoformat())
    elif o.hired is not None:
        why = t("r_longest", hired=o.hired.isoformat())
    else:
        return t("r_chosen", unit=unit, why=oid)
    return t("r_chosen", unit=unit, why=why)


def _match(scenario, movers, slots, final, reasons) -> None:
    """Fill slots with movers: first within the same station (a station and its posts), then
    headquarters' slots with headquarters' movers (stations lend no officers to
    headquarters: the model's counts leave enough of them), then in roster order. Netting
    leaves no slot at a mover's own unit."""
    org = scenario.organisation
    assert len(movers) == len(slots), "model pool equation broken"
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
            _move(scenario, oid, src, slots[i], final, reasons)
        else:
            rest.append((oid, src))
    remaining = [d for i, d in enumerate(slots) if not taken[i]]
    at_hq = [d for d in remaining if org[d].kind is Kind.HQ]
    from_hq = [(oid, src) for oid, src in rest if org[src].kind is Kind.HQ]
    pairs = list(zip(from_hq, at_hq))
    paired = {oid for (oid, _), _ in pairs}
    others = [m for m in rest if m[0] not in paired]
    pairs += zip(others, [d for d in remaining if org[d].kind is not Kind.HQ] + at_hq[len(pairs):])
    for (oid, src), dst in pairs:
        _move(scenario, oid, src, dst, final, reasons)


def _move(scenario, oid, src, dst, final, reasons) -> None:
    org = scenario.organisation
    final[oid] = dst
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
    reasons[oid] = t("r_move", kind=move_label(move_kind(k_src.value, k_dst.value)), why=why)


def _place_recruits(scenario, place, counts, final, reasons) -> None:
    org = scenario.organisation
    slots: dict[str, list[str]] = {}
    for u in sorted(counts["recruit"], key=org.order.__getitem__):
        slots.setdefault(org.bureau_of(u), []).extend([u] * counts["recruit"][u])
    for b in org.bureaus:
        own = place.recruits.get(b.id, [])
        queue = slots.get(b.id, [])
        for oid, dst in zip(sorted(own), queue):
            final[oid] = dst
        slots[b.id] = queue[len(own):]
    rest = [u for b in org.bureaus for u in slots.get(b.id, [])]
    for oid, dst in zip(sorted(place.recruits.get(None, [])), rest):
        final[oid] = dst
    for ids in place.recruits.values():
        for oid in ids:
            dst = final.get(oid)
            if dst is not None:
                reasons[oid] = t("r_recruit", kind=kind_name(org[dst].kind.value), unit=dst)
