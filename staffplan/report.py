"""What a plan or a check looks like to people (Rich tables) and machines (CSV, JSON).

Every figure shown comes from the checker's report, never from the model.
"""

from __future__ import annotations

import csv
import io
import json
from fractions import Fraction

from rich.console import Console
from rich.table import Table
from rich.text import Text

from staffplan import __version__
from staffplan.check import BureauFigures, CheckReport
from staffplan.i18n import kind_name, t
from staffplan.plan import PlanResult

ASSIGNMENT_COLUMNS = ["officer_id", "officer_name", "from_unit", "to_unit", "moved", "reason"]


def pct(x: Fraction | float | None) -> str:
    return "n/a" if x is None else f"{float(x) * 100:.1f}%"


def _met(value: Fraction | None, target: Fraction | None) -> bool | None:
    if target is None:
        return None
    return value is not None and value >= target


# --- Files ----------------------------------------------------------------------------------

def assignments_csv(result: PlanResult) -> str:
    """``assignments.csv``: one row per officer, sorted by officer id."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(ASSIGNMENT_COLUMNS)
    for o in sorted(result.scenario.officers, key=lambda o: o.id):
        to = result.final.get(o.id)
        moved = o.unit is not None and to != o.unit
        w.writerow([o.id, o.name, o.unit or "", to or "", "true" if moved else "false",
                    result.reasons.get(o.id, "")])
    return buf.getvalue()


def bureau_dict(b: BureauFigures) -> dict:
    return {
        "bureau": b.bureau, "kind": b.kind, "force": b.force,
        "station_strength": b.station_strength,
        "station_share": _num(b.station_share), "station_target": _num(b.station_target),
        "station_met": _met(b.station_share, b.station_target),
        "community_officers": b.community_officers,
        "community_share": _num(b.community_share), "community_target": _num(b.community_target),
        "community_met": _met(b.community_share, b.community_target),
        "posts": b.posts, "posts_staffed": b.posts_staffed,
    }


def _num(x: Fraction | None) -> float | None:
    return None if x is None else round(float(x), 6)


def check_dict(report: CheckReport) -> dict:
    return {
        "mode": report.mode,
        "ok": report.ok,
        "violations": len(report.violations),
        "rules": [{
            "rule": r.rule, "label": r.label, "status": r.status, "checked": r.checked,
            "violations": [{"subject": v.subject, "message": v.message, "figures": v.figures}
                           for v in r.violations],
        } for r in report.results],
        "bureaus": [bureau_dict(b) for b in report.bureaus],
        "unplaced_recruits": report.unplaced_recruits,
        "warnings": len(report.warnings),
        "approvals": len(report.approvals),
        "moves": report.moves,
        "moves_by_kind": report.moves_by_kind,
    }


def summary_dict(result: PlanResult, before: CheckReport) -> dict:
    o = result.outcome
    out = {
        "staffplan_version": __version__,
        "scenario": result.scenario.config.name,
        "plan_date": result.scenario.plan_date.isoformat(),
        "status": result.status.value,
        "proven_optimal": result.status.value == "optimal",
        "objective": result.moves,
        "bound": None if o is None or o.bound is None else round(o.bound, 6),
        "gap": None if o is None or o.gap is None else round(o.gap, 6),
        "conflicts": result.conflicts,
        "config": config_dict(result.scenario.config),
        "provenance": provenance_dict(result.scenario.provenance),
        "before": {"bureaus": [bureau_dict(b) for b in before.bureaus]},
    }
    if result.report is not None:
        r = result.report
        out["moves"] = {"total": r.moves, "by_kind": r.moves_by_kind}
        out["approvals"] = len(r.approvals)
        out["recruits_placed"] = sum(v for k, v in r.moves_by_kind.items() if k.startswith("recruit"))
        out["bureaus"] = [bureau_dict(b) for b in r.bureaus]
        out["rules"] = [{"rule": x.rule, "label": x.label, "status": x.status,
                         "checked": x.checked, "violations": len(x.violations)}
                        for x in r.results]
    out["solver"] = {"name": o.solver if o else None,
                     "seconds": None if o is None else round(o.seconds, 3)}
    out["timing_seconds"] = {k: round(v, 3) for k, v in result.timings.items()}
    return out


def config_dict(config) -> dict:
    """The effective config as plain data (paths and dates as text)."""
    return config.model_dump(mode="json", exclude={"extends"})


def flat_config(data: dict, prefix: str = "") -> dict[str, object]:
    """Dotted keys to values; an empty mapping adds no key, lists are shown as JSON."""
    out: dict[str, object] = {}
    for k, v in data.items():
        if isinstance(v, dict):
            out.update(flat_config(v, f"{prefix}{k}."))
        elif isinstance(v, list):
            out[f"{prefix}{k}"] = json.dumps(v, ensure_ascii=False) if v else None
        else:
            out[f"{prefix}{k}"] = v
    return out


def provenance_dict(prov) -> dict:
    if prov is None:
        return {}
    return {"files": prov.files, "sources": prov.sources,
            "overrides": [str(o) for o in prov.overrides]}


def config_yaml(config, prov) -> str:
    """The effective config as YAML, each value with a comment naming where it came from."""
    import yaml

    lines = [f"# effective scenario; files: {' -> '.join(prov.files)}"]
    for o in prov.overrides:
        lines.append(f"# override {o}")

    def walk(data: dict, prefix: str, indent: int) -> None:
        for k, v in data.items():
            dotted = f"{prefix}{k}"
            pad = "  " * indent
            if isinstance(v, dict) and v:
                lines.append(f"{pad}{k}:")
                walk(v, dotted + ".", indent + 1)
                continue
            text = yaml.safe_dump({k: v}, allow_unicode=True, default_flow_style=True,
                                  width=10_000).strip()
            if text.startswith("{") and text.endswith("}"):
                text = text[1:-1]
            source = prov.sources.get(dotted, "default")
            lines.append(f"{pad}{text}  # {source}")

    walk(config_dict(config), "", 0)
    return "\n".join(lines) + "\n"


def to_json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# --- Rich -----------------------------------------------------------------------------------

def _share_cell(before: Fraction | None, after: Fraction | None, target: Fraction | None,
                show_before: bool) -> Text:
    met = _met(after, target)
    style = "" if met is None else ("green" if met else "bold red")
    t = Text(f"{pct(before)} → " if show_before else "")
    t.append(pct(after), style=style)
    return t


def bureau_table(title: str, after: CheckReport, before: CheckReport | None = None) -> Table:
    table = Table(title=title, title_justify="left")
    table.caption = t("t_bureau_caption")
    for key, j in [("h_bureau", "left"), ("h_kind", "left"), ("h_force", "right"),
                   ("h_station", "right"), ("h_station_share", "right"), ("h_target", "right"),
                   ("h_community", "right"), ("h_community_share", "right"),
                   ("h_target", "right"), ("h_posts_staffed", "right")]:
        table.add_column(t(key), justify=j, no_wrap=True)
    prior = {b.bureau: b for b in before.bureaus} if before else {}
    for b in after.bureaus:
        p = prior.get(b.bureau)
        show = before is not None
        station = _share_cell(p and p.station_share, b.station_share, b.station_target, show)
        community = _share_cell(p and p.community_share, b.community_share, b.community_target,
                                show)
        posts_style = "" if b.posts_staffed == b.posts else "bold red"
        table.add_row(b.bureau, kind_name(b.kind), str(b.force), str(b.station_strength), station,
                      pct(b.station_target) if b.station_target is not None else t("status_off"),
                      str(b.community_officers), community,
                      pct(b.community_target) if b.community_target is not None else t("status_off"),
                      Text(f"{b.posts_staffed} / {b.posts}", style=posts_style))
    return table


def rules_table(report: CheckReport) -> Table:
    table = Table(title=t("t_rules"), title_justify="left")
    table.add_column(t("h_rule"))
    table.add_column(t("h_status"))
    table.add_column(t("h_checked"), justify="right")
    table.add_column(t("h_violations"), justify="right")
    styles = {"ok": "green", "violated": "bold red", "off": "dim"}
    for r in report.results:
        table.add_row(r.label, Text(t(f"status_{r.status}"), style=styles[r.status]), str(r.checked),
                      str(len(r.violations)))
    return table


def render_plan(console: Console, result: PlanResult, before: CheckReport, *, limit: int,
                names: bool) -> None:
    s = result.scenario
    o = result.outcome
    r = result.report
    assert r is not None and o is not None
    proof = (t("t_proven") if result.status.value == "optimal"
             else t("t_gap", gap=pct(o.gap), bound=o.bound))
    console.print(t("t_plan_head", name=f"[bold]{s.config.name}[/]", date=s.plan_date.isoformat(),
                    moves=f"[bold]{r.moves}[/]", proof=proof, solver=o.solver,
                    seconds=sum(result.timings.values())))
    console.print(bureau_table(t("t_per_bureau_plan"), r, before))
    kinds = Table(title=t("t_moves_by_kind"), title_justify="left")
    kinds.add_column(t("h_kind"))
    kinds.add_column(t("h_officers"), justify="right")
    for k, n in r.moves_by_kind.items():
        kinds.add_row(move_kind_name(k), str(n))
    placed = sum(n for k, n in r.moves_by_kind.items() if k.startswith("recruit"))
    kinds.add_row(Text(t("t_recruits_placed"), style="bold"), Text(str(placed), style="bold"))
    kinds.add_row(Text(t("t_moves_total"), style="bold"), Text(str(r.moves), style="bold"))
    console.print(kinds)
    moves = [off for off in sorted(s.officers, key=lambda x: x.id)
             if off.unit is not None and result.final.get(off.id) != off.unit]
    table = Table(title=t("t_moves", n=len(moves)), title_justify="left")
    table.add_column(t("h_officer"))
    if names:
        table.add_column(t("h_name"))
    table.add_column(t("h_from"))
    table.add_column(t("h_to"))
    table.add_column(t("h_reason"))
    shown = moves if limit <= 0 else moves[:limit]
    for off in shown:
        row = [off.id] + ([off.name] if names else []) + [
            off.unit or "", result.final.get(off.id) or "", result.reasons.get(off.id, "")]
        table.add_row(*row)
    if len(shown) < len(moves):
        table.caption = t("t_more_moves", n=len(moves) - len(shown))
    console.print(table)
    console.print(rules_table(r))
    console.print(t("t_plan_approvals", n=len(r.approvals)))


def move_kind_name(kind: str) -> str:
    """'hq -> post' in the current language."""
    if kind == "borrowed returned":
        return t("k_borrowed_returned")
    parts = kind.split(" -> ")
    if len(parts) == 2:
        names = [t("who_recruit") if p == "recruit" else (kind_name(p) if p != "none" else "—")
                 for p in parts]
        return " -> ".join(names)
    return kind


def render_check(console: Console, report: CheckReport, *, limit: int) -> None:
    title = t("t_per_bureau_roster") if report.mode == "roster" else t("t_per_bureau_check")
    console.print(bureau_table(title, report))
    console.print(rules_table(report))
    violations = report.violations
    if violations:
        table = Table(title=t("t_violations", n=len(violations)), title_justify="left")
        table.add_column(t("h_rule"))
        table.add_column(t("h_subject"))
        table.add_column(t("h_what"))
        shown = violations if limit <= 0 else violations[:limit]
        for v in shown:
            table.add_row(v.rule, v.subject, v.message)
        if len(shown) < len(violations):
            table.caption = t("t_more_violations", n=len(violations) - len(shown))
        console.print(table)
    if report.warnings:
        table = Table(title=t("t_warnings", n=len(report.warnings)), title_justify="left")
        table.add_column(t("h_kind"))
        table.add_column(t("h_subject"))
        table.add_column(t("h_what"))
        for v in report.warnings if limit <= 0 else report.warnings[:limit]:
            table.add_row(v.rule, v.subject, v.message)
        console.print(table)
    if report.mode == "plan" or report.approvals:
        missing = sum(not a.approved for a in report.approvals)
        console.print(t("t_approvals", n=len(report.approvals), missing=missing))
    if report.unplaced_recruits:
        n = len(report.unplaced_recruits)
        head = ", ".join(report.unplaced_recruits[:10]) + (" ..." if n > 10 else "")
        console.print(t("t_unplaced", n=n, ids=head))
