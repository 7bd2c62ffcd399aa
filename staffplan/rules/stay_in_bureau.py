"""Moves stay within the officer's bureau; recruits go to the bureau that recruited them.
在本局内调整."""

from __future__ import annotations

from staffplan.i18n import t
from staffplan.rules.base import Rule

RULE = Rule("stay_in_bureau", "moves stay within the bureau", "在本局内调整",
            key="stay_in_bureau", default=True, type=bool,
            doc="officers move only within their bureau; recruits go to the bureau that names "
                "them", doc_zh="民警只在本局内调整；新招录民警分配到招录他们的局",
            about="officer")

MESSAGES = {
    "v_bureau": {"en": "{who} {officer} of bureau {origin} is placed at {unit} in bureau {other}",
                 "zh": "{origin} 的{who} {officer} 被调到 {other} 的 {unit}"},
}


def scope(s, build) -> None:
    build.pool_by_bureau(RULE)


def check(s, roster, result) -> None:
    for o in s.officers:
        to = roster.final.get(o.id)
        origin = roster.bureau(o.unit) if o.unit is not None else o.bureau
        if origin is None:
            continue
        result.checked += 1
        if to is not None and roster.bureau(to) != origin:
            who = t("who_recruit") if o.unit is None else t("who_officer")
            result.fail(o.id, t("v_bureau", who=who, officer=o.id, origin=origin, unit=to,
                                other=roster.bureau(to)), about="officer")
