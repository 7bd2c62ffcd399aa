"""What a plan or a check looks like to people: Rich tables on the terminal.

Every figure shown comes from the checker's report, never from the model. Every value read
from a file (ids, reasons, messages, names) is printed through ``report.screen``: as text,
never markup, with control characters made visible.

Each table reads at 80 columns and uses the room it gets at 120 and more: a table that has
a wide and a narrow layout (:class:`Responsive`) measures the wide one against the width it
is given and falls back to the narrow one, which stacks or drops columns. The building
blocks take plain figures (a list of ``BureauFigures`` with their targets, counts by kind of
move), so a plan of several steps can show one table per step.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from rich import box
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from staffplan import moves as kinds_of_move
from staffplan.i18n import kind_name, t
from staffplan.report import why
from staffplan.report.files import met, pct
from staffplan.report.findings import label as finding_label
from staffplan.report.findings import more_by_rule, sample
from staffplan.report.screen import console as plain_console
from staffplan.report.screen import message, text
from staffplan.results import BureauFigures, CheckReport, PlanResult, Violation

MET, UNMET, BEFORE = "green", "bold red", "dim"
WIDE = 100  # from this width on, the moves and the findings get a column each for their parts


class Responsive:
    """A table with a wide and a narrow layout: the wide one when the console is at least
    ``min_width`` wide or, without it, when every figure of the wide one fits whole (only
    headers wrapped), else the narrow one."""

    def __init__(self, wide: Callable[[], Table], narrow: Callable[[], Table],
                 min_width: int | None = None, whole: bool = False,
                 narrowest: Callable[[], Table] | None = None):
        self.wide, self.narrow, self.min_width, self.whole = wide, narrow, min_width, whole
        self.narrowest = narrowest  # when even the narrow layout's figures do not fit

    def pick(self, console: Console, options: ConsoleOptions) -> Table:
        if self.min_width is not None:
            return self.wide() if options.max_width >= self.min_width else self.narrow()
        layouts = [self.wide, self.narrow] + ([self.narrowest] if self.narrowest else [])
        for layout in layouts[:-1]:
            table = layout()
            size = Measurement.get(console, options.update_width(10_000), table)
            # ``whole``: cells of several words that must not wrap either (a share, its
            # mark and its target): a layout only when all of it fits.
            least = size.maximum if self.whole else size.minimum
            if least <= options.max_width:
                return table
        return layouts[-1]()

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.pick(console, options)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.pick(console, options))


def styled_table(title: str | Text, **kw) -> Table:
    """A table in staffplan's style: a rule under the headers, no box, one space between
    columns, the title and the caption on the left."""
    kw.setdefault("box", box.SIMPLE_HEAD)
    kw.setdefault("show_edge", False)
    kw.setdefault("padding", (0, 1, 0, 0))  # one space and the rule between columns
    return Table(title=title if isinstance(title, Text) else Text(title), title_justify="left",
                 title_style="bold", caption_justify="left", **kw)


def header(key: str) -> Text:
    """A column header: it may wrap (at a space) even over a column of whole figures."""
    return Text(t(key), no_wrap=False)


def _num(n: int | None) -> str:
    return "" if n is None else f"{n:,}"


# --- Per bureau ------------------------------------------------------------------------------

def _mark(value: Fraction | None, target: Fraction | None) -> Text:
    """A share after the plan, green with ✓ when it meets its target, red with ✗ when not."""
    ok = met(value, target)
    if ok is None:
        return Text(pct(value), no_wrap=True)
    return Text(f"{pct(value)} {'✓' if ok else '✗'}", style=MET if ok else UNMET, no_wrap=True)


def _target(target: Fraction | None) -> Text:
    return Text(pct(target) if target is not None else t("status_off"), no_wrap=True)


def _cell(after: Text | str, before: str | None) -> Text:
    """A figure after the plan, with the figure before it under it, in brackets."""
    out = after.copy() if isinstance(after, Text) else Text(after, no_wrap=True)
    out.no_wrap = True
    if before is not None:
        out.append(f"\n({before})", style=BEFORE)
    return out


def _totals(bureaus: list[BureauFigures]) -> BureauFigures:
    """The city: every bureau's figures added up (no targets: they are per bureau)."""
    return BureauFigures(t("h_city"), "", sum(b.force for b in bureaus),
                         sum(b.station_strength for b in bureaus),
                         sum(b.community_officers for b in bureaus),
                         sum(b.posts for b in bureaus), sum(b.posts_staffed for b in bureaus),
                         None, None, sum(b.community_funds for b in bureaus))


def bureau_table(title: str, after: list[BureauFigures],
                 before: list[BureauFigures] | None = None, *,
                 yuan_per_officer: int | None = None) -> Responsive:
    """Per bureau: force, station strength and share against its target, community officers
    and share against its target, posts staffed and the community funds; with ``before``,
    each figure before the plan in brackets under it (two lines per bureau). A last row adds
    up the city. At 80 columns the two head counts (station strength, community officers)
    are left out: the shares stay, with their targets.

    Built from plain figures, so a plan of several steps can show one per step."""
    prior = {b.bureau: b for b in before} if before is not None else None

    def build(counts: bool, funds: bool = True) -> Table:
        table = styled_table(title, show_footer=False)
        # Headers on two lines, so the columns are as wide as their figures.
        heads = [("h_bureau", "left"), ("h_force", "right")]
        heads += [("hb_station", "right")] if counts else []
        heads += [("hb_station_share", "right"), ("h_target", "right")]
        heads += [("hb_community", "right")] if counts else []
        heads += [("hb_community_share", "right"), ("h_target", "right"),
                  ("hb_posts_staffed", "right")]
        heads += [("hb_funds", "right")] if funds else []
        for key, justify in heads:  # figures are never cut: the headers wrap instead
            table.add_column(header(key), justify=justify, no_wrap=True)

        def row(b: BureauFigures, p: BureauFigures | None, label: Text) -> list[Text]:
            show = prior is not None

            def was(x: str) -> str | None:
                return x if show else None

            cells = [label, _cell(f"{b.force:,}", was(_num(p.force) if p else "—"))]
            if counts:
                cells.append(_cell(f"{b.station_strength:,}",
                                   was(_num(p.station_strength) if p else "—")))
            cells += [_cell(_mark(b.station_share, b.station_target),
                            was(pct(p.station_share) if p else "—")),
                      _target(b.station_target) if b.kind else Text("")]
            if counts:
                cells.append(_cell(f"{b.community_officers:,}",
                                   was(_num(p.community_officers) if p else "—")))
            posts = Text(f"{b.posts_staffed:,}/{b.posts:,}", no_wrap=True,
                         style="" if b.posts_staffed == b.posts else UNMET)
            cells += [_cell(_mark(b.community_share, b.community_target),
                            was(pct(p.community_share) if p else "—")),
                      _target(b.community_target) if b.kind else Text(""),
                      _cell(posts, was(f"{p.posts_staffed:,}/{p.posts:,}" if p else "—"))]
            if funds:
                cells.append(_cell(f"{b.community_funds:,}",
                                   was(_num(p.community_funds) if p else "—")))
            return cells

        for b in after:
            label = text(b.bureau, "bold")
            label.no_wrap = True
            label.append("\n" + kind_name(b.kind), style=BEFORE)
            table.add_row(*row(b, prior.get(b.bureau) if prior is not None else None, label))
        if len(after) > 1:
            table.add_section()
            city = _totals(after)
            table.add_row(*row(city, _totals(before) if before is not None else None,
                               Text(city.bureau, style="bold", no_wrap=True)))
        notes = [t("t_bureau_caption") + t("t_marks")]
        if yuan_per_officer:
            notes.append(t("t_funds_rate", per=f"{yuan_per_officer:,}"))
        if not funds:  # the city's funds in the caption, the column left out
            city = _totals(after).community_funds
            notes.append(t("t_funds_city", after=f"{city:,}") if before is None else
                         t("t_funds_city_was", after=f"{city:,}",
                           before=f"{_totals(before).community_funds:,}"))
        table.caption = Text(t("t_list_sep").join(notes), style="dim")
        return table

    return Responsive(lambda: build(True), lambda: build(False),
                      narrowest=lambda: build(False, funds=False))


# --- Moves -----------------------------------------------------------------------------------

def moves_by_kind_table(by_kind: dict[str, int], placed: dict[str, int], total: int) -> Table:
    """Moves by kind (the one vocabulary, ``staffplan.moves``) and, apart, the recruits
    placed: placing a recruit is no move."""
    table = styled_table(t("t_moves_by_kind"))
    table.add_column(header("h_kind"))
    table.add_column(header("h_officers"), justify="right")
    for k, n in by_kind.items():
        table.add_row(Text(kinds_of_move.label(k)), Text(f"{n:,}"))
    table.add_row(Text(t("t_moves_total"), style="bold"), Text(f"{total:,}", style="bold"))
    if placed:
        table.add_section()
        for k, n in placed.items():
            table.add_row(Text(kinds_of_move.placement_label(k)), Text(f"{n:,}"))
        if len(placed) > 1:
            table.add_row(Text(t("t_recruits_placed"), style="bold"),
                          Text(f"{sum(placed.values()):,}", style="bold"))
    return table


def moves_table(result: PlanResult, *, limit: int, names: bool) -> Responsive:
    """The moves, by officer id (by step, then officer id, for a plan of several steps):
    from, to and the reason. At 80 columns the move and its reason share one column: the
    units on the first line, the reason under them."""
    steps = result.steps or []
    dated = len(steps) > 1
    moved = [(step, o) for step in steps
             for o in sorted(step.scenario.officers, key=lambda x: x.id)
             if o.unit is not None and step.final.get(o.id) != o.unit]
    shown = moved if limit <= 0 else moved[:limit]
    title = t("t_moves", n=f"{len(moved):,}")
    caption = (Text(t("t_more_moves", n=f"{len(moved) - len(shown):,}"), style="dim")
               if len(shown) < len(moved) else None)

    def ids(step, o) -> list[Text]:
        out = ([Text(step.date.isoformat())] if dated else []) + [text(o.id, "bold")]
        if names:
            out.append(text(o.name))
        for cell in out:
            cell.no_wrap = True
        return out

    first = (["h_date"] if dated else []) + ["h_officer"] + (["h_name"] if names else [])

    def wide() -> Table:
        table = styled_table(title, caption=caption)
        for key in first + ["h_from", "h_to"]:
            table.add_column(header(key), no_wrap=True)
        table.add_column(header("h_reason"), ratio=1, overflow="fold")
        for step, o in shown:
            table.add_row(*ids(step, o), text(o.unit), text(step.final.get(o.id)),
                          text(step.reasons.get(o.id, "")))
        return table

    def narrow() -> Table:
        table = styled_table(title, caption=caption)
        for key in first:
            table.add_column(header(key), no_wrap=True)
        table.add_column(Text(f"{t('h_from')} → {t('h_to')} · {t('h_reason')}"), ratio=1,
                         overflow="fold")
        for step, o in shown:
            cell = text(o.unit)
            cell.append(" → ")
            cell.append_text(text(step.final.get(o.id)))
            cell.append("\n")
            cell.append_text(text(step.reasons.get(o.id, ""), BEFORE))
            table.add_row(*ids(step, o), cell)
        return table

    return Responsive(wide, narrow, min_width=WIDE)


# --- Steps ----------------------------------------------------------------------------------

def steps_table(result: PlanResult) -> Table:
    """A plan of several steps, one row per step: its moves, how many bureaus meet each of
    the step's share targets, posts staffed, officers at posts and the community funds."""
    table = styled_table(t("t_steps"))
    for key in ("h_date", "h_moves", "hb_station_met", "hb_community_met", "hb_posts_staffed",
                "hb_community", "hb_funds"):
        table.add_column(header(key), justify="left" if key == "h_date" else "right",
                         no_wrap=True)
    for step in result.steps:
        r = step.report
        n = len(r.bureaus)
        station = sum(bool(met(b.station_share, b.station_target)) for b in r.bureaus
                      if b.station_target is not None)
        community = sum(bool(met(b.community_share, b.community_target)) for b in r.bureaus
                        if b.community_target is not None)
        staffed = sum(b.posts_staffed for b in r.bureaus)
        posts = sum(b.posts for b in r.bureaus)
        table.add_row(Text(step.date.isoformat()), Text(f"{r.moves:,}"),
                      Text(f"{station}/{n}"), Text(f"{community}/{n}"),
                      Text(f"{staffed:,}/{posts:,}", style="" if staffed == posts else UNMET),
                      Text(f"{sum(b.community_officers for b in r.bureaus):,}"),
                      Text(f"{sum(b.community_funds for b in r.bureaus):,}"))
    table.add_section()
    table.add_row(Text(t("h_total"), style="bold"), Text(f"{result.moves:,}", style="bold"),
                  *[Text("")] * 5)
    return table


def shares_by_step_table(result: PlanResult) -> Responsive:
    """Per bureau and step: the station share and the community share against that step's
    targets (a target that ramps up shows in each step's column)."""
    steps = result.steps
    bureaus = [b.bureau for b in steps[-1].report.bureaus]

    def cell(b: BureauFigures | None, which: str) -> Text:
        if b is None:
            return Text("")
        share = b.station_share if which == "station" else b.community_share
        target = b.station_target if which == "station" else b.community_target
        out = _mark(share, target)
        if target is not None:
            out.append(f" ≥{pct(target)}", style=BEFORE)
        return out

    def build(split: bool) -> Table:
        table = styled_table(t("t_shares_by_step"))
        table.add_column(header("h_bureau"), no_wrap=True)
        for step in steps:
            date = step.date.isoformat()
            if split:
                table.add_column(Text(f"{date}\n{t('hb_station_share')}"), no_wrap=True)
                table.add_column(Text(f"{date}\n{t('hb_community_share')}"), no_wrap=True)
            else:
                table.add_column(Text(f"{date}\n{t('h_station_community')}"), no_wrap=True)
        figures = [{b.bureau: b for b in s.report.bureaus} for s in steps]
        for bid in bureaus:
            row = [text(bid, "bold")]
            for f in figures:
                b = f.get(bid)
                if split:
                    row += [cell(b, "station"), cell(b, "community")]
                else:
                    both = cell(b, "station")
                    both.append("\n")
                    both.append_text(cell(b, "community"))
                    row.append(both)
            table.add_row(*row)
        table.caption = Text(t("t_shares_by_step_caption"), style="dim")
        return table

    return Responsive(lambda: build(True), lambda: build(False), whole=True)


def changed_table(result: PlanResult, *, limit: int, names: bool) -> Table:
    """With a published plan kept to (``plan --keep``): the decisions that change."""
    changed = result.changed
    officers = len({oid for _, oid, _, _ in changed})
    table = styled_table(t("t_changed", n=f"{officers:,}", of=f"{len(result.published):,}"))
    shown = changed if limit <= 0 else changed[:limit]
    for key in ["h_date", "h_officer"] + (["h_name"] if names else []) + ["h_published",
                                                                          "h_to"]:
        table.add_column(header(key), no_wrap=True)
    by_id = result.scenario.horizon.officer_by_id if result.scenario.horizon \
        else result.scenario.officer_by_id
    for date, oid, was, now in shown:
        table.add_row(Text(date.isoformat()), text(oid, "bold"),
                      *([text(by_id[oid].name)] if names else []), text(was or "—"),
                      text(now or "—"))
    if len(shown) < len(changed):
        table.caption = Text(t("t_more_changed", n=f"{len(changed) - len(shown):,}"),
                             style="dim")
    return table


def myopic_line(result: PlanResult) -> Text:
    """The year-by-year figure beside the plan's: each step planned alone."""
    m = result.myopic
    if m.failed_at is not None:
        date = result.scenario.steps[m.failed_at].plan_date.isoformat()
        line = message("t_myopic_fails", {"date": "bold red"}, date=date)
        shown = 6  # the first reasons, under the line; all of them are in summary.json
        for why in m.conflicts[:shown]:
            line.append("\n  ")
            line.append_text(text(why))
        if len(m.conflicts) > shown:
            line.append("\n  " + t("t_myopic_more", n=len(m.conflicts) - shown), style="dim")
        return line
    return message("t_myopic", {"moves": "bold"}, moves=f"{m.total:,}",
                   steps=", ".join(f"{n:,}" for n in m.moves),
                   more=f"{m.total - result.moves:+,}")


# --- Rules and findings ----------------------------------------------------------------------

def rules_table(report: CheckReport) -> Table:
    table = styled_table(t("t_rules"))
    table.add_column(header("h_rule"), ratio=1, overflow="fold")
    table.add_column(header("h_status"), no_wrap=True)
    table.add_column(header("h_checked"), justify="right", no_wrap=True)
    table.add_column(header("h_violations"), justify="right", no_wrap=True)
    styles = {"ok": "green", "violated": "bold red", "off": "dim"}
    for r in report.results:
        table.add_row(Text(r.label), Text(t(f"status_{r.status}"), style=styles[r.status]),
                      Text(f"{r.checked:,}"), Text(f"{len(r.violations):,}"))
    return table


def findings_table(title: str, items: list[Violation], *, limit: int,
                   more_key: str) -> Responsive:
    """Violations, warnings or notices, by rule: the rule's label (on its first row), the
    subject and what is wrong; at 80 columns without the subject, which the message names.
    When ``limit`` leaves some out, some of every rule are shown (round-robin,
    ``findings.sample``) and a caption says how many more there are of each rule."""
    shown, more = sample(items, limit)
    caption = None
    if more:
        caption = Text(t(more_key, n=f"{sum(more.values()):,}"), style="dim")
        if len({v.rule for v in items}) > 1:  # of one rule, the count says it all
            caption.append("\n" + t("t_left_out", rules=more_by_rule(more)))

    def build(subject: bool) -> Table:
        table = styled_table(title, caption=caption)
        table.add_column(header("h_rule"), overflow="fold", max_width=24 if subject else 18)
        if subject:
            table.add_column(header("h_subject"), no_wrap=True)
        table.add_column(header("h_what"), ratio=1, overflow="fold")
        rule = None
        for v in shown:
            first = v.rule != rule
            if first and rule is not None:
                table.add_section()
            rule = v.rule
            table.add_row(*([text(finding_label(v.rule) if first else "", "bold")]
                            + ([text(v.subject)] if subject else []) + [text(v.message)]))
        return table

    return Responsive(lambda: build(True), lambda: build(False), min_width=WIDE)


# --- Why no plan -----------------------------------------------------------------------------

def why_list(items: list[why.Point], depth: int = 0):
    """An explanation (``report.why``) as an indented list: numbered explanations, each
    one's points under it with hanging indents, wrapped at the console's width (Chinese,
    without spaces, folds)."""
    from rich.console import Group

    parts: list = []
    grid = None
    for p, mark in zip(items, why.markers(items, depth)):
        body = text(p.text)
        if p.points:
            body = Group(body, why_list(p.points, depth + 1))
        if p.lead:  # the sentence that introduces the points after it, at their markers
            parts.append(body)
            grid = None
            continue
        if grid is None:
            grid = Table.grid(padding=(0, 1, 0, 0))
            grid.add_column(no_wrap=True)
            grid.add_column(overflow="fold")
            parts.append(grid)
        grid.add_row(Text(mark, style="bold" if depth == 0 else ""), body)
    return Group(*parts)


def render_no_plan(console: Console, result: PlanResult, bureaus: list[str]) -> None:
    """A plan that has none: the title, then why, as a list (on stdout, the plan's
    output)."""
    key = "t_no_plan_head" if result.status.value == "infeasible" else "t_no_plan_found_head"
    console.print(message(key, {"name": "bold"}, style="bold red",
                          name=result.scenario.config.name))
    console.print(why_list(why.points(result.conflicts, bureaus)))


# --- Whole screens ---------------------------------------------------------------------------

def approvals_line(report: CheckReport, file: str | None = None) -> Text:
    """The transfers that need the city committee's approval, in one wording for ``plan``
    and ``check`` (and where they are listed, when a file was written)."""
    missing = sum(not a.approved for a in report.approvals)
    line = Text(t("t_approvals", n=f"{len(report.approvals):,}", missing=f"{missing:,}"))
    if file is not None:
        line.append_text(message("t_see_file", file=file))
    return line


def render_plan(console: Console, result: PlanResult, before: CheckReport, *, limit: int,
                names: bool, approvals_file: str | None = None,
                check_command: str | None = None) -> None:
    """The plan on the terminal. ``approvals_file``: the approvals.csv written;
    ``check_command``: the command that checks the written plan, shown with the notices it
    lists."""
    s = result.scenario
    o = result.outcome
    r = result.report
    assert r is not None and o is not None
    proof = (t("t_proven") if result.status.value == "optimal"
             else t("t_gap", gap=pct(o.gap), bound=o.bound))
    many = len(result.steps) > 1
    if many:
        console.print(message("t_plan_head_steps", {"name": "bold", "moves": "bold"},
                              name=s.config.name, first=result.steps[0].date.isoformat(),
                              last=result.steps[-1].date.isoformat(), n=len(result.steps),
                              moves=f"{r.moves:,}", proof=proof, solver=o.solver,
                              seconds=result.seconds))
        if result.myopic is not None:
            console.print(myopic_line(result))
        console.print(steps_table(result))
        console.print(shares_by_step_table(result))
    else:
        console.print(message("t_plan_head", {"name": "bold", "moves": "bold"},
                              name=s.config.name, date=s.plan_date.isoformat(),
                              moves=f"{r.moves:,}", proof=proof, solver=o.solver,
                              seconds=result.seconds))
    console.print(bureau_table(t("t_per_bureau_end") if many else t("t_per_bureau_plan"),
                               r.bureaus, before.bureaus,
                               yuan_per_officer=s.config.budget.community_officer_yuan))
    if result.published is not None and result.changed:
        console.print(changed_table(result, limit=limit, names=names))
    elif result.published is not None:
        console.print(Text(t("t_unchanged", of=f"{len(result.published):,}")))
    console.print(moves_by_kind_table(r.moves_by_kind, r.placed_by_kind, r.moves))
    console.print(moves_table(result, limit=limit, names=names))
    console.print(rules_table(r))
    console.print(approvals_line(r, approvals_file))
    if r.notices:
        console.print(Text(t("t_plan_notices", n=f"{len(r.notices):,}")))
        if check_command is not None:  # one line, wrapped by the terminal: copied whole
            console.print(text("  " + check_command), soft_wrap=True)


def render_check(console: Console, report: CheckReport, *, limit: int) -> None:
    if report.mode == "roster":
        title = t("t_per_bureau_roster")
    elif len(report.dates) > 1:  # a plan of several steps: the figures are the last step's
        title = t("t_per_bureau_check_last", date=report.dates[-1], n=len(report.dates))
    else:
        title = t("t_per_bureau_check")
    console.print(bureau_table(title, report.bureaus, yuan_per_officer=report.yuan_per_officer))
    console.print(rules_table(report))
    for items, title_key, more_key in ((report.violations, "t_violations", "t_more_violations"),
                                       (report.warnings, "t_warnings", "t_more_warnings"),
                                       (report.notices, "t_notices", "t_more_notices")):
        if items:
            console.print(findings_table(t(title_key, n=f"{len(items):,}"), items, limit=limit,
                                         more_key=more_key))
    if report.mode == "plan" or report.approvals:
        console.print(approvals_line(report))
    if report.unplaced_recruits:
        n = len(report.unplaced_recruits)
        head = ", ".join(report.unplaced_recruits[:10]) + (" ..." if n > 10 else "")
        console.print(message("t_unplaced", n=n, ids=head))


def check_text(report: CheckReport, width: int = 120) -> str:
    """The check report's tables as plain text, every finding shown (for ``--output``)."""
    import os

    with open(os.devnull, "w") as sink:
        buf = plain_console(width=width, record=True, file=sink)
        render_check(buf, report, limit=0)
    return buf.export_text()


def render_text(render: Callable[[Console], None], width: int) -> str:
    """What ``render`` prints, as plain text at ``width`` columns (for tests and files)."""
    import os

    with open(os.devnull, "w") as sink:
        buf = plain_console(width=width, record=True, file=sink)
        render(buf)
    return buf.export_text()
