"""The rule checker: judges a finished assignment directly, rule by rule.

It never builds or reads a model: it takes the roster and a final assignment (officer id ->
unit), counts, and asks each rule's ``check`` (in ``staffplan.rules``) for its verdict. The
planner runs it on every plan it returns; ``staffplan check`` runs it on a roster or a plan
file. It imports neither the model nor the solver (``tests/test_independence.py``).
"""

from __future__ import annotations

import dataclasses
from collections import Counter

from staffplan.domain import Kind, Officer, Scenario
from staffplan.i18n import rule_label, t
from staffplan.moves import kind_of, order, order_units, placement_kind
from staffplan.results import Approval, BureauFigures, CheckReport, RuleResult, Violation  # noqa: F401
from staffplan.rules import MODULES, community_budget, community_share, enabled, station_share


class Roster:
    """One assignment, counted directly from the units table: what every rule's check reads."""

    def __init__(self, scenario: Scenario, final: dict[str, str | None], mode: str,
                 proposed=None):
        self.scenario = scenario
        self.units = scenario.organisation.units
        self.final = final
        self.mode = mode  # "roster": the current roster; "plan": a final assignment
        self.proposed = proposed  # a plan read from a file, when there is one
        self.count = Counter(u for u in final.values() if u is not None)
        self._bureaus: dict[str, str] = {}  # unit -> its bureau, as looked up
        self.figures = _bureau_figures(self)

    def bureau(self, unit_id: str) -> str:
        found = self._bureaus.get(unit_id)
        if found is None:
            u = self.units[unit_id]
            while u.kind not in (Kind.COUNTY, Kind.DISTRICT):
                u = self.units[u.parent]
            found = self._bureaus[unit_id] = u.id
        return found

    def kind(self, unit_id: str) -> Kind:
        return self.units[unit_id].kind


def check(scenario: Scenario, final: dict[str, str | None] | None = None,
          proposed=None) -> CheckReport:
    """Evaluate every rule on ``final`` (default: the current roster, mode "roster").

    ``proposed``, a plan read from a file (``ProposedPlan``), also brings the officers the
    file leaves out or adds (rule ``plan_matches_roster``); its ``final`` is used when
    ``final`` is None.
    """
    if final is None and proposed is not None:
        final = proposed.final
    mode = "roster" if final is None else "plan"
    final = scenario.current() if final is None else final
    roster = Roster(scenario, final, mode, proposed)
    results, warnings, notices, approvals = [], [], [], []
    for module in MODULES:
        rule = module.RULE
        result = RuleResult(rule.id, rule_label(rule), enabled(rule.id, scenario.config))
        if result.enabled:
            module.check(scenario, roster, result)
        results.append(result)
        if hasattr(module, "warnings"):
            warnings.extend(module.warnings(scenario, roster))
        if hasattr(module, "notices"):
            notices.extend(module.notices(scenario, roster))
        if hasattr(module, "approvals"):
            approvals.extend(module.approvals(scenario, roster))
    unplaced = sorted(o.id for o in scenario.officers if final.get(o.id) is None)
    moves, moves_by_kind, placed_by_kind = _moves(roster)
    date = scenario.plan_date.isoformat()
    return CheckReport(mode, results, roster.figures, unplaced, moves, moves_by_kind, warnings,
                       [dataclasses.replace(a, date=date) for a in approvals],
                       scenario.config.budget.community_officer_yuan,
                       placed_by_kind=placed_by_kind, notices=notices, dates=[date])


def carried_over(scenario: Scenario, finals: list[dict[str, str | None]]) -> list[Scenario]:
    """Each step's roster as a plan leaves it: every officer at the unit the step before put
    them, on their post since that step's date if they arrived there (staying keeps the
    date), an early-move approval used up once they moved, a recruit an officer from the
    step after they were placed. Officers join and leave as the horizon says."""
    steps = scenario.steps[:len(finals) + 1]  # as far as the finals reach
    out: list[Scenario] = []
    now: dict[str, Officer] = {}
    for k, step in enumerate(steps):
        officers = []
        for o in step.officers:
            before = now.get(o.id)
            if k > 0 and before is not None:
                unit = finals[k - 1].get(o.id)
                moved = unit != before.unit
                if not moved and before.home_unit is None:  # as they were (most officers)
                    officers.append(before)
                    continue
                at_post = unit is not None and unit in step.organisation.units \
                    and step.organisation[unit].kind is Kind.POST
                since = steps[k - 1].plan_date if moved and at_post else before.community_since
                o = dataclasses.replace(before, unit=unit, community_since=since, home_unit=None,
                                        move_approved=before.move_approved and not moved)
            officers.append(o)
            now[o.id] = o
        out.append(dataclasses.replace(step, officers=officers) if k else step)
    return out


def check_steps(scenario: Scenario, finals: list[dict[str, str | None]],
                proposed: list | None = None) -> list[CheckReport]:
    """Every rule at every step, on that step's roster as the plan carries it over, with that
    step's rules. ``proposed``: per step, a plan read from a file."""
    return [check(s, final, proposed[k] if proposed else None)
            for k, (s, final) in enumerate(zip(carried_over(scenario, finals), finals))]


def merged(scenario: Scenario, reports: list[CheckReport]) -> CheckReport:
    """The reports of a plan's steps as one: every finding named with its step, the last
    step's figures, the moves of every step. One step: the report itself."""
    if len(reports) == 1:
        return reports[0]
    dates = [s.plan_date.isoformat() for s in scenario.steps[:len(reports)]]

    def at(k: int, v: Violation) -> Violation:
        return dataclasses.replace(v, step=k, message=t("x_at_step", date=dates[k],
                                                           message=v.message))

    results = []
    for i, first in enumerate(reports[0].results):
        rule = RuleResult(first.rule, first.label, any(r.results[i].enabled for r in reports),
                          sum(r.results[i].checked for r in reports))
        rule.violations = [at(k, v) for k, r in enumerate(reports) for v in r.results[i].violations]
        results.append(rule)
    by_kind: Counter = Counter()
    placed: Counter = Counter()
    for r in reports:
        by_kind.update(r.moves_by_kind)
        placed.update(r.placed_by_kind)
    last = reports[-1]
    return CheckReport(
        "plan" if any(r.mode == "plan" for r in reports) else "roster", results, last.bureaus,
        sorted({o for r in reports for o in r.unplaced_recruits}), sum(r.moves for r in reports),
        {k: by_kind[k] for k in order(by_kind)},
        [at(k, w) for k, r in enumerate(reports) for w in r.warnings],
        [dataclasses.replace(a, date=dates[k]) for k, r in enumerate(reports) for a in r.approvals],
        last.yuan_per_officer, {k: placed[k] for k in order_units(placed)},
        [at(k, n) for k, r in enumerate(reports) for n in r.notices], list(reports), dates)


def _moves(roster: Roster) -> tuple[int, dict[str, int], dict[str, int]]:
    """Existing officers whose unit changes, by kind of move (``staffplan.moves``), and the
    recruits placed, by kind of unit (placing a recruit is no move)."""
    by_kind: Counter = Counter()
    placed: Counter = Counter()
    for o in roster.scenario.officers:
        to = roster.final.get(o.id)
        kind = kind_of(roster.scenario, o, to)
        if kind is not None:
            by_kind[kind] += 1
        where = placement_kind(roster.scenario, o, to)
        if where is not None:
            placed[where] += 1
    return (sum(by_kind.values()), {k: by_kind[k] for k in order(by_kind)},
            {k: placed[k] for k in order_units(placed)})


def _bureau_figures(roster: Roster) -> list[BureauFigures]:
    s = roster.scenario
    stats: dict[str, Counter] = {}
    for uid, n in roster.count.items():
        c = stats.setdefault(roster.bureau(uid), Counter())
        k = roster.kind(uid)
        c["force"] += n
        if k in (Kind.STATION, Kind.POST):
            c["station"] += n
        if k is Kind.POST:
            c["community"] += n
    for u in roster.units.values():
        if u.kind is Kind.POST and not u.closed:
            c = stats.setdefault(roster.bureau(u.id), Counter())
            c["posts"] += 1
            c["staffed"] += roster.count[u.id] > 0
    out = []
    budget = s.config.budget
    for u in roster.units.values():
        if u.kind not in (Kind.COUNTY, Kind.DISTRICT):
            continue
        c = stats.get(u.id, Counter())
        out.append(BureauFigures(u.id, u.kind.value, c["force"], c["station"], c["community"],
                                 c["posts"], c["staffed"], station_share.target(s, u.kind.value),
                                 community_share.target(s),
                                 c["community"] * budget.community_officer_yuan,
                                 community_budget.cap_of(budget, u.id)))
    return out
