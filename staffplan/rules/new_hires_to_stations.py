"""Recruits go to stations first.
每年新招录民警优先分配至派出所."""

from __future__ import annotations

from staffplan.domain import Kind
from staffplan.i18n import t
from staffplan.results import Violation
from staffplan.rules.base import Rule

RULE = Rule("new_hires_to_stations", "recruits go to stations", "新招录民警优先分配至派出所",
            key="new_hires_to_stations", default=True, type=bool,
            doc="recruits go to stations or posts, never headquarters",
            doc_zh="新招录民警分配到派出所或警务室，不进机关", about="officer")

WARNINGS = ("recruit_at_headquarters",)  # its warning kinds (labels: warn_<kind>)

MESSAGES = {
    "v_recruit_hq": {"en": "recruit {officer} is placed at headquarters unit {unit}",
                     "zh": "新招录民警 {officer} 被分配到机关 {unit}"},
    "w_recruit_hq": {"en": "recruit {officer} is placed at headquarters unit {unit}",
                     "zh": "新招录民警 {officer} 被分配到机关 {unit}"},
    "warn_recruit_at_headquarters": {"en": "recruit placed at headquarters",
                                     "zh": "新招录民警分配到机关"},
}


def scope(s, build) -> None:
    build.recruits_only_to(lambda unit: unit.kind.is_station_side, RULE)


def check(s, roster, result) -> None:
    for o in s.officers:
        if o.unit is not None:
            continue
        result.checked += 1
        to = roster.final.get(o.id)
        if to is not None and roster.kind(to) is Kind.HQ:
            result.fail(o.id, t("v_recruit_hq", officer=o.id, unit=to), about="officer")


def warnings(s, roster) -> list[Violation]:
    """With the rule off, a recruit placed at headquarters is still worth a look."""
    if s.rules.new_hires_to_stations:
        return []
    return [Violation("recruit_at_headquarters", o.id,
                      t("w_recruit_hq", officer=o.id, unit=roster.final[o.id]), about="officer")
            for o in s.officers
            if o.unit is None and roster.final.get(o.id) is not None
            and roster.kind(roster.final[o.id]) is Kind.HQ]
