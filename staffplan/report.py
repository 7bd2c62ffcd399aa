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
    t = Table(title=title, title_justify="left")
    t.caption = ("station: officers at stations and posts; community: officers at posts; "
                 "share targets are minimums")
    for col, j in [("bureau", "left"), ("kind", "left"), ("force", "right"),
                   ("station", "right"), ("station share", "right"), ("target", "right"),
                   ("community", "right"), ("community share", "right"),
                   ("target ", "right"), ("posts staffed", "right")]:
        t.add_column(col, justify=j, no_wrap=True)
    prior = {b.bureau: b for b in before.bureaus} if before else {}
    for b in after.bureaus:
        p = prior.get(b.bureau)
        show = before is not None
        station = _share_cell(p and p.station_share, b.station_share, b.station_target, show)
        community = _share_cell(p and p.community_share, b.community_share, b.community_target,
                                show)
        posts_style = "" if b.posts_staffed == b.posts else "bold red"
        t.add_row(b.bureau, b.kind, str(b.force), str(b.station_strength), station,
                  pct(b.station_target) if b.station_target is not None else "off",
                  str(b.community_officers), community,
                  pct(b.community_target) if b.community_target is not None else "off",
                  Text(f"{b.posts_staffed} / {b.posts}", style=posts_style))
    return t


def rules_table(report: CheckReport) -> Table:
    t = Table(title="Rules", title_justify="left")
    t.add_column("rule")
    t.add_column("status")
    t.add_column("checked", justify="right")
    t.add_column("violations", justify="right")
    styles = {"ok": "green", "violated": "bold red", "off": "dim"}
    for r in report.results:
        t.add_row(r.label, Text(r.status, style=styles[r.status]), str(r.checked),
                  str(len(r.violations)))
    return t


def render_plan(console: Console, result: PlanResult, before: CheckReport, *, limit: int,
                names: bool) -> None:
    s = result.scenario
    o = result.outcome
    r = result.report
    assert r is not None and o is not None
    proof = ("proven minimum" if result.status.value == "optimal"
             else f"best found within the time limit, gap {pct(o.gap)} (bound {o.bound})")
    console.print(f"[bold]{s.config.name}[/] — plan date {s.plan_date.isoformat()}: "
                  f"[bold]{r.moves}[/] move(s), {proof}; solver {o.solver}, "
                  f"{sum(result.timings.values()):.2f} s")
    console.print(bureau_table("Per bureau (before → after)", r, before))
    kinds = Table(title="Moves by kind", title_justify="left")
    kinds.add_column("kind")
    kinds.add_column("officers", justify="right")
    for k, n in r.moves_by_kind.items():
        kinds.add_row(k, str(n))
    kinds.add_row(Text("moves (existing officers)", style="bold"), Text(str(r.moves), style="bold"))
    console.print(kinds)
    moves = [off for off in sorted(s.officers, key=lambda x: x.id)
             if off.unit is not None and result.final.get(off.id) != off.unit]
    t = Table(title=f"Moves ({len(moves)})", title_justify="left")
    t.add_column("officer")
    if names:
        t.add_column("name")
    t.add_column("from")
    t.add_column("to")
    t.add_column("reason")
    shown = moves if limit <= 0 else moves[:limit]
    for off in shown:
        row = [off.id] + ([off.name] if names else []) + [
            off.unit or "", result.final.get(off.id) or "", result.reasons.get(off.id, "")]
        t.add_row(*row)
    if len(shown) < len(moves):
        t.caption = f"{len(moves) - len(shown)} more; --all shows every move (all are in assignments.csv)"
    console.print(t)
    console.print(rules_table(r))
    if r.approvals:
        console.print(f"{len(r.approvals)} transfer(s) of community officers before the minimum "
                      "tenure need the city committee's approval (all approved in the roster); "
                      "see approvals.csv")


def render_check(console: Console, report: CheckReport, *, limit: int) -> None:
    title = "Current roster" if report.mode == "roster" else "Plan"
    console.print(bureau_table(f"{title}: per bureau", report))
    console.print(rules_table(report))
    violations = report.violations
    if violations:
        t = Table(title=f"Violations ({len(violations)})", title_justify="left")
        t.add_column("rule")
        t.add_column("subject")
        t.add_column("what")
        shown = violations if limit <= 0 else violations[:limit]
        for v in shown:
            t.add_row(v.rule, v.subject, v.message)
        if len(shown) < len(violations):
            t.caption = f"{len(violations) - len(shown)} more; --all shows every violation"
        console.print(t)
    if report.warnings:
        t = Table(title=f"Warnings ({len(report.warnings)})", title_justify="left")
        t.add_column("kind")
        t.add_column("subject")
        t.add_column("what")
        for v in report.warnings if limit <= 0 else report.warnings[:limit]:
            t.add_row(v.rule, v.subject, v.message)
        console.print(t)
    if report.approvals:
        missing = sum(not a.approved for a in report.approvals)
        console.print(f"{len(report.approvals)} transfer(s) need the city committee's approval "
                      f"({missing} without it)")
    if report.unplaced_recruits:
        n = len(report.unplaced_recruits)
        head = ", ".join(report.unplaced_recruits[:10]) + (" ..." if n > 10 else "")
        console.print(f"{n} recruit(s) not yet placed (not a violation of the roster): {head}")
