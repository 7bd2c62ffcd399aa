"""Plan a promotion round: the integer program solved in stages (the preference order), any
tie left settled by id, the reasons written, the list re-checked.

The preference order among complete lists is lexicographic, one solve per stage, each
optimum then held as a constraint (``solve.run_again``):

0. (``--partial`` only) the most slots and openings filled;
1. the most station-leader appointees with community experience (when preferred);
2. the highest total score;
3. the longest total time in rank (days);
4. ties broken by id: the smallest sum of the chosen officers' places in id order,
5. then the largest sum of place × track number (rank 0, station leader 1, bureau leader 2):
   between two chosen officers the lower id takes the earlier track.

Every stage's objective is a whole number and is proven optimal (gap below 1). Where a
bureau's slots are all filled, the rate rule is a bound on one count (``station_rate``) and
the matrix -- officer rows and laminar track rows -- is totally unimodular: each stage's
optimum over the last stage's optimal face is a vertex, hence whole, so those variables are
continuous and each stage a linear program re-solved from the last basis (the planner checks
the values are whole, and branches and bounds otherwise). With ``--partial`` the bureaus the
diagnosis finds short keep whole-number variables and upper-bound slots; a bureau that can
be filled is filled in every list that fills the most, so the others are modelled as full.

One more solve maximises the distance from the list among the lists as good: it is positive
exactly in the bureaus with another best list, so a zero proves the list unique, whatever the
solver. A bureau with a tie (a coincidence of sums) is settled exactly: in (id, track) order,
each variable is set to 1 if some best list allows it, else 0 -- the best list that takes
the lowest ids first.

The checker then judges the list (``staffplan.promotions.check``); a list that fails it is
a bug and is never returned. The diagnosis (``diagnose``) and the integer program must agree
on whether the round can be filled.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import highspy  # noqa: F401 - imported before pulp (see solve.py)
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
          ("id", False), ("id_track", True))  # (objective, maximised)
_REASON = {m.TRACK: m for m in PROMOTION_MODULES if hasattr(m, "TRACK")}


class PromotionCheckFailed(StaffplanError):
    """The solver's list broke a rule, or the model and the diagnosis disagree: a bug in
    staffplan, never shown as a list."""

    exit_code = 3


def make_promotions(r: Round, solver: str = "highs", partial: bool = False,
                    progress: Callable[[str], None] | None = None) -> PromotionResult:
    say = progress or (lambda _m: None)
    t0 = time.perf_counter()
    say(t("pg_experience"))
    f = experience.facts(r)
    t1 = time.perf_counter()
    model = build_model(r, f, relaxed=True)
    why = diagnose.why_not(r, model.build)
    # --partial: a bureau that can be filled is filled in every list that fills the most (the
    # bureaus are independent), so only the others' slots become upper bounds.
    short = set(why) if partial else set()
    if short:
        model = build_model(r, f, short, relaxed=True)
    timings = {"experience": t1 - t0, "build": time.perf_counter() - t1}
    result = PromotionResult(r, Status.OPTIMAL, None, partial=partial,
                             candidates=_candidates(model), timings=timings,
                             model_size={"variables": len(model.x),
                                         "constraints": model.prob.numConstraints()})
    stages = [name for name, _ in STAGES
              if (partial or name != "filled") and len(model.objectives[name])]
    say(t("pg_solving", variables=f"{len(model.x):,}",
          constraints=f"{model.prob.numConstraints():,}", n=len(stages), solver=solver))
    try:
        outcome, chosen, values, tied = _solve(model, stages, solver, say, True)
    except _Fractional:
        say(t("pg_not_whole"))
        model = build_model(r, f, short)
        outcome, chosen, values, tied = _solve(model, stages, solver, say, False)
    result.outcome, result.stages, result.unique = outcome, values, not tied
    timings["solve"] = outcome.seconds
    if outcome.status is Status.INFEASIBLE:
        if partial or not why:
            raise PromotionCheckFailed("internal error: the integer program finds no list but the "
                                       "diagnosis finds no reason (a bug in staffplan)")
        result.status = Status.INFEASIBLE
        result.conflicts = [line for b in f.bureaus for line in why.get(b, [])]
        return result
    if not partial and why:
        raise PromotionCheckFailed("internal error: the integer program filled a round the "
                                   "diagnosis calls impossible (a bug in staffplan):\n"
                                   + "\n".join(line for lines in why.values() for line in lines))
    if tied:
        say(t("pg_ties", n=len(tied)))
        t2 = time.perf_counter()
        chosen = _settle_ties(r, f, short, model, chosen, stages, solver, tied)
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


class _Fractional(Exception):
    """The relaxation's optimum is not whole, or not proven (it always is whole when the
    matrix is totally unimodular; this is the safety net)."""


PRIMAL = {"simplex_strategy": 4}  # re-solves keep the last basis: it stays primal feasible


def _candidates(model: PromotionModel) -> dict[str, dict[str, int]]:
    f, b = model.build.facts, model.build
    out: dict[str, dict[str, int]] = {}
    for k in TRACKS:
        counts = np.bincount(f.bureau[b.allowed[k] & (f.bureau >= 0)], minlength=len(f.bureaus))
        for i, bureau in enumerate(f.bureaus):
            out.setdefault(bureau, {})[k] = int(counts[i])
    return out


def _signed(model: PromotionModel, name: str) -> pulp.LpAffineExpression:
    expr = model.objectives[name]
    return -expr if dict(STAGES)[name] else expr


def _value(model: PromotionModel, name: str, chosen) -> int:
    """An objective's exact value on a whole-number list, signed as it is minimised."""
    value = int(np.dot(model.weights[name], np.asarray(chosen, np.int64)))
    return -value if dict(STAGES)[name] else value


def _held(model: PromotionModel, name: str, chosen) -> list:
    """A preference held at its optimum, bureau by bureau (the bureaus are independent, so
    each is at its own optimum): small rows, well scaled, that keep the bureaus apart."""
    weights = model.weights[name] * (-1 if dict(STAGES)[name] else 1)
    values = weights * np.asarray(chosen, np.int64)
    rows = []
    for js in model.blocks.values():
        terms = [(model.x[j], int(weights[j])) for j in js if weights[j]]
        if terms:
            rows.append(pulp.LpAffineExpression(terms) <= int(values[js].sum()))
    return rows


def _whole(model: PromotionModel, relaxed: bool) -> list[int]:
    values = np.array([v.varValue or 0.0 for v in model.x])
    chosen = np.rint(values)
    if relaxed and np.abs(values - chosen).max(initial=0.0) > 1e-6:
        raise _Fractional
    return chosen.astype(np.int64).tolist()


def _solve(model: PromotionModel, stages: list[str], solver: str, say, relaxed: bool):
    """Each preference in turn, its optimum then held; finally the bureaus where another list
    is as good (the largest distance from this one among the best lists: positive exactly
    where a bureau has a tie). Returns (outcome, chosen 0/1 per variable, the preferences'
    optimal values, the tied bureaus)."""
    prob = model.prob
    if not model.x:  # nothing to decide: the rows hold or not
        return solve.run(prob, solver, None), [], {}, set()
    prob.setObjective(_signed(model, stages[0]))
    out = solve.run(prob, solver, None)
    if out.status is Status.INFEASIBLE:
        return out, [], {}, set()
    seconds = out.seconds
    options = PRIMAL if relaxed else None
    values: dict[str, int] = {}
    chosen: list[int] = []
    for i, name in enumerate(stages):
        if i:
            say(t("pg_preference", i=i + 1, n=len(stages), name=t(f"pg_stage_{name}")))
            out = solve.run_again(prob, solver, None, objective=_signed(model, name),
                                  constraints=_held(model, stages[i - 1], chosen),
                                  variables=model.x, options=options)
            seconds += out.seconds
        if out.status is not Status.OPTIMAL:
            if relaxed:
                raise _Fractional  # not proven: branch and bound instead
            raise PromotionCheckFailed(f"internal error: the solver stopped at preference "
                                       f"{name} ({out.status.value})")
        chosen = _whole(model, relaxed)
        values[name] = abs(_value(model, name, chosen))
    last = stages[-1]
    distance = pulp.LpAffineExpression([(v, -1 if c else 1) for v, c in zip(model.x, chosen)],
                                       constant=sum(chosen))
    again = solve.run_again(prob, solver, None, objective=-distance,
                            constraints=_held(model, last, chosen), variables=model.x,
                            options=options)
    seconds += again.seconds
    if again.status is not Status.OPTIMAL:
        if relaxed:
            raise _Fractional
        raise PromotionCheckFailed(f"internal error: the tie check stopped ({again.status.value})")
    f = model.build.facts
    apart = np.abs(np.array([v.varValue or 0.0 for v in model.x]) - np.array(chosen))
    per_bureau = np.bincount(f.bureau[model.officer], weights=apart, minlength=len(f.bureaus))
    tied = {f.bureaus[i] for i in np.nonzero(per_bureau > 0.5)[0]}
    final = _value(model, last, chosen)
    return Outcome(Status.OPTIMAL, final, final, seconds, out.solver), chosen, values, tied


def _settle_ties(r: Round, f: Facts, partial, model: PromotionModel, chosen: list[int],
                 stages: list[str], solver: str, tied: set[str]) -> list[int]:
    """In each tied bureau, the best list that takes the lowest ids first, exactly: in (id,
    track) order, each variable is 1 if some best list (with those before it settled) has it
    1. One small model per tied bureau."""
    picked = {(int(o), int(k)) for o, k, c in zip(model.officer, model.track, chosen) if c}
    for bureau in sorted(tied, key=f.bureaus.index):
        sub = build_model(r, f, partial, only=bureau)
        here = [1 if (int(o), int(k)) in picked else 0 for o, k in zip(sub.officer, sub.track)]
        for name in stages:
            sub.prob += _signed(sub, name) == _value(sub, name, here), f"held_{name}"
        sub.prob.setObjective(pulp.LpAffineExpression())
        for j, v in enumerate(sub.x):
            v.lowBound = 1
            if here[j]:  # the best list so far has it: nothing to ask
                continue
            out = solve.run(sub.prob, solver, None)
            if out.status.has_plan:
                here = _whole(sub, False)
            else:
                v.lowBound = v.upBound = 0
        picked = {(o, k) for o, k in picked if f.bureaus[f.bureau[o]] != bureau}
        picked |= {(int(o), int(k)) for o, k, c in zip(sub.officer, sub.track, here) if c}
    return [1 if (int(o), int(k)) in picked else 0 for o, k in zip(model.officer, model.track)]


# --- The list and its reasons ----------------------------------------------------------------

def entries(r: Round, f: Facts, model: PromotionModel, chosen: list[int]) -> list[Entry]:
    """The chosen variables as list lines, sorted by bureau, track and officer id."""
    s = r.scenario
    picked = [(int(o), int(k)) for o, k, c in zip(model.officer, model.track, chosen) if c]
    selected = np.zeros(len(f.ids), bool)
    for o, _ in picked:
        selected[o] = True
    others = _Others(f, model, selected)
    rows = []
    for o, k in picked:
        officer = s.officers[o]
        track = TRACKS[k]
        if track == "rank":
            frm, to = officer.rank or "", r.next_rank(officer.rank) or ""
        else:
            frm, to = f.role_now(o), track
        why = _REASON[track].reason(r, f, o) + t("t_list_sep") + others.why(o, k)
        rows.append((f.bureau[o], k, officer.id,
                     Entry(officer.id, track, frm, to, officer.unit or "", why)))
    rows.sort(key=lambda x: x[:3])
    return [row[3] for row in rows]


def _score_text(f: Facts, i: int) -> str:
    if f.score_scale == 1:
        return str(int(f.score[i]))
    places = len(str(f.score_scale)) - 1
    return f"{f.score[i] / f.score_scale:.{places}f}"


class _Others:
    """For the reasons: per bureau and track, the eligible officers not chosen at all."""

    def __init__(self, f: Facts, model: PromotionModel, selected: np.ndarray):
        self.f, self.first = f, model.build.first
        self.groups: dict[tuple[int, int], np.ndarray] = {}
        for k, track in enumerate(TRACKS):
            idle = np.nonzero(model.build.allowed[track] & (f.bureau >= 0) & ~selected)[0]
            idle = idle[np.argsort(f.bureau[idle], kind="stable")]
            bureaus, starts = np.unique(f.bureau[idle], return_index=True)
            for b, part in zip(bureaus.tolist(), np.split(idle, starts[1:])):
                self.groups[(b, k)] = part

    def why(self, o: int, k: int) -> str:
        """Why officer ``o`` before the others eligible for track ``k``: their number and
        the best score among them, and what kept that one out."""
        f = self.f
        others = self.groups.get((int(f.bureau[o]), k), np.zeros(0, np.int64))
        bureau = f.bureaus[f.bureau[o]]
        if not len(others):
            return t("pr_chosen", score=_score_text(f, o), n=0, bureau=bureau, best="")
        best = others[np.argmax(f.score[others])]
        why = ""
        if f.score[best] > f.score[o]:
            same_side = others[f.station_side[others] == f.station_side[o]]
            first = self.first[TRACKS[k]]
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
