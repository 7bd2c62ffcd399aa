"""A unit the scenario closes ends the plan empty (撤并单位人员全部调出)."""

from __future__ import annotations

from staffplan.i18n import t
from staffplan.rules.base import Rule

RULE = Rule("closed_units", "closed units end empty", "撤并单位人员全部调出",
            doc="a unit in `changes.close_units` ends with no officer; its officers move "
                "whatever their tenure", doc_zh="撤并的单位（changes.close_units）不再留人",
            about="unit")

MESSAGES = {
    "v_closed": {"en": "closed unit {unit} still has {n} officer(s)",
                 "zh": "撤并单位 {unit} 仍有 {n} 人"},
    "x_closed": {"en": "{rule}{given}: {n} closed unit(s) cannot be emptied: {units}",
                 "zh": "{rule}{given}：{n} 个撤并单位无法清空：{units}"},
}


def constrain(s, build) -> None:
    for u in s.organisation.staffed_units:
        if u.closed:
            build.at_most(RULE, u.id, build.final(u.id), 0)


def check(s, roster, result) -> None:
    for u in roster.units.values():
        if not u.closed:
            continue
        result.checked += 1
        n = roster.count[u.id]
        if n:
            result.fail(u.id, t("v_closed", unit=u.id, n=n), {"officers": n}, "unit")


def shortfall(relaxed) -> list[str]:
    units = relaxed.short_subjects()
    return [t("x_closed", rule=relaxed.label, given=relaxed.given, n=len(units),
              units=relaxed.listing(units))]
