"""Findings (violations, warnings, notices) as every report shows them: by the rule's label,
and, when only some fit, some of every rule.

A check can find hundreds of violations of one rule (every post of a city unstaffed) and a
few of another (a borrowed officer not returned): the first 30 in order would all be of the
first rule. :func:`sample` takes them in turn, one of each rule, then a second of each, and
so on, and says how many of each rule it leaves out.
"""

from __future__ import annotations

from staffplan.i18n import rule_label, t
from staffplan.results import Violation


def label(rule: str) -> str:
    """A rule's (or a warning's or notice's) label in the current language; an id staffplan
    does not know stays as it is."""
    from staffplan.rules import NOTICES, RULE_BY_ID, WARNINGS

    if rule in RULE_BY_ID:
        return rule_label(RULE_BY_ID[rule])
    return t(f"warn_{rule}") if rule in WARNINGS or rule in NOTICES else rule


def sample(items: list[Violation], limit: int) -> tuple[list[Violation], dict[str, int]]:
    """At most ``limit`` findings (0: all), taken round-robin over their rules: every rule
    shows, the rules in the order they first appear, each rule's findings in their order.
    Also: how many of each rule are left out (rules with none left out are not listed)."""
    if limit <= 0 or len(items) <= limit:
        return list(items), {}
    by_rule: dict[str, list[Violation]] = {}
    for v in items:
        by_rule.setdefault(v.rule, []).append(v)
    take = dict.fromkeys(by_rule, 0)
    left = limit
    while left:
        for rule, found in by_rule.items():
            if left and take[rule] < len(found):
                take[rule] += 1
                left -= 1
    shown = [v for rule, found in by_rule.items() for v in found[:take[rule]]]
    more = {rule: len(found) - take[rule] for rule, found in by_rule.items()
            if len(found) > take[rule]}
    return shown, more


def more_by_rule(more: dict[str, int]) -> str:
    """``every post staffed 120; unit staff bounds 3``: what :func:`sample` left out."""
    return t("t_list_sep").join(t("t_rule_count", rule=label(rule), n=f"{n:,}")
                                for rule, n in more.items())
