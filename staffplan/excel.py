"""The plan as an Excel workbook, as personnel offices keep it (plan.xlsx).

Sheets: the summary per bureau (targets, whether each is met, coloured by conditional
formatting), the moves, the approvals, the final roster, and the rules, config and overrides
used. Header rows are frozen, columns sized, shares formatted as percentages.
"""

from __future__ import annotations

import io
from datetime import datetime, time
from fractions import Fraction

from staffplan.check import CheckReport
from staffplan.i18n import kind_name, t
from staffplan.plan import PlanResult
from staffplan.report import config_dict, move_kind_name

RED = "FFC7CE"
GREEN = "C6EFCE"


def _f(x: Fraction | None) -> float | None:
    return None if x is None else float(x)


def write_table(ws, headers: list[str], rows: list[list], widths: dict[int, int] | None = None,
                percent_cols: tuple[int, ...] = ()) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for row in rows:
        ws.append(row)
    ws.freeze_panes = "A2"
    for i, header in enumerate(headers, start=1):
        letter = get_column_letter(i)
        longest = max([len(str(header))] + [len(str(r[i - 1])) for r in rows[:500] if r[i - 1] is not None])
        ws.column_dimensions[letter].width = (widths or {}).get(i, min(max(10, longest * 1.2 + 2), 60))
        if i in percent_cols:
            for cell in ws[letter][1:]:
                cell.number_format = "0.0%"
    if rows:
        ws.auto_filter.ref = ws.dimensions


def plan_workbook(result: PlanResult, before: CheckReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import PatternFill

    s, r = result.scenario, result.report
    assert r is not None
    wb = Workbook()
    stamp = datetime.combine(s.plan_date, time())
    wb.properties.created = wb.properties.modified = stamp  # the same input, the same file
    wb.properties.creator = "staffplan"

    # Summary per bureau, with live conditional colours on the targets.
    ws = wb.active
    ws.title = t("s_summary")
    prior = {b.bureau: b for b in before.bureaus}
    headers = [t("h_bureau"), t("h_kind"), t("h_force"), t("h_station"),
               f"{t('h_station_share')} ({t('h_before')})", t("h_station_share"), t("h_target"),
               t("h_station_met"), t("h_community"),
               f"{t('h_community_share')} ({t('h_before')})", t("h_community_share"), t("h_target"),
               t("h_community_met"), t("h_posts_staffed"), t("h_posts")]
    rows = []
    for b in r.bureaus:
        p = prior.get(b.bureau)
        rows.append([b.bureau, kind_name(b.kind), b.force, b.station_strength,
                     _f(p.station_share) if p else None, _f(b.station_share), _f(b.station_target),
                     None, b.community_officers,
                     _f(p.community_share) if p else None, _f(b.community_share),
                     _f(b.community_target), None, b.posts_staffed, b.posts])
    write_table(ws, headers, rows, percent_cols=(5, 6, 7, 10, 11, 12))
    n = len(rows) + 1
    for i in range(2, n + 1):
        # "met" cells are formulas, so the workbook stays right if someone edits a figure.
        ws[f"H{i}"] = f'=IF(G{i}="","",IF(F{i}>=G{i},"{t("yes")}","{t("no")}"))'
        ws[f"M{i}"] = f'=IF(L{i}="","",IF(K{i}>=L{i},"{t("yes")}","{t("no")}"))'
    red, green = PatternFill("solid", bgColor=RED), PatternFill("solid", bgColor=GREEN)
    for share, target in (("F", "G"), ("K", "L")):
        rng = f"{share}2:{share}{n}"
        ws.conditional_formatting.add(rng, FormulaRule(
            formula=[f'AND(${target}2<>"",${share}2<${target}2)'], fill=red))
        ws.conditional_formatting.add(rng, FormulaRule(
            formula=[f'AND(${target}2<>"",${share}2>=${target}2)'], fill=green))
    ws.conditional_formatting.add(f"N2:N{n}", FormulaRule(formula=["$N2<$O2"], fill=red))

    def reason(o):
        return result.reasons.get(o.id, "")

    officers = sorted(s.officers, key=lambda o: o.id)
    moved = [o for o in officers if o.unit is not None and result.final.get(o.id) != o.unit]
    ws = wb.create_sheet(t("s_moves"))
    write_table(ws, [t("h_officer"), t("h_name"), t("h_from"), t("h_to"), t("h_kind"), t("h_reason")],
                [[o.id, o.name, o.unit, result.final.get(o.id),
                  move_kind_name(f"{s.organisation[o.unit].kind.value} -> "
                                 f"{s.organisation[result.final[o.id]].kind.value}")
                  if result.final.get(o.id) else "", reason(o)] for o in moved],
                widths={6: 70})

    ws = wb.create_sheet(t("s_approvals"))
    write_table(ws, [t("h_officer"), t("h_name"), t("h_from"), t("h_to"), t("h_tenure"), t("h_rule"),
                     t("h_approved")],
                [[a.officer, s.officer_by_id[a.officer].name, a.from_unit, a.to_unit, a.tenure, a.rule,
                  t("yes") if a.approved else t("no")] for a in r.approvals])

    ws = wb.create_sheet(t("s_roster"))
    write_table(ws, [t("h_officer"), t("h_name"), t("h_from"), t("h_to"), t("h_moved"), t("h_reason")],
                [[o.id, o.name, o.unit or "", result.final.get(o.id) or "",
                  t("yes") if o in moved else t("no"), reason(o)] for o in officers],
                widths={6: 70})

    ws = wb.create_sheet(t("s_rules"))
    rule_rows = [[x.rule, x.label, t(f"status_{x.status}"), x.checked, len(x.violations)]
                 for x in r.results]
    write_table(ws, [t("h_rule"), t("h_label"), t("h_status"), t("h_checked"), t("h_violations")],
                rule_rows, widths={2: 50})
    ws.append([])
    ws.append([t("h_key"), t("h_value"), t("h_source")])
    prov = s.provenance
    flat = _flat(config_dict(s.config))
    for key, value in flat.items():
        source = prov.sources.get(key, "default") if prov else ""
        ws.append([key, "" if value is None else str(value), source])
    if prov and prov.overrides:
        ws.append([])
        ws.append([t("h_override")])
        for o in prov.overrides:
            ws.append([str(o)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _flat(data: dict, prefix: str = "") -> dict:
    out = {}
    for k, v in data.items():
        if isinstance(v, dict) and v:
            out.update(_flat(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out
