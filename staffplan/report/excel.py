"""The plan as an Excel workbook, as personnel offices keep it (plan.xlsx).

Sheets: the summary per bureau (targets, whether each is met, coloured by conditional
formatting), for a plan of several steps the steps side by side and a sheet per step, the
moves, the approvals, the roster at every step, and the rules, config and overrides used.
Header rows are frozen, columns sized, shares formatted as percentages, dates real dates.
"""

from __future__ import annotations

import json
from datetime import datetime, time
from fractions import Fraction

from staffplan.i18n import kind_name, t
from staffplan.moves import kind_of
from staffplan.moves import label as move_label
from staffplan.report.files import config_dict, flat_config
from staffplan.report.xlsx import Formula, Sheet, workbook
from staffplan.results import CheckReport, PlanResult


def _f(x: Fraction | None) -> float | None:
    return None if x is None else float(x)


def bureau_sheet(name: str, after, before) -> Sheet:
    """Per bureau: targets and whether each is met, against ``before`` (plain figures).
    The "met" cells are formulas (the only ones: data is always text) and the colours
    conditional, so the workbook stays right if someone edits a figure."""
    yes, no = t("yes"), t("no")
    prior = {b.bureau: b for b in before}
    rows = []

    def met(i: int, share: str, target: str, value, goal) -> Formula:
        result = "" if goal is None else (yes if value is not None and value >= goal else no)
        return Formula(f'=IF({target}{i}="","",IF({share}{i}>={target}{i},"{yes}","{no}"))',
                       result)

    for i, b in enumerate(after, start=2):
        p = prior.get(b.bureau)
        rows.append([b.bureau, kind_name(b.kind), b.force, b.station_strength,
                     _f(p.station_share) if p else None, _f(b.station_share), _f(b.station_target),
                     met(i, "F", "G", b.station_share, b.station_target), b.community_officers,
                     _f(p.community_share) if p else None, _f(b.community_share),
                     _f(b.community_target),
                     met(i, "K", "L", b.community_share, b.community_target),
                     b.posts_staffed, b.posts, p.community_funds if p else None,
                     b.community_funds])
    n = len(rows) + 1

    def total(col: str, value) -> Formula:
        return Formula(f"=SUM({col}2:{col}{n})", value)

    def share(part: str, whole: str, a: int, b: int) -> Formula:
        return Formula(f'=IF({whole}{n + 2}=0,"",{part}{n + 2}/{whole}{n + 2})',
                       a / b if b else "")

    # The city, under the bureaus (outside the filter): sums, so it follows edited figures.
    city = [sum(getattr(b, k) for b in after) for k in
            ("force", "station_strength", "community_officers", "posts_staffed", "posts",
             "community_funds")]
    funds_before = sum(p.community_funds for p in before)
    extra = [[t("h_city"), "", total("C", city[0]), total("D", city[1]), None,
              share("D", "C", city[1], city[0]), None, None, total("I", city[2]), None,
              share("I", "D", city[2], city[1]), None, None, total("N", city[3]),
              total("O", city[4]), total("P", funds_before), total("Q", city[5])]]
    return Sheet(
        name,
        [t("h_bureau"), t("h_kind"), t("h_force"), t("h_station"),
         f"{t('h_station_share')} ({t('h_before')})", t("h_station_share"), t("h_target"),
         t("h_station_met"), t("h_community"), f"{t('h_community_share')} ({t('h_before')})",
         t("h_community_share"), t("h_target"), t("h_community_met"), t("h_posts_staffed"),
         t("h_posts"), f"{t('h_funds')} ({t('h_before')})", t("h_funds")],
        rows, percent=(5, 6, 7, 10, 11, 12),
        conditional=[(f"F2:F{n}", 'AND($G2<>"",$F2<$G2)', "red"),
                     (f"F2:F{n}", 'AND($G2<>"",$F2>=$G2)', "green"),
                     (f"K2:K{n}", 'AND($L2<>"",$K2<$L2)', "red"),
                     (f"K2:K{n}", 'AND($L2<>"",$K2>=$L2)', "green"),
                     (f"N2:N{n}", "$N2<$O2", "red")],
        extra=extra)


def plan_workbook(result: PlanResult, before: CheckReport) -> bytes:
    """Sheets: the summary per bureau (the last step against the start), for a plan of
    several steps the steps side by side and one sheet per step, then the moves, the
    approvals, the roster at every step, and the rules, config and overrides used."""
    s, r = result.scenario, result.report
    assert r is not None
    yes, no = t("yes"), t("no")
    steps = result.steps
    many = len(steps) > 1
    sheets = [bureau_sheet(t("s_summary"), r.bureaus, before.bureaus)]
    if many:
        by_step = []
        myopic = result.myopic.moves if result.myopic is not None else []
        for k, step in enumerate(steps):
            b = step.report.bureaus
            station = sum(bool(x.station_share is not None and x.station_target is not None
                               and x.station_share >= x.station_target) for x in b)
            community = sum(bool(x.community_share is not None and x.community_target is not None
                                 and x.community_share >= x.community_target) for x in b)
            by_step.append([step.date, step.report.moves, myopic[k] if k < len(myopic) else None,
                            station, community, len(b),
                            sum(x.posts_staffed for x in b), sum(x.posts for x in b),
                            sum(x.community_officers for x in b),
                            sum(x.community_funds for x in b)])
        sheets.append(Sheet(t("s_horizon"), [
            t("h_date"), t("h_moves"), t("h_myopic_moves"), t("h_station_met_n"),
            t("h_community_met_n"), t("h_bureaus"), t("h_posts_staffed"), t("h_posts"),
            t("h_community"), t("h_funds")], by_step))
        start = before.bureaus
        for step in steps:
            sheets.append(bureau_sheet(step.date.isoformat(), step.report.bureaus, start))
            start = step.report.bureaus
    moved = [(step, o) for step in steps for o in sorted(step.scenario.officers, key=lambda o: o.id)
             if o.unit is not None and step.final.get(o.id) != o.unit]
    sheets.append(Sheet(t("s_moves"), [t("h_date"), t("h_officer"), t("h_name"), t("h_from"),
                                       t("h_to"), t("h_kind"), t("h_reason")],
                        [[step.date, o.id, o.name, o.unit, step.final.get(o.id),
                          move_label(kind_of(step.scenario, o, step.final.get(o.id))),
                          step.reasons.get(o.id, "")] for step, o in moved],
                        widths={7: 70}))
    by_id = s.horizon.officer_by_id if s.horizon else s.officer_by_id
    sheets.append(Sheet(t("s_approvals"), [t("h_date"), t("h_officer"), t("h_name"), t("h_from"),
                                           t("h_to"), t("h_tenure"), t("h_rule"), t("h_approved")],
                        [[a.date, a.officer, by_id[a.officer].name, a.from_unit, a.to_unit,
                          a.tenure, a.rule, yes if a.approved else no] for a in r.approvals]))
    if many:
        sheets.append(_roster_by_step(steps))
    else:
        sheets.append(Sheet(t("s_roster"), [t("h_date"), t("h_officer"), t("h_name"),
                                            t("h_from"), t("h_to"), t("h_moved"), t("h_reason")],
                            [[step.date, o.id, o.name, o.unit or "", step.final.get(o.id) or "",
                              yes if o.unit is not None and step.final.get(o.id) != o.unit else no,
                              step.reasons.get(o.id, "")]
                             for step in steps for o in sorted(step.scenario.officers,
                                                               key=lambda o: o.id)],
                            widths={7: 70}))
    prov = s.provenance
    extra = [[t("h_key"), t("h_value"), t("h_source")]]
    for key, value in flat_config(config_dict(s.config)).items():
        if key == "plan_date":
            value = s.plan_date  # a real date cell
        shown = value if key == "plan_date" or isinstance(value, str) \
            else json.dumps(value, ensure_ascii=False, default=str)  # true, as config says
        extra.append([key, "" if value is None else shown,
                      prov.sources.get(key, "default") if prov else ""])
    if prov and prov.overrides:
        extra += [[""], [t("h_override")]] + [[str(o)] for o in prov.overrides]
    sheets.append(Sheet(t("s_rules"), [t("h_rule"), t("h_label"), t("h_status"), t("h_checked"),
                                       t("h_violations")],
                        [[x.rule, x.label, t(f"status_{x.status}"), x.checked, len(x.violations)]
                         for x in r.results], widths={1: 30, 2: 50}, extra=extra))
    return workbook(sheets, datetime.combine(s.plan_date, time()))


def _roster_by_step(steps) -> Sheet:
    """A plan of several steps: one row per officer, their unit before the plan and at each
    step (empty before they arrive and after they leave), and how many moves the plan makes
    them. The moves and their reasons are on the moves sheet; every step's row is in
    assignments.csv."""
    first: dict[str, tuple] = {}  # officer id -> (officer, the unit before their first step)
    units: dict[str, list] = {}
    moves: dict[str, int] = {}
    for k, step in enumerate(steps):
        for o in step.scenario.officers:
            if o.id not in first:
                first[o.id] = (o, o.unit or "")
                units[o.id] = [""] * len(steps)
                moves[o.id] = 0
            units[o.id][k] = step.final.get(o.id) or ""
            moves[o.id] += o.unit is not None and step.final.get(o.id) != o.unit
    return Sheet(t("s_roster_steps"),
                 [t("h_officer"), t("h_name"), t("h_before_plan")]
                 + [step.date.isoformat() for step in steps] + [t("h_moves")],
                 [[oid, o.name, before, *units[oid], moves[oid]]
                  for oid, (o, before) in sorted(first.items())])
