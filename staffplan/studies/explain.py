"""Why this officer moves or stays; what binds at this unit. In plain words."""

from __future__ import annotations

from staffplan.domain import Kind, Scenario
from staffplan.i18n import kind_name, rule_label, t
from staffplan.model import placement
from staffplan.plan import leave_order
from staffplan.results import PlanResult
from staffplan.rules import MODULE_BY_ID, RULE_BY_ID


def explain_officer(scenario: Scenario, result: PlanResult, officer_id: str) -> list[str]:
    o = scenario.officer_by_id[officer_id]
    to = result.final.get(officer_id)
    lines = [t("e_officer", officer=officer_id)]
    if o.unit is None:
        lines.append(t("e_placed", dst=to))
    elif to != o.unit:
        lines.append(t("e_moves", src=o.unit, dst=to))
    else:
        lines.append(t("e_stays", unit=o.unit))
    lines.append(t("e_why", reason=result.reasons.get(officer_id, "")))
    place = placement(scenario)
    holds = [MODULE_BY_ID[rule].explain(scenario, o) for rule, _ in place.holds.get(officer_id, [])]
    group = place.groups[place.group_of[officer_id]] if officer_id in place.group_of else None
    keeps = place.steps[0].keeps
    if group is not None and group.held[0] and keeps:
        holds.append(MODULE_BY_ID[keeps[0][0]].explain(scenario, o))
    if holds:
        lines.append(t("e_holds", rules="; ".join(holds)))
        return lines
    if o.unit is None or group is None:
        return lines
    lines.append(t("e_free"))
    free = group.members
    order = leave_order(scenario, o.unit, free)
    leaving = [x for x in free if result.final.get(x) != o.unit]
    is_post = scenario.organisation[o.unit].kind is Kind.POST
    lines.append(t("e_choice", n=len(leaving), total=len(free), unit=o.unit,
                   rank=order.index(officer_id) + 1,
                   order=t("e_order_post") if is_post else t("e_order_hq")))
    return lines


def explain_unit(scenario: Scenario, result: PlanResult, unit_id: str) -> list[str]:
    org = scenario.organisation
    u = org[unit_id]
    bureau = org.bureau_of(unit_id)
    before = sum(1 for o in scenario.officers if o.unit == unit_id)
    after = sum(1 for v in result.final.values() if v == unit_id)
    out = sum(1 for o in scenario.officers if o.unit == unit_id and result.final.get(o.id) != unit_id)
    arrive = sum(1 for o in scenario.officers
                 if o.unit not in (None, unit_id) and result.final.get(o.id) == unit_id)
    recruits = sum(1 for o in scenario.officers if o.unit is None and result.final.get(o.id) == unit_id)
    lines = [t("e_unit", unit=unit_id, kind=kind_name(u.kind.value), bureau=bureau),
             t("e_unit_counts", before=before, after=after, out=out, in_=arrive, recruits=recruits)]
    binds = []
    rules = scenario.rules
    if u.closed:
        binds.append(rule_label(RULE_BY_ID["closed_units"]))
    if rules.unit_bounds and (after == u.min_staff or after == u.max_staff):
        binds.append(f"{rule_label(RULE_BY_ID['unit_bounds'])} "
                     f"({u.min_staff if u.min_staff is not None else '-'}..{u.max_staff if u.max_staff is not None else '-'})")
    if rules.staff_every_post and u.kind is Kind.POST and not u.closed and after == 1:
        binds.append(rule_label(RULE_BY_ID["staff_every_post"]))
    report = result.report
    if report is not None and u.kind.is_station_side:
        b = next(x for x in report.bureaus if x.bureau == bureau)
        if b.station_target is not None and b.station_strength - 1 < b.station_target * b.force:
            binds.append(f"{rule_label(RULE_BY_ID['station_share'])} ({bureau})")
        if (u.kind is Kind.POST and b.community_target is not None
                and b.community_officers - 1 < b.community_target * b.station_strength):
            binds.append(f"{rule_label(RULE_BY_ID['community_share'])} ({bureau})")
        if (u.kind is Kind.STATION and b.community_target is not None
                and b.community_officers < b.community_target * (b.station_strength + 1)):
            binds.append(f"{rule_label(RULE_BY_ID['community_share'])} ({bureau})")
    lines.append(t("e_binds", rules="; ".join(binds)) if binds else t("e_none_bind"))
    return lines

