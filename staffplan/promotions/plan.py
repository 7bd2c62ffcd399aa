"""Plan a promotion round: the integer program solved in stages (the preference order), any
tie left settled by id, the reasons written, the list re-checked.

The preference order among complete lists is lexicographic, one solve per stage, each
optimum then held as a constraint (``solve.run_again``):

0. (``--partial`` only) the most slots and openings filled;
1. the most station-leader appointees with community experience (when preferred);
2. the highest total score;
3. the longest total time in rank (days);
4. ties broken by id: the smallest sum of the chosen officers' places in id order,
5. then the smallest sum of place × track number (rank 0, station leader 1, bureau leader 2),
   so that between two officers the lower id takes the earlier track.

Every stage's objective is a whole number and is proven optimal (gap below 1). One more
solve asks for a different list with the same stage values: when there is none the list is
unique, whatever the solver. When there is one (a coincidence of sums), each bureau with a
tie is settled exactly: in (id, track) order, each variable is set to 1 if some best list
allows it, else 0 -- the best list that takes the lowest ids first.

The checker then judges the list (``staffplan.promotions.check``); a list that fails it is
a bug and is never returned. The diagnosis (``diagnose``) and the integer program must agree
on whether the round can be filled.
"""

from __future__ import annotations

import time
from typing import Callable

import numpy as np
import pulp

from staffplan import solve
from staffplan.errors import StaffplanError
from staffplan.i18n import t
from staffplan.promotions import diagnose, experience
from staffplan.promotions.check import check_promotions
from staffplan.promotions.experience import Facts
from staffplan.promotions.history import TRACKS, Round
from staffplan.promotions.model import PromotionModel, build_model
from staffplan.promotions.results import Entry, PromotionResult, Unfilled
from staffplan.results import Outcome, Status
from staffplan.rules import PROMOTION_MODULES

STAGES = (("filled", True), ("community_first", True), ("score", True), ("time_in_rank", True),
          ("id", False), ("id_track", False))  # (objective, maximised)
_REASON = {m.TRACK: m for m in PROMOTION_MODULES if hasattr(m, "TRACK")}


class PromotionCheckFailed(StaffplanError):
    """The solver's list broke a rule, or the model and the diagnosis disagree: a bug in
    staffplan, never shown as a list."""

    exit_code = 3


def make_promotions(r: Round, solver: str = "highs", partial: bool = False,
                    progress: Callable[[str], None] | None = None) -> PromotionResult:
    say = progress or (lambda _m: None)
    t0 = time.perf_counter()
    say("computing years of experience")
    f = experience.facts(r)
    t1 = time.perf_counter()
    model = build_model(r, f, partial)
    why = diagnose.why_not(r, model.build)
    timings = {"experience": t1 - t0, "build": time.perf_counter() - t1}
    result = PromotionResult(r, Status.OPTIMAL, None, partial=partial,
                             candidates=_candidates(model), timings=timings,
                             model_size={"variables": len(model.x),
                                         "constraints": model.prob.numConstraints()})
    say(f"solving: {len(model.x)} variables, {model.prob.numConstraints()} constraints ({solver})")
    stages = [name for name, _ in STAGES
              if (partial or name != "filled") and len(model.objectives[name])]
    outcome, chosen, values, unique = _solve(model, stages, solver, say)
    result.outcome, result.stages, result.unique = outcome, values, unique
    timings["solve"] = outcome.seconds
    if outcome.status is Status.INFEASIBLE:
        if partial or not why:
            raise PromotionCheckFailed("internal error: the integer program finds no list but the "
                                       "diagnosis finds no reason (a bug in staffplan)")
        result.status = Status.INFEASIBLE
        result.conflicts = [line for b in sorted(why, key=f.bureaus.index) for line in why[b]]
        return result
    if not partial and why:
        raise PromotionCheckFailed("internal error: the integer program filled a round the "
                                   "diagnosis calls impossible (a bug in staffplan):\n"
                                   + "\n".join(line for lines in why.values() for line in lines))
    if not unique:
        say("a tie the stages leave open: settling it by id, bureau by bureau")
        t2 = time.perf_counter()
        chosen = _settle_ties(r, f, partial, model, chosen, stages, solver)
        timings["ties"] = time.perf_counter() - t2
    t3 = time.perf_counter()
    result.entries = entries(r, f, model, chosen)
    result.check = check_promotions(r, result.entries, partial)
    timings["check"] = time.perf_counter() - t3
    if not result.check.ok:
        raise PromotionCheckFailed(
            "internal error: the solver's list fails the promotion checker (a bug in "
            "staffplan; no list was written):\n"
            + "\n".join(f"• {v.rule}: {v.message}" for v in result.check.violations[:20]))
    for b in result.check.bureaus:
        for track in TRACKS:
            if b.listed[track] < b.slots[track]:
                result.unfilled.append(Unfilled(b.bureau, track, b.listed[track],
                                                b.slots[track]))
    if result.unfilled:
        short = {u.bureau for u in result.unfilled}
        result.conflicts = [line for b in f.bureaus if b in short for line in why.get(b, [])]
    return result


def _candidates(model: PromotionModel) -> dict[str, dict[str, int]]:
    f, b = model.build.facts, model.build
    out: dict[str, dict[str, int]] = {}
    for k in TRACKS:
        counts = np.bincount(f.bureau[b.allowed[k] & (f.bureau >= 0)], minlength=len(f.bureaus))
        for i, bureau in enumerate(f.bureaus):
            out.setdefault(bureau, {})[k] = int(counts[i])
    return out


def _signed(model: PromotionModel, name: str) -> pulp.LpAffineExpression:
    maximised = dict(STAGES)[name]
    expr = model.objectives[name]
    return -expr if maximised else expr


def _nogood(x, chosen: list[int]):
    """Some variable differs from ``chosen``: sum over unchosen - sum over chosen >= 1 - |chosen|."""
    return (pulp.LpAffineExpression([(v, -1 if c else 1) for v, c in zip(x, chosen)])
            >= 1 - sum(chosen))


def _solve(model: PromotionModel, stages: list[str], solver: str, say):
    """Solve the stages in turn; (outcome, chosen 0/1 per variable, stage values, unique)."""
    prob = model.prob
    if not model.x:  # nothing to decide: the rows hold or not
        return solve.run(prob, solver, None), [], {}, True
    prob.setObjective(_signed(model, stages[0]))
    out = solve.run(prob, solver, None)
    if out.status is Status.INFEASIBLE:
        return out, [], {}, True
    seconds = out.seconds
    values: dict[str, int] = {}
    last = out
    for i, name in enumerate(stages):
        if i:
            say(f"preference {i + 1} of {len(stages)}: {name}")
            last = solve.run_again(prob, solver, None, objective=_signed(model, name),
                                   constraints=[_signed(model, stages[i - 1])
                                                <= round(last.objective)],
                                   variables=model.x)
            seconds += last.seconds
        if last.status is not Status.OPTIMAL:
            raise PromotionCheckFailed(f"internal error: the solver stopped at stage {name} "
                                       f"({last.status.value})")
        values[name] = round(last.objective) * (-1 if dict(STAGES)[name] else 1)
    chosen = [int(round(v.varValue or 0)) for v in model.x]
    again = solve.run_again(prob, solver, None, objective=pulp.LpAffineExpression(),
                            constraints=[_signed(model, stages[-1]) <= round(last.objective),
                                         _nogood(model.x, chosen)], variables=model.x)
    seconds += again.seconds
    unique = again.status is Status.INFEASIBLE
    return Outcome(Status.OPTIMAL, last.objective, last.objective, seconds, out.solver), chosen, \
        values, unique


def _settle_ties(r: Round, f: Facts, partial: bool, model: PromotionModel, chosen: list[int],
                 stages: list[str], solver: str) -> list[int]:
    """Each bureau's best list taking the lowest ids first, exactly (one small model per
    bureau; only when the stages leave a tie)."""
    picked = {(int(o), int(k)) for o, k, c in zip(model.officer, model.track, chosen) if c}
    for bureau in f.bureaus:
        sub = _fixed(r, f, partial, bureau, picked, stages)
        if sub is None:
            continue
        here = [1 if (int(o), int(k)) in picked else 0 for o, k in zip(sub.officer, sub.track)]
        sub.prob += _nogood(sub.x, here), "nogood"
        if solve.run(sub.prob, solver, None).status is Status.INFEASIBLE:
            continue  # no tie here
        sub = _fixed(r, f, partial, bureau, picked, stages)
        for v, now in zip(sub.x, here):
            v.lowBound = 1
            if now:
                continue
            if solve.run(sub.prob, solver, None).status.has_plan:
                here = [int(round(w.varValue or 0)) for w in sub.x]
            else:
                v.lowBound = v.upBound = 0
        picked -= {(o, k) for o, k in picked if f.bureaus[f.bureau[o]] == bureau}
        picked |= {(int(o), int(k)) for o, k, c in zip(sub.officer, sub.track, here) if c}
    return [1 if (int(o), int(k)) in picked else 0 for o, k in zip(model.officer, model.track)]


def _fixed(r, f, partial, bureau, picked, stages) -> PromotionModel | None:
    """One bureau's model with every stage held at the value of ``picked``, no objective."""
    sub = build_model(r, f, partial, only=bureau)
    if not sub.x:
        return None
    here = [1 if (int(o), int(k)) in picked else 0 for o, k in zip(sub.officer, sub.track)]
    for name in stages:
        expr = sub.objectives[name]
        sub.prob += expr == sum(int(c) * expr.get(v, 0) for v, c in zip(sub.x, here)), name
    sub.prob.setObjective(pulp.LpAffineExpression())
    return sub


# --- The list and its reasons ----------------------------------------------------------------

def entries(r: Round, f: Facts, model: PromotionModel, chosen: list[int]) -> list[Entry]:
    """The chosen variables as list lines, sorted by bureau, track and officer id."""
    s = r.scenario
    picked = [(int(o), int(k)) for o, k, c in zip(model.officer, model.track, chosen) if c]
    selected = np.zeros(len(f.ids), bool)
    for o, _ in picked:
        selected[o] = True
    rows = []
    for o, k in picked:
        officer = s.officers[o]
        track = TRACKS[k]
        if track == "rank":
            frm, to = officer.rank or "", r.next_rank(officer.rank) or ""
        else:
            frm, to = f.role_now(o), track
        why = _REASON[track].reason(r, f, o) + "; " + _why_chosen(r, f, model, o, k, selected)
        rows.append((f.bureau[o], k, officer.id,
                     Entry(officer.id, track, frm, to, officer.unit or "", why)))
    rows.sort(key=lambda x: x[:3])
    return [row[3] for row in rows]


def _score_text(f: Facts, i: int) -> str:
    if f.score_scale == 1:
        return str(int(f.score[i]))
    places = len(str(f.score_scale)) - 1
    return f"{f.score[i] / f.score_scale:.{places}f}"


def _why_chosen(r, f: Facts, model: PromotionModel, o: int, k: int, selected) -> str:
    """Why this officer before the others eligible for the track in the bureau (those not
    chosen at all): their number and the best score among them, and what kept that one out."""
    allowed = model.build.allowed[TRACKS[k]]
    others = np.nonzero(allowed & (f.bureau == f.bureau[o]) & ~selected)[0]
    bureau = f.bureaus[f.bureau[o]]
    if not len(others):
        return t("pr_chosen", score=_score_text(f, o), n=0, bureau=bureau, best="")
    best = others[np.argmax(f.score[others])]
    why = ""
    if f.score[best] > f.score[o]:
        same_side = others[f.station_side[others] == f.station_side[o]]
        first = model.build.first[TRACKS[k]]
        if k == 0 and f.station_side[o] and not (len(same_side)
                                                 and f.score[same_side].max() > f.score[o]):
            why = t("pr_why_rate")
        elif first[o] > first[best]:
            why = t("pr_why_community")
        else:
            why = t("pr_why_rules")
    elif f.score[best] == f.score[o]:
        why = t("pr_why_tie")
    return t("pr_chosen", score=_score_text(f, o), n=len(others), bureau=bureau,
             best=t("pr_best", score=_score_text(f, best), why=why))
