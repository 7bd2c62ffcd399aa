"""The promotion checker: judges a finished list (the planner's or a proposed file) rule by
rule, and counts each bureau's figures.

It never builds or reads the model: each promotion rule's ``check`` counts years with the
checker's own arithmetic (``staffplan.rules._promotion``). The planner runs it on every list
it returns; ``staffplan check --promotions FILE`` on a proposed list. Neither the model, the
solver nor the model's arithmetic is imported (``tests/test_independence.py``).
"""

from __future__ import annotations

from fractions import Fraction

from staffplan.domain import Kind
from staffplan.i18n import rule_label
from staffplan.promotions.history import TRACKS, Round
from staffplan.promotions.results import BureauRound, Entry, PromotionCheck
from staffplan.results import RuleResult
from staffplan.rules import PROMOTION_MODULES, station_rate
from staffplan.rules.base import setting


class Listing:
    """One list, as every promotion rule's check reads it."""

    def __init__(self, r: Round, entries: list[Entry], partial: bool = False):
        self.round, self.entries, self.partial = r, entries, partial

    def postings(self, officer_id: str):
        return self.round.postings(officer_id)


def _enabled(module, r: Round) -> bool:
    if module.RULE.key is None or not hasattr(module, "enabled"):
        return True
    return module.enabled(setting(r.scenario.config, module.RULE))


def check_promotions(r: Round, entries: list[Entry], partial: bool = False) -> PromotionCheck:
    """Every promotion rule on ``entries``. ``partial``: slots left unfilled are allowed."""
    listing = Listing(r, entries, partial)
    results = []
    for module in PROMOTION_MODULES:
        rule = module.RULE
        result = RuleResult(rule.id, rule_label(rule), _enabled(module, r))
        if result.enabled:
            module.check(r, listing, result)
        results.append(result)
    return PromotionCheck(results, bureau_figures(r, entries), partial)


def bureau_figures(r: Round, entries: list[Entry]) -> list[BureauRound]:
    s = r.scenario
    org = s.organisation
    rate = setting(s.config, station_rate.RULE)
    officers = {b.id: [0, 0] for b in org.bureaus}  # [stations and posts, headquarters]
    for o in s.officers:
        if o.unit is not None:
            officers[org.bureau_of(o.unit)][org[o.unit].kind is Kind.HQ] += 1
    listed = {b.id: dict.fromkeys(TRACKS, 0) for b in org.bureaus}
    promoted = {b.id: [0, 0] for b in org.bureaus}
    for e in entries:
        o = s.officer_by_id.get(e.officer)
        if o is None or o.unit is None:
            continue
        b = org.bureau_of(o.unit)
        listed[b][e.track] += 1
        if e.track == "rank":
            promoted[b][org[o.unit].kind is Kind.HQ] += 1
    return [BureauRound(b.id, {k: r.slots(b.id, k) for k in TRACKS}, listed[b.id],
                        officers[b.id][0], officers[b.id][1], promoted[b.id][0],
                        promoted[b.id][1], None if rate is None else Fraction(str(rate)),
                        b.kind.value)
            for b in org.bureaus]
