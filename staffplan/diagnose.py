"""Why no plan exists: which rules conflict, at which step, and by how much.

A deletion filter over the rules with rows in the model (per step, for a plan of several
steps) finds a smallest set that cannot hold together (drop one; if the rest is still
impossible, it was not needed). Then each rule of that set is relaxed in turn, the others
held, and the rule's own ``shortfall`` (in its module) says how far it falls short: per
bureau, the best share it can reach, or the posts and units it cannot serve.
"""

from __future__ import annotations

import math

from staffplan import solve
from staffplan.domain import Scenario
from staffplan.i18n import rule_label, t
from staffplan.model import Placement, build_model, tie_break
from staffplan.results import Status
from staffplan.rules import MODULE_BY_ID, RULE_BY_ID, relaxable


class Relaxed:
    """One rule relaxed (at one step) with the others of the conflict held: what its
    ``shortfall`` reads."""

    def __init__(self, scenario, place, conflict, item, solver, time_limit, model, labels):
        self.place, self.conflict = place, conflict
        self.solver, self.time_limit = solver, time_limit
        self.top = scenario
        self.step, self.rule = item
        self.scenario = scenario.steps[self.step]  # the step's tree and rules
        self.model = model
        self.label = labels[item]
        others = [labels[g] for g in conflict if g != item]
        self.given = t("x_held", rules=", ".join(others)) if others else ""
        short = {}
        for key, v in model.slack.items():
            if key[0] == self.rule and (len(key) == 2 or key[2] == self.step):
                short[key[1]] = math.ceil(solve.value(v) - 1e-6)
        self.short = {k: n for k, n in short.items() if n > 0}  # subject -> officers short

    def short_subjects(self) -> list[str]:
        order = self.scenario.organisation.order
        return sorted(self.short, key=lambda s: (order.get(s, len(order)), s))

    def value(self, unit: str) -> int:
        """Officers at a unit in the relaxed plan, at this step."""
        return round(solve.value(self.model.final[self.step][unit]))

    def measure(self, subject: str):
        """Relax only this subject of the rule: (officers at each unit, officers short)."""
        model = build_model(self.top, self.place, rules=self.conflict,
                            elastic=[(self.step, self.rule)],
                            only=(self.rule, subject, self.step))
        slack = next(v for key, v in model.slack.items()
                     if key[0] == self.rule and key[1] == subject)
        least(model, slack, self.solver, self.time_limit)
        final = model.final[self.step]
        return (lambda u: round(solve.value(final[u]))), math.ceil(solve.value(slack) - 1e-6)

    @staticmethod
    def listing(items: list[str], n: int = 6) -> str:
        return ", ".join(items[:n]) + (" ..." if len(items) > n else "")


def least(model, slack, solver: str, time_limit: float | None):
    """The least ``slack``; among relaxed plans that short, the fewest moves (the plan
    nearest today's roster); then one fixed choice of where the shortfall falls (seeded
    weights, as the plan's ``tie_break``), so that every solver names the same units in
    the same words."""
    model.prob.setObjective(slack)
    out = solve.run(model.prob, solver, time_limit, integral=False)
    if out.status is not Status.OPTIMAL:
        return out
    held = [slack <= out.objective + 1e-6]
    fewest = solve.run_again(model.prob, solver, time_limit, objective=model.moves,
                             constraints=held, variables=model.variables())
    if fewest.status is Status.OPTIMAL and len(slack) > 1:
        held.append(model.moves <= round(fewest.objective))
        solve.run_again(model.prob, solver, time_limit, objective=tie_break(slack),
                        constraints=held, variables=model.variables())
    return out


def why_no_plan(scenario: Scenario, place: Placement, solver: str = "highs",
                time_limit: float | None = None) -> list[str]:
    """Lines that say which rules conflict (at which step) and by how much."""
    steps = scenario.steps
    many = len(steps) > 1
    on = [(k, rule) for k, s in enumerate(steps) for rule in relaxable(s.config)]

    def feasible(items) -> bool:
        m = build_model(scenario, place, rules=items)
        m.prob.setObjective(0 * m.moves)  # any plan answers: no optimum to prove
        return solve.run(m.prob, solver, time_limit).status is not Status.INFEASIBLE

    conflict = list(on)
    if many:
        # The rules of steps after the first impossible prefix of steps play no part; then a
        # whole earlier step's rules at once, where the conflict needs none of them.
        for k in range(len(steps) - 1):
            prefix = [g for g in on if g[0] <= k]
            if not feasible(prefix):
                conflict = prefix
                break
        for k in range(max(g[0] for g in conflict)):
            trial = [g for g in conflict if g[0] != k]
            if trial and not feasible(trial):
                conflict = trial
    for item in list(conflict):  # then rule by rule: what is left is a smallest conflict
        trial = [g for g in conflict if g != item]
        if not feasible(trial):
            conflict = trial
    if not conflict:
        return ["no plan can meet the rules, and relaxing them did not find why (a bug?)"]

    def label(item) -> str:
        k, rule = item
        text = rule_label(RULE_BY_ID[rule])
        return t("x_rule_at", rule=text, date=steps[k].plan_date.isoformat()) if many else text

    labels = {item: label(item) for item in conflict}
    if len(conflict) == 1:
        lines = [t("x_cannot_alone", rule=labels[conflict[0]])]
    else:
        lines = [t("x_together", rules=", ".join(labels[g] for g in conflict))]
    for item in conflict:
        model = build_model(scenario, place, rules=conflict, elastic=[item])
        if not least(model, sum(model.slack.values()), solver, time_limit).status.has_plan:
            others = [labels[g] for g in conflict if g != item]
            given = t("x_held", rules=", ".join(others)) if others else ""
            lines.append(t("x_unmeasured", rule=labels[item], given=given))
            continue
        lines.extend(MODULE_BY_ID[item[1]].shortfall(
            Relaxed(scenario, place, conflict, item, solver, time_limit, model, labels)))
    return lines
