"""Station strength is at least a share of a bureau's force.
派出所警力占总警力比例：县局不低于44.5%，分局不低于55.8%."""

from __future__ import annotations

from fractions import Fraction

from staffplan.domain import as_fraction
from staffplan.rules import _share
from staffplan.rules.base import Rule, Settings, Share


class StationShare(Settings):
    """Station strength / force, at least, per kind of bureau (null: no target)."""

    county: Share | None = 0.445
    """Target for county bureaus (县局). The article: 44.5%."""
    district: Share | None = 0.558
    """Target for district bureaus (分局). The article: 55.8%."""


RULE = Rule("station_share", "station strength / force", "派出所警力占总警力比例",
            key="station_share", default=StationShare(), type=StationShare | None,
            doc="per bureau: officers at stations and posts / all officers ≥ target, by kind",
            doc_zh="各局派出所（含警务室）警力占总警力比例不低于目标，按县局/分局分别设定",
            about="bureau")

MESSAGES = {
    "v_station_share": {"en": "bureau {bureau}: station share {share} is below {target} "
                              "({part} of {whole}; {short} officer(s) short)",
                        "zh": "{bureau}：派出所警力占比 {share} 低于 {target}"
                              "（{whole} 人中 {part} 人；差 {short} 人）"},
}


def enabled(value) -> bool:
    return value is not None and (value.county is not None or value.district is not None)


def share_target(s, bureau) -> float | None:
    """The model's target for a bureau (a sweep gives a built model new ones)."""
    shares = s.rules.station_share
    return None if shares is None else getattr(shares, bureau.kind.value)


def constrain(s, build) -> None:
    org = s.organisation
    for bureau in org.bureaus:
        target = share_target(s, bureau)
        if target is None:
            continue
        units = org.units_of_bureau[bureau.id]
        build.share_at_least(RULE, bureau.id, as_fraction(target),
                             [u.id for u in units if u.kind.is_station_side],
                             [u.id for u in units])


def check(s, roster, result) -> None:
    for b in roster.figures:
        _share.judge(result, b.bureau, b.station_strength, b.force, b.station_target,
                     "v_station_share", ("station_strength", "force"))


def target(s, bureau_kind: str) -> Fraction | None:
    """The target for a kind of bureau, as the checker reads it (for the figures)."""
    shares = s.rules.station_share
    value = None if shares is None else getattr(shares, bureau_kind)
    return None if value is None else Fraction(str(value))


def shortfall(relaxed) -> list[str]:
    org = relaxed.scenario.organisation

    def part_and_whole(units, value):
        station = sum(value(u.id) for u in units if u.kind.is_station_side)
        return station, sum(value(u.id) for u in units)

    return _share.shortfall(relaxed, lambda b: as_fraction(share_target(relaxed.scenario, org[b])),
                            part_and_whole)
