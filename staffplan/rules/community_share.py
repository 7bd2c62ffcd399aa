"""Community officers are at least a share of station strength.
社区民警占派出所警力比例不低于48%."""

from __future__ import annotations

from fractions import Fraction

from staffplan.domain import Kind, as_fraction
from staffplan.rules import _share
from staffplan.rules.base import Rule, Share

RULE = Rule("community_share", "community officers / station strength", "社区民警占派出所警力比例",
            key="community_share", default=0.48, type=Share | None,
            doc="per bureau: officers at posts / officers at stations and posts ≥ target",
            doc_zh="各局社区民警（警务室民警）占派出所警力比例不低于目标", about="bureau")

MESSAGES = {
    "v_community_share": {"en": "bureau {bureau}: community share {share} is below {target} "
                                "({part} of {whole}; {short} officer(s) short)",
                          "zh": "{bureau}：社区民警占派出所警力比例 {share} 低于 {target}"
                                "（{whole} 人中 {part} 人；差 {short} 人）"},
}


def share_target(s, bureau) -> float | None:
    """The model's target for a bureau (a sweep gives a built model new ones)."""
    return s.rules.community_share


def constrain(s, build) -> None:
    org = s.organisation
    for bureau in org.bureaus:
        units = org.units_of_bureau[bureau.id]
        build.share_at_least(RULE, bureau.id, as_fraction(share_target(s, bureau)),
                             [u.id for u in units if u.kind is Kind.POST],
                             [u.id for u in units if u.kind.is_station_side])


def check(s, roster, result) -> None:
    for b in roster.figures:
        _share.judge(result, b.bureau, b.community_officers, b.station_strength,
                     b.community_target, "v_community_share",
                     ("community_officers", "station_strength"))


def target(s) -> Fraction | None:
    """The target, as the checker reads it (for the figures)."""
    value = s.rules.community_share
    return None if value is None else Fraction(str(value))


def shortfall(relaxed) -> list[str]:
    def part_and_whole(units, value):
        return (sum(value(u.id) for u in units if u.kind is Kind.POST),
                sum(value(u.id) for u in units if u.kind.is_station_side))

    return _share.shortfall(relaxed, lambda b: as_fraction(share_target(relaxed.scenario, b)),
                            part_and_whole)
