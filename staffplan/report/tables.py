"""What a plan or a check looks like to people: Rich tables on the terminal.

Every figure shown comes from the checker's report, never from the model.
"""

from __future__ import annotations

from fractions import Fraction

from rich.console import Console
from rich.table import Table
from rich.text import Text

from staffplan.i18n import kind_name, t
from staffplan.report.files import funds, met, pct
from staffplan.results import CheckReport, PlanResult

def _share_cell(before: Fraction | None, after: Fraction | None, target: Fraction | None,
                show_before: bool) -> Text:
    ok = met(after, target)
    style = "" if ok is None else ("green" if ok else "bold red")
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
    console.print(t("t_funds", before=f"{funds(before):,}", after=f"{funds(r):,}",
                    per=f"{s.config.budget.community_officer_yuan:,}"))
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
    console.print(t("t_funds_now", funds=f"{funds(report):,}",
                    per=f"{report.yuan_per_officer:,}"))
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


def check_text(report: CheckReport) -> str:
    """The check report's tables as plain text, every violation shown (for ``--output``)."""
    import os

    with open(os.devnull, "w") as sink:
        buf = Console(record=True, width=120, file=sink)
        render_check(buf, report, limit=0)
    return buf.export_text()
