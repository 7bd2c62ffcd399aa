"""Every recruit is placed (新招录民警全部分配). The model places each recruit by
construction; the checker makes sure."""

from __future__ import annotations

from staffplan.i18n import t
from staffplan.rules.base import Rule

RULE = Rule("recruits_placed", "every recruit placed", "新招录民警全部分配",
            doc="every recruit (an officer with no `unit`) is placed",
            doc_zh="每名新招录民警（无单位）都分配到单位", about="officer")

MESSAGES = {
    "v_unplaced": {"en": "recruit {officer} is not placed", "zh": "新招录民警 {officer} 未分配"},
}


def check(s, roster, result) -> None:
    if roster.mode == "roster":
        return  # recruits not yet placed are listed in the report, not counted
    for o in s.officers:
        if o.unit is None:
            result.checked += 1
            if roster.final.get(o.id) is None:
                result.fail(o.id, t("v_unplaced", officer=o.id), about="officer")
