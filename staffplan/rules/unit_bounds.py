"""Each unit keeps to its establishment: min_staff and max_staff from the units file
(单位编制上下限)."""

from __future__ import annotations

from staffplan.domain import Kind
from staffplan.i18n import t
from staffplan.results import Violation
from staffplan.rules.base import Rule

RULE = Rule("unit_bounds", "unit staff bounds", "单位编制上下限",
            key="unit_bounds", default=True, type=bool,
            doc="each unit's `min_staff` / `max_staff` hold",
            doc_zh="各单位人数不低于编制下限（min_staff）、不超过编制上限（max_staff）",
            about="unit")

WARNINGS = ("hq_above_bounds",)  # its warning kinds (labels: warn_<kind>)

MESSAGES = {
    "v_below_min": {"en": "unit {unit} has {n} officer(s), below its minimum {min}",
                    "zh": "单位 {unit} 有 {n} 人，低于编制下限 {min}"},
    "v_above_max": {"en": "unit {unit} has {n} officer(s), above its maximum {max}",
                    "zh": "单位 {unit} 有 {n} 人，超过编制上限 {max}"},
    "w_hq_above": {"en": "headquarters unit {unit} has {n} officer(s), above its maximum {max}",
                   "zh": "机关 {unit} 有 {n} 人，超过编制上限 {max}"},
    "warn_hq_above_bounds": {"en": "headquarters unit above its maximum", "zh": "机关超编"},
    "x_bounds": {"en": "{rule}{given}: {n} unit(s) off their bounds by {short} officer(s) "
                       "in all: {units}",
                 "zh": "{rule}{given}：{n} 个单位共需突破编制 {short} 人：{units}"},
    # One unit in that list: its bound, and the officers the other rules need there.
    "x_bound_max": {"en": "{unit} (max {max}, the other rules need {n})",
                    "zh": "{unit}（上限 {max} 人，其他规则需要 {n} 人）"},
    "x_bound_min": {"en": "{unit} (min {min}, the other rules leave {n})",
                    "zh": "{unit}（下限 {min} 人，其他规则只能留 {n} 人）"},
}


def constrain(s, build) -> None:
    for u in s.organisation.staffed_units:
        if u.closed:
            continue
        if u.min_staff is not None:
            build.at_least(RULE, u.id, build.final(u.id), u.min_staff)
        if u.max_staff is not None:
            build.at_most(RULE, u.id, build.final(u.id), u.max_staff)


def check(s, roster, result) -> None:
    for u in roster.units.values():
        if u.closed or (u.min_staff is None and u.max_staff is None):
            continue
        result.checked += 1
        n = roster.count[u.id]
        if u.min_staff is not None and n < u.min_staff:
            result.fail(u.id, t("v_below_min", unit=u.id, n=n, min=u.min_staff),
                        {"officers": n, "min_staff": u.min_staff}, "unit")
        if u.max_staff is not None and n > u.max_staff:
            result.fail(u.id, t("v_above_max", unit=u.id, n=n, max=u.max_staff),
                        {"officers": n, "max_staff": u.max_staff}, "unit")


def warnings(s, roster) -> list[Violation]:
    """With the rule off, a headquarters unit above its maximum is still worth a look."""
    if s.rules.unit_bounds:
        return []
    return [Violation("hq_above_bounds", u.id,
                      t("w_hq_above", unit=u.id, n=roster.count[u.id], max=u.max_staff),
                      about="unit")
            for u in roster.units.values()
            if u.kind is Kind.HQ and u.max_staff is not None and roster.count[u.id] > u.max_staff]


def shortfall(relaxed) -> list[str]:
    units = relaxed.short_subjects()
    parts = []
    for uid in units[:6]:
        unit = relaxed.scenario.organisation[uid]
        n = relaxed.value(uid)
        if unit.min_staff is not None and n < unit.min_staff:
            parts.append(t("x_bound_min", unit=uid, min=unit.min_staff, n=n))
        else:
            parts.append(t("x_bound_max", unit=uid, max=unit.max_staff, n=n))
    return [t("x_bounds", rule=relaxed.label, given=relaxed.given, n=len(units),
              short=sum(relaxed.short.values()),
              units=", ".join(parts) + (" ..." if len(units) > 6 else ""))]
