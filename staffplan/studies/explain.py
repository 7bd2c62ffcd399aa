"""Why this officer moves or stays; what binds at this unit or bureau. In plain words.

Each function returns lines: the first is the heading, each other line one statement,
``label: text`` where it has a label (the terminal hangs a wrapped line under its text).
"""

from __future__ import annotations

from staffplan.domain import Kind, Scenario
from staffplan.i18n import kind_name, rule_label, t
from staffplan.model import placement
from staffplan.moves import kind_of, order, placement_kind, placement_label
from staffplan.moves import label as move_label
from staffplan.plan import leave_order
from staffplan.report.files import met, pct
from staffplan.results import CheckReport, PlanResult
from staffplan.rules import MODULE_BY_ID, RULE_BY_ID
from staffplan.rules.min_community_tenure import completed_years


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
    approved = _approved_early(scenario, o)
    if approved is not None:
        lines.append(approved if to == o.unit else
                     approved + t("e_approved_listed"))
    place = placement(scenario)
    holds = [MODULE_BY_ID[rule].explain(scenario, o) for rule, _ in place.holds.get(officer_id, [])]
    group = place.groups[place.group_of[officer_id]] if officer_id in place.group_of else None
    keeps = place.steps[0].keeps
    if group is not None and group.held[0] and keeps:
        holds.append(MODULE_BY_ID[keeps[0][0]].explain(scenario, o))
    if holds:
        lines.append(t("e_holds", rules=t("t_list_sep").join(holds)))
        return lines
    if o.unit is None or group is None:
        return lines
    lines.append(t("e_free"))
    free = group.members
    order_ = leave_order(scenario, o.unit, free)
    leaving = [x for x in free if result.final.get(x) != o.unit]
    is_post = scenario.organisation[o.unit].kind is Kind.POST
    lines.append(t("e_choice", n=len(leaving), total=len(free), unit=o.unit,
                   rank=order_.index(officer_id) + 1,
                   order=t("e_order_post") if is_post else t("e_order_hq")))
    return lines


def _approved_early(scenario: Scenario, o) -> str | None:
    """An officer at a post before the minimum tenure whose early move the city committee
    approved (``move_approved``): no rule holds them, and a move needs no more approval."""
    years = scenario.rules.min_community_tenure_years
    if (years is None or not o.move_approved or o.unit is None or o.community_since is None
            or scenario.organisation[o.unit].kind is not Kind.POST):
        return None
    from staffplan.domain import tenure_text

    if completed_years(o.community_since, scenario.plan_date) >= years:
        return None
    return t("e_approved", tenure=tenure_text(o.community_since, scenario.plan_date),
             years=years)


def explain_unit(scenario: Scenario, result: PlanResult, unit_id: str) -> list[str]:
    org = scenario.organisation
    u = org[unit_id]
    bureau = org.bureau_of(unit_id)
    before = sum(1 for o in scenario.officers if o.unit == unit_id)
    after = sum(1 for v in result.final.values() if v == unit_id)
    out = sum(1 for o in scenario.officers
              if o.unit == unit_id and result.final.get(o.id) != unit_id)
    arrive = sum(1 for o in scenario.officers
                 if o.unit not in (None, unit_id) and result.final.get(o.id) == unit_id)
    recruits = sum(1 for o in scenario.officers
                   if o.unit is None and result.final.get(o.id) == unit_id)
    lines = [t("e_unit", unit=unit_id, kind=kind_name(u.kind.value), bureau=bureau),
             t("e_unit_counts", before=before, after=after, out=out, in_=arrive, recruits=recruits)]
    binds = []
    rules = scenario.rules
    if u.closed:
        binds.append(rule_label(RULE_BY_ID["closed_units"]))
    if rules.unit_bounds and (after == u.min_staff or after == u.max_staff):
        binds.append(t("e_bounds", rule=rule_label(RULE_BY_ID["unit_bounds"]),
                       min=u.min_staff if u.min_staff is not None else "-",
                       max=u.max_staff if u.max_staff is not None else "-"))
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
    lines.append(t("e_binds", rules=t("t_list_sep").join(binds)) if binds else t("e_none_bind"))
    return lines


def explain_bureau(scenario: Scenario, result: PlanResult, before: CheckReport,
                   bureau_id: str) -> list[str]:
    """A bureau before and after: force, the two shares against their targets, posts
    staffed, community funds, its moves by kind and recruits placed, and the share rules
    at their limit (one officer fewer at stations, or at posts, would break them)."""
    org = scenario.organisation
    report = result.report
    assert report is not None
    b = next(x for x in report.bureaus if x.bureau == bureau_id)
    p = next(x for x in before.bureaus if x.bureau == bureau_id)

    def share(rule: str, old, new, target) -> str:
        state = "" if target is None else t("e_met") if met(new, target) else t("e_not_met")
        return t("e_share", rule=rule_label(RULE_BY_ID[rule]), before=pct(old), after=pct(new),
                 target=pct(target) if target is not None else t("status_off"), state=state)

    lines = [t("e_bureau", bureau=bureau_id, kind=kind_name(b.kind)),
             t("e_bureau_force", before=f"{p.force:,}", after=f"{b.force:,}"),
             share("station_share", p.station_share, b.station_share, b.station_target),
             share("community_share", p.community_share, b.community_share, b.community_target),
             t("e_bureau_posts", before=f"{p.posts_staffed:,}/{p.posts:,}",
               after=f"{b.posts_staffed:,}/{b.posts:,}"),
             t("e_bureau_funds", before=f"{p.community_funds:,}", after=f"{b.community_funds:,}")]
    kinds: dict[str, int] = {}
    placed: dict[str, int] = {}
    for o in scenario.officers:
        to = result.final.get(o.id)
        home = o.unit or to
        if home is None or org.bureau_or_none(home) != bureau_id:
            continue
        k = kind_of(scenario, o, to)
        if k is not None:
            kinds[k] = kinds.get(k, 0) + 1
        where = placement_kind(scenario, o, to)
        if where is not None:
            placed[where] = placed.get(where, 0) + 1
    sep = t("t_list_sep")
    moves = sep.join(f"{move_label(k)} {kinds[k]:,}" for k in order(kinds))
    lines.append(t("e_bureau_moves", n=f"{sum(kinds.values()):,}", kinds=moves or "—"))
    if placed:
        lines.append(t("e_bureau_placed", n=f"{sum(placed.values()):,}",
                       kinds=sep.join(f"{placement_label(k)} {n:,}" for k, n in placed.items())))
    binds = []
    if b.station_target is not None and b.station_strength - 1 < b.station_target * b.force:
        binds.append(t("e_at_limit_station", rule=rule_label(RULE_BY_ID["station_share"])))
    if (b.community_target is not None
            and b.community_officers - 1 < b.community_target * b.station_strength):
        binds.append(t("e_at_limit_community", rule=rule_label(RULE_BY_ID["community_share"])))
    lines.append(t("e_binds", rules=sep.join(binds)) if binds else t("e_none_bind"))
    return lines
