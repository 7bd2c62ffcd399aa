"""The rule checker: judges a finished assignment directly, rule by rule.

It never builds or reads a model: it takes the roster and a final assignment (officer id ->
unit), counts, and asks each rule's ``check`` (in ``staffplan.rules``) for its verdict. The
planner runs it on every plan it returns; ``staffplan check`` runs it on a roster or a plan
file. It imports neither the model nor the solver (``tests/test_independence.py``).
"""

from __future__ import annotations

from collections import Counter

from staffplan.moves import kind_of, order, order_units, placement_kind
from staffplan.domain import Kind, Scenario
from staffplan.i18n import rule_label
from staffplan.results import (Approval, BureauFigures, CheckReport, RuleResult,  # noqa: F401
                               Violation)
from staffplan.rules import MODULES, enabled
from staffplan.rules import community_budget, community_share, station_share


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
        self.figures = _bureau_figures(self)

    def bureau(self, unit_id: str) -> str:
        u = self.units[unit_id]
        while u.kind not in (Kind.COUNTY, Kind.DISTRICT):
            u = self.units[u.parent]
        return u.id

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
    return CheckReport(mode, results, roster.figures, unplaced, moves, moves_by_kind, warnings,
                       approvals, scenario.config.budget.community_officer_yuan,
                       placed_by_kind=placed_by_kind, notices=notices)


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
