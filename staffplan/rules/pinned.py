"""A pinned officer stays where they are (留任人员不调动)."""

from __future__ import annotations

from staffplan.i18n import rule_label, t
from staffplan.rules.base import Rule

RULE = Rule("pinned", "pinned officers stay", "留任人员不调动",
            doc="a `pinned` officer stays at their unit", doc_zh="标记为留任（pinned）的民警不调动",
            about="officer")

MESSAGES = {
    "v_pinned": {"en": "pinned officer {officer} moves from {unit}",
                 "zh": "留任民警 {officer} 被调离 {unit}"},
    "r_pinned": {"en": "pinned: stays", "zh": "留任：不调动"},
}


def hold(s, build) -> None:
    for o in s.officers:
        if o.pinned:
            build.hold(o.id, o.unit, RULE)


def reason(s, officer) -> str:
    return t("r_pinned")


def explain(s, officer) -> str:
    return rule_label(RULE)


def check(s, roster, result) -> None:
    for o in s.officers:
        if not o.pinned:
            continue
        result.checked += 1
        if roster.final.get(o.id) != o.unit:
            result.fail(o.id, t("v_pinned", officer=o.id, unit=o.unit), about="officer")
