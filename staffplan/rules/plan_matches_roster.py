"""A proposed plan lists every officer of the roster once, and no one else, and leaves no
serving officer without a unit (调整方案与花名册一致). A plan read from a file can break it;
a plan staffplan made is checked the same way (every officer of the roster has a place in
it, a serving officer a unit), so ``plan`` and ``check --assignments`` count the same
officers. The current roster is no plan: nothing to check."""

from __future__ import annotations

from staffplan.i18n import t
from staffplan.rules.base import Rule

RULE = Rule("plan_matches_roster", "the plan lists every officer once", "调整方案与花名册一致",
            doc="a plan file (`check --assignments`) lists every officer of the roster and "
                "no one else, and gives every serving officer a unit",
            doc_zh="调整方案文件列出花名册中的每名民警，且不多列；在岗民警都有去向单位",
            about="officer")

MESSAGES = {
    "v_missing": {"en": "officer {officer} is on the roster but not in the plan",
                  "zh": "民警 {officer} 在花名册中，但不在调整方案中"},
    "v_added": {"en": "officer {officer} is in the plan but not on the roster",
                "zh": "民警 {officer} 在调整方案中，但不在花名册中"},
    "v_no_unit": {"en": "officer {officer} of {unit} has no unit in the plan (to_unit is empty)",
                  "zh": "民警 {officer}（现 {unit}）在调整方案中没有去向单位（to_unit 为空）"},
}


def check(s, roster, result) -> None:
    proposed = roster.proposed
    if proposed is None:
        if roster.mode == "plan":  # a plan made in memory: every officer has an entry
            result.checked = len(s.officers)
            for o in s.officers:
                if o.id not in roster.final:
                    result.fail(o.id, t("v_missing", officer=o.id), about="officer")
        return
    result.checked = len(s.officers) + len(proposed.added)
    for oid in proposed.missing:
        result.fail(oid, t("v_missing", officer=oid), about="officer")
    for oid in proposed.added:
        result.fail(oid, t("v_added", officer=oid), about="officer")
    for o in s.officers:  # a serving officer the plan leaves without a unit
        if o.unit is not None and o.id in proposed.rows and roster.final.get(o.id) is None:
            result.fail(o.id, t("v_no_unit", officer=o.id, unit=o.unit), about="officer")
