"""A proposed plan lists every officer of the roster once, and no one else
(调整方案与花名册一致). Only a plan read from a file can break it."""

from __future__ import annotations

from staffplan.i18n import t
from staffplan.rules.base import Rule

RULE = Rule("plan_matches_roster", "the plan lists every officer once", "调整方案与花名册一致",
            doc="a plan file (`check --assignments`) lists every officer of the roster and "
                "no one else", doc_zh="调整方案文件列出花名册中的每名民警，且不多列",
            about="officer")

MESSAGES = {
    "v_missing": {"en": "officer {officer} is on the roster but not in the plan",
                  "zh": "民警 {officer} 在花名册中，但不在调整方案中"},
    "v_added": {"en": "officer {officer} is in the plan but not on the roster",
                "zh": "民警 {officer} 在调整方案中，但不在花名册中"},
}


def check(s, roster, result) -> None:
    proposed = roster.proposed
    if proposed is None:
        return
    result.checked = len(s.officers) + len(proposed.added)
    for oid in proposed.missing:
        result.fail(oid, t("v_missing", officer=oid), about="officer")
    for oid in proposed.added:
        result.fail(oid, t("v_added", officer=oid), about="officer")
