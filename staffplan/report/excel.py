"""The plan as an Excel workbook, as personnel offices keep it (plan.xlsx).

Sheets: the summary per bureau (targets, whether each is met, coloured by conditional
formatting), the moves, the approvals, the final roster, and the rules, config and overrides
used. Header rows are frozen, columns sized, shares formatted as percentages.
"""

from __future__ import annotations

from datetime import datetime, time
from fractions import Fraction

from staffplan.i18n import kind_name, t
from staffplan.report.files import config_dict, flat_config
from staffplan.moves import kind_of, label as move_label
from staffplan.report.xlsx import Formula, Sheet, workbook
from staffplan.results import CheckReport, PlanResult


def _f(x: Fraction | None) -> float | None:
    return None if x is None else float(x)


def plan_workbook(result: PlanResult, before: CheckReport) -> bytes:
    s, r = result.scenario, result.report
    assert r is not None
    yes, no = t("yes"), t("no")

    # Summary per bureau; "met" cells are formulas (the only ones: data is always text) and
    # the colours conditional, so the workbook stays right if someone edits a figure.
    prior = {b.bureau: b for b in before.bureaus}
    rows = []

    def met(i: int, share: str, target: str, value, goal) -> Formula:
        result = "" if goal is None else (yes if value is not None and value >= goal else no)
        return Formula(f'=IF({target}{i}="","",IF({share}{i}>={target}{i},"{yes}","{no}"))',
                       result)

    for i, b in enumerate(r.bureaus, start=2):
        p = prior.get(b.bureau)
        rows.append([b.bureau, kind_name(b.kind), b.force, b.station_strength,
                     _f(p.station_share) if p else None, _f(b.station_share), _f(b.station_target),
                     met(i, "F", "G", b.station_share, b.station_target), b.community_officers,
                     _f(p.community_share) if p else None, _f(b.community_share),
                     _f(b.community_target), met(i, "K", "L", b.community_share, b.community_target),
                     b.posts_staffed, b.posts, p.community_funds if p else None,
                     b.community_funds])
    n = len(rows) + 1
    summary = Sheet(
        t("s_summary"),
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
                     (f"N2:N{n}", "$N2<$O2", "red")])

    officers = sorted(s.officers, key=lambda o: o.id)
    moved = [o for o in officers if o.unit is not None and result.final.get(o.id) != o.unit]
    moved_ids = {o.id for o in moved}
    moves = Sheet(t("s_moves"), [t("h_officer"), t("h_name"), t("h_from"), t("h_to"), t("h_kind"),
                                 t("h_reason")],
                  [[o.id, o.name, o.unit, result.final.get(o.id),
                    move_label(kind_of(s, o, result.final.get(o.id))),
                    result.reasons.get(o.id, "")] for o in moved],
                  widths={6: 70})
    approvals = Sheet(t("s_approvals"), [t("h_officer"), t("h_name"), t("h_from"), t("h_to"),
                                         t("h_tenure"), t("h_rule"), t("h_approved")],
                      [[a.officer, s.officer_by_id[a.officer].name, a.from_unit, a.to_unit, a.tenure,
                        a.rule, yes if a.approved else no] for a in r.approvals])
    roster = Sheet(t("s_roster"), [t("h_officer"), t("h_name"), t("h_from"), t("h_to"), t("h_moved"),
                                   t("h_reason")],
                   [[o.id, o.name, o.unit or "", result.final.get(o.id) or "",
                     yes if o.id in moved_ids else no, result.reasons.get(o.id, "")]
                    for o in officers], widths={6: 70})
    prov = s.provenance
    extra = [[t("h_key"), t("h_value"), t("h_source")]]
    for key, value in flat_config(config_dict(s.config)).items():
        if key == "plan_date":
            value = s.plan_date  # a real date cell
        extra.append([key, "" if value is None else value if key == "plan_date" else str(value),
                      prov.sources.get(key, "default") if prov else ""])
    if prov and prov.overrides:
        extra += [[""], [t("h_override")]] + [[str(o)] for o in prov.overrides]
    rules = Sheet(t("s_rules"), [t("h_rule"), t("h_label"), t("h_status"), t("h_checked"),
                                 t("h_violations")],
                  [[x.rule, x.label, t(f"status_{x.status}"), x.checked, len(x.violations)]
                   for x in r.results], widths={1: 30, 2: 50}, extra=extra)
    return workbook([summary, moves, approvals, roster, rules],
                    datetime.combine(s.plan_date, time()))
