"""Why no plan exists: which rules conflict, and by how much.

A deletion filter over the rules with rows in the model finds a smallest set that cannot
hold together (drop a rule; if the rest is still impossible, it was not needed). Then each
rule of that set is relaxed in turn, the others held, and the rule's own ``shortfall``
(in its module) says how far it falls short: per bureau, the best share it can reach, or
the posts and units it cannot serve.
"""

from __future__ import annotations

import math

from staffplan import solve
from staffplan.domain import Scenario
from staffplan.i18n import rule_label, t
from staffplan.model import Placement, build_model
from staffplan.results import Status
from staffplan.rules import MODULE_BY_ID, RULE_BY_ID, relaxable


class Relaxed:
    """One rule relaxed with the others of the conflict held: what its ``shortfall`` reads."""

    def __init__(self, scenario, place, conflict, rule, solver, time_limit, model):
        self.scenario, self.place, self.conflict, self.rule = scenario, place, conflict, rule
        self.solver, self.time_limit, self.model = solver, time_limit, model
        others = [g for g in conflict if g != rule]
        self.label = rule_label(RULE_BY_ID[rule])
        self.given = t("x_held", rules=", ".join(rule_label(RULE_BY_ID[g]) for g in others)) \
            if others else ""
        short = {subject: math.ceil(solve.value(v) - 1e-6)
                 for (_, subject), v in model.slack.items()}
        self.short = {k: n for k, n in short.items() if n > 0}  # subject -> officers short

    def short_subjects(self) -> list[str]:
        return sorted(self.short, key=self.scenario.organisation.order.__getitem__)

    def value(self, unit: str) -> int:
        """Officers at a unit in the relaxed plan."""
        return round(solve.value(self.model.final[unit]))

    def measure(self, subject: str):
        """Relax only this subject of the rule: (officers at each unit, officers short)."""
        model = build_model(self.scenario, self.place, rules=self.conflict, elastic=[self.rule],
                            only=(self.rule, subject))
        slack = model.slack[(self.rule, subject)]
        model.prob.setObjective(slack)
        solve.run(model.prob, self.solver, self.time_limit, integral=False)
        return (lambda u: round(solve.value(model.final[u]))), math.ceil(solve.value(slack) - 1e-6)

    @staticmethod
    def listing(items: list[str], n: int = 6) -> str:
        return ", ".join(items[:n]) + (" ..." if len(items) > n else "")


def why_no_plan(scenario: Scenario, place: Placement, solver: str = "highs",
                time_limit: float | None = None) -> list[str]:
    """Lines that say which rules conflict and by how much."""
    on = relaxable(scenario.config)

    def feasible(rules) -> bool:
        m = build_model(scenario, place, rules=rules)
        m.prob.setObjective(m.moves)
        return solve.run(m.prob, solver, time_limit).status is not Status.INFEASIBLE

    conflict = list(on)
    for f in on:
        trial = [g for g in conflict if g != f]
        if not feasible(trial):
            conflict = trial
    if not conflict:
        return ["no plan can meet the rules, and relaxing them did not find why (a bug?)"]
    labels = {f: rule_label(RULE_BY_ID[f]) for f in conflict}
    if len(conflict) == 1:
        lines = [t("x_cannot_alone", rule=labels[conflict[0]])]
    else:
        lines = [t("x_together", rules=", ".join(labels[f] for f in conflict))]
    for f in conflict:
        model = build_model(scenario, place, rules=conflict, elastic=[f])
        model.prob.setObjective(sum(model.slack.values()))
        if not solve.run(model.prob, solver, time_limit, integral=False).status.has_plan:
            others = [labels[g] for g in conflict if g != f]
            given = t("x_held", rules=", ".join(others)) if others else ""
            lines.append(t("x_unmeasured", rule=labels[f], given=given))
            continue
        lines.extend(MODULE_BY_ID[f].shortfall(
            Relaxed(scenario, place, conflict, f, solver, time_limit, model)))
    return lines
