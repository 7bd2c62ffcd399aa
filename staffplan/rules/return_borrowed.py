"""Officers borrowed by headquarters go back to their own unit.
借调人员归建."""

from __future__ import annotations

from staffplan.i18n import rule_label, t
from staffplan.rules.base import Rule

RULE = Rule("return_borrowed", "borrowed officers return", "借调人员归建",
            key="return_borrowed", default=True, type=bool,
            doc="an officer with a `home_unit` goes back to it",
            doc_zh="填写了原单位（home_unit）的借调民警回到原单位", about="officer")

MESSAGES = {
    "v_borrowed": {"en": "borrowed officer {officer} is at {unit}, not back at home unit {home}",
                   "zh": "借调民警 {officer} 仍在 {unit}，未归建到 {home}"},
    "r_return": {"en": "borrowed officer returns to home unit {unit}",
                 "zh": "借调人员归建到 {unit}"},
    "r_at_home": {"en": "borrowed officer already at home unit", "zh": "借调人员已在原单位"},
}


def hold(s, build) -> None:
    for o in s.officers:
        if o.home_unit is not None:
            build.hold(o.id, o.home_unit, RULE)


def reason(s, officer) -> str:
    return t("r_return", unit=officer.home_unit) if officer.home_unit != officer.unit \
        else t("r_at_home")


def explain(s, officer) -> str:
    return f"{rule_label(RULE)} → {officer.home_unit}"


def check(s, roster, result) -> None:
    for o in s.officers:
        if o.home_unit is None:
            continue
        result.checked += 1
        to = roster.final.get(o.id)
        if to != o.home_unit:
            result.fail(o.id, t("v_borrowed", officer=o.id, unit=to, home=o.home_unit),
                        about="officer")
