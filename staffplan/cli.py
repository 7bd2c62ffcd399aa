"""The command line: a thin layer over the API that maps outcomes to exit codes.

Exit codes: 0 all rules hold / a plan was found; 1 rule violations found (check) or no plan
can meet the rules (plan); 2 bad input or usage; 3 internal error (a bug in staffplan).
Reports go to stdout, progress and diagnostics to stderr.
"""

from __future__ import annotations

import errno
import inspect
import os
import signal
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path

import typer
from rich.console import Console
from typer.core import TyperCommand, TyperGroup

from staffplan.i18n import set_lang, t

EXIT_CODES = ("Exit codes: 0 all rules hold / plan found; 1 rule violations found (check) or "
              "no plan\n"
              "can meet the rules (plan); 2 bad input or usage; 3 internal error (a bug).")


# --- --help that reads at 80 columns ---------------------------------------------------------

def _unwrap(help_text: str | None) -> str | None:
    """A docstring's paragraphs as single lines, for the help to wrap at any width (Typer
    keeps a docstring's own line breaks, which re-wrap raggedly)."""
    if not help_text:
        return help_text
    return "\n\n".join(" ".join(p.split()) for p in inspect.cleandoc(help_text).split("\n\n"))


_METAVARS = {int: "N", float: "NUMBER", str: "TEXT", "integer": "N", "float": "NUMBER",
             "text": "TEXT", "path": "PATH"}


def _metavar(param) -> str:
    """What --help shows for a value: the name of what to give (FILE, N, KEY=VALUE), a short
    list of choices, nothing for a flag; never a Python type such as <bool> or <list[str]>.
    (Typer 0.29 describes a parameter's type with ``type_descriptor``; earlier ones with
    click's ``type``.)"""
    if param.param_type_name == "argument":
        return param.name.upper()
    if getattr(param, "is_flag", False):
        return ""
    desc = getattr(param, "type_descriptor", None)
    if desc is not None:
        choices = desc.choices
        kind = "path" if desc.is_path else desc.annotation
    else:
        choices = getattr(param.type, "choices", None)
        kind = getattr(param.type, "name", "")
    if choices:
        listed = "|".join(str(getattr(c, "value", c)) for c in choices)
        return listed if len(listed) <= 12 else param.name.upper()
    return _METAVARS.get(kind, param.name.upper())


def _name_values(params) -> None:
    for param in params:
        if param.metavar is None:
            param.metavar = _metavar(param)
        if param.param_type_name == "argument":  # its name says it: no <path> beside it
            param.display_type_rich = lambda ctx: None


class _Command(TyperCommand):
    """A command whose --help reads at 80 columns: help re-wrapped, values named by what
    to give, usage with upper-case argument names (SCENARIO, not {scenario})."""

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.help = _unwrap(self.help)
        _name_values(self.params)

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            _name_values([option])
        return option

    def collect_usage_pieces(self, ctx) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name != "argument":
                continue
            name = param.metavar + ("..." if param.nargs != 1 else "")
            pieces.append(name if param.required else f"[{name}]")
        return pieces


class _Group(TyperGroup):
    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.help = _unwrap(self.help)
        _name_values(self.params)

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            _name_values([option])
        return option


app = typer.Typer(
    name="staffplan",
    cls=_Group,
    help="Staffing plans for police stations and community posts under written personnel "
         "rules.\n\n" + EXIT_CODES,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,  # no tracebacks with locals: officer names are personal data
)


def _show_version(value: bool) -> None:
    if value:
        from staffplan import __version__

        typer.echo(f"staffplan {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: bool = typer.Option(False, "--version", is_eager=True,
                                       callback=_show_version,
                                       help="Print staffplan's version and exit.")) -> None:
    """Staffing plans for police stations and community posts under written personnel rules."""


SET_HELP = ("Override one scenario key, typed and validated like the file, e.g. "
            "--set rules.community_share=0.5 (repeatable).")


def _set_option():
    return typer.Option([], "--set", "-s", help=SET_HELP, show_default=False,
                        metavar="KEY=VALUE")


class Lang(str, Enum):
    en = "en"
    zh = "zh"


def _lang_option(scenario: bool = True):
    where = "the scenario's lang:, else STAFFPLAN_LANG" if scenario else "STAFFPLAN_LANG"
    return typer.Option(None, "--lang", envvar="STAFFPLAN_LANG",
                        help=f"Language of tables, reasons and messages: en or zh "
                             f"(default: {where}, else the locale).")


def _use_lang(lang: Lang | None, scenario=None) -> None:
    """--lang wins; then the scenario's ``lang:``; then the environment's locale."""
    if lang is not None:
        set_lang(lang.value)
    elif scenario is not None and scenario.config.lang is not None:
        set_lang(scenario.config.lang)
    else:
        set_lang(None)


def _solver_option():
    return typer.Option(Solver.highs, envvar="STAFFPLAN_SOLVER",
                        help="MIP solver: highs (HiGHS, the default) or cbc (PuLP's bundled CBC).")


class Format(str, Enum):
    table = "table"
    json = "json"


class Solver(str, Enum):
    highs = "highs"
    cbc = "cbc"


def _workers(asked: int) -> int:
    """Worker processes: at most the number of cores (each one forks up front)."""
    cores = (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
             else os.cpu_count() or 1)
    if asked > cores:
        _err().print(t("workers_capped", asked=asked, n=cores), markup=False)
    return max(1, min(asked, cores))


# Everything printed goes through staffplan.report.screen: consoles without markup or emoji
# codes, and every value from a file as text with its control characters made visible.

def _out() -> Console:
    from staffplan.report.screen import console

    # Wide enough for the bureau table when writing to a file or a CI log.
    wide = not sys.stdout.isatty() and "COLUMNS" not in os.environ
    return console(width=120 if wide else None)


def _err(wrap: bool = False) -> Console:
    """stderr: messages unwrapped (a log keeps each on one line), or, ``wrap``, lists and
    tables wrapped at the terminal's width."""
    from staffplan.report.screen import console

    return console(stderr=True, soft_wrap=not wrap)


def _say(key: str, style: str = "", **values) -> None:
    """One message on stderr, its values as plain text."""
    from staffplan.report.screen import message

    _err().print(message(key, style=style, **values))


def _lines(err: Console, lines, style: str = "") -> None:
    """Lines of a message from staffplan (they name files, ids and values), as plain text."""
    from staffplan.report.screen import text

    for line in lines:
        err.print(text(line, style))


def _progress(err: Console, quiet: bool):
    """Progress lines on stderr, with the time since start."""
    import time

    from rich.text import Text

    from staffplan.report.screen import text

    start = time.perf_counter()

    def say(message: str) -> None:
        if not quiet:
            line = Text(f"[{time.perf_counter() - start:6.1f} s] ", style="dim")
            err.print(line.append_text(text(message)))

    return say


def _fail(exc: Exception) -> None:
    from rich.text import Text

    from staffplan.errors import InputError, StaffplanError

    err = _err()
    if isinstance(exc, InputError):
        err.print(Text(t("t_error") + " ", style="bold red").append(
            t("t_input_problems", n=len(exc.problems))))
        _lines(err, str(exc).splitlines())
        raise typer.Exit(2)
    if isinstance(exc, StaffplanError):
        _lines(err, str(exc).splitlines())
        raise typer.Exit(exc.exit_code)
    raise exc


@contextmanager
def _errors():
    """Errors staffplan reports (bad input, a bug it caught) end the command with their
    message and exit code."""
    from staffplan.errors import StaffplanError, notes_to

    try:
        with notes_to(_note):
            yield
    except StaffplanError as exc:
        _fail(exc)


def _note(message: str) -> None:
    """A note about the input on stderr (an encoding guessed, a column ignored), as text."""
    _lines(_err(), [t("t_note", message=message)])


def _load(path: Path, overrides, lang, say=None):
    """Load a scenario; its ``lang:`` applies unless --lang was given."""
    from staffplan.io.roster import load_scenario

    _use_lang(lang)
    if say is not None:
        say(t("g_reading", path=path))
    s = load_scenario(path, overrides)
    _use_lang(lang, s)
    from staffplan.errors import note

    for notice in s.notices:  # an encoding guessed, a column ignored: said once a run
        note(notice)
    for o in s.provenance.overrides if (say is not None and s.provenance) else []:
        first, *keys = o.lines()
        say(t("g_override", override=first))
        for line in keys:
            say(line)
    return s


def _out_folder(out: Path) -> None:
    from staffplan.errors import InputError, Problem

    if out.exists() and not out.is_dir():
        raise InputError([Problem(str(out), message=t("out_not_folder"))])


@app.command()
def plan(
    scenario: Path = typer.Argument(..., help="The scenario YAML file.", show_default=False),
    out: Path = typer.Option(Path("staffplan-out"), "--out", "-o", envvar="STAFFPLAN_OUT",
                             metavar="DIR", help="Folder for the plan's files."),
    solver: Solver = _solver_option(),
    time_limit: float | None = typer.Option(None, "--time-limit", min=0.1,
                                               envvar="STAFFPLAN_TIME_LIMIT", metavar="SECONDS",
                                               help="Seconds; the best plan found is returned "
                                                    "with its proven gap."),
    limit: int = typer.Option(20, "--limit", min=0, help="Moves shown in the table (0: all)."),
    show_all: bool = typer.Option(False, "--all", help="Show every move."),
    names: bool = typer.Option(False, "--names", help="Show officer names in the moves table "
                                                       "(personal data; off by default)."),
    fmt: Format = typer.Option(Format.table, "--format", "-f",
                               help="table: Rich tables; json: summary.json on stdout."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress lines on stderr."),
    report_html: bool = typer.Option(False, "--report", help="Also write DIR/report.html, the "
                                                              "meeting report."),
    keep: Path | None = typer.Option(None, "--keep", metavar="FILE",
                                        help="Re-plan keeping to a published plan (the "
                                             "assignments.csv format): first the fewest "
                                             "officers sent elsewhere than it said, then the "
                                             "fewest moves. Writes DIR/changed.csv."),
    lang: Lang | None = _lang_option(),
    overrides: list[str] = _set_option(),
) -> None:
    """Solve for the fewest moves that meet every rule, re-check the plan, write it.

    Writes DIR/assignments.csv (one row per officer per step), DIR/approvals.csv,
    DIR/plan.xlsx and DIR/summary.json (and DIR/report.html with --report; DIR/changed.csv
    with --keep).

    When no plan can meet the rules, explains which rules conflict and by how much (exit 1).
    """
    from staffplan.check import check as check_rules
    from staffplan.plan import make_plan
    from staffplan.report.files import summary_dict, to_json
    from staffplan.report.output import PLAN_FILES, check_target, scenario_inputs, write_plan
    from staffplan.report.tables import render_no_plan, render_plan

    err = _err()
    say = _progress(err, quiet)
    with _errors():
        _out_folder(out)
        s = _load(scenario, overrides, lang, say)
        check_target(out, scenario_inputs(s, keep), folder=True, names=PLAN_FILES)
        published = None
        if keep is not None:
            from staffplan.io.roster import read_published

            published = read_published(keep, s)
        before = check_rules(s)
        bureaus = [b.id for b in s.organisation.bureaus]
        say(t("g_planning", name=s.config.name, officers=f"{len(s.officers):,}",
              units=f"{len(s.organisation.units):,}"))
        result = make_plan(s, solver.value, time_limit, progress=say, published=published)
        if result.status.has_plan:
            say(t("g_writing", out=out))
        written = write_plan(out, result, before, html=report_html)
    if fmt is Format.json:
        sys.stdout.write(to_json(summary_dict(result, before)))
        if not result.status.has_plan:  # for people, beside the machine's output
            render_no_plan(_err(wrap=True), result, bureaus)
    elif result.status.has_plan:
        files = {p.name: p for p in written}
        render_plan(_out(), result, before, limit=0 if show_all else limit, names=names,
                    approvals_file=_path(files.get("approvals.csv")),
                    check_command=_check_command(scenario, files.get("assignments.csv"),
                                                 overrides))
    else:  # why no plan: the command's output, on stdout
        render_no_plan(_out(), result, bureaus)
    _say("t_wrote", files=", ".join(str(p) for p in written))
    raise typer.Exit(0 if result.status.has_plan else 1)


def _path(path: Path | None) -> str | None:
    return None if path is None else str(path)


def _check_command(scenario: Path, assignments: Path | None, overrides) -> str | None:
    """The command that checks a written plan against its scenario (with the same --set
    overrides), quoted for a POSIX shell."""
    import shlex

    if assignments is None:
        return None
    words = ["staffplan", "check", str(scenario), "--assignments", str(assignments)]
    for o in overrides:
        words += ["--set", o]
    return " ".join(shlex.quote(w) for w in words)


@app.command()
def promote(
    scenario: Path = typer.Argument(..., help="The scenario YAML file, with a promotions: "
                                              "section.", show_default=False),
    out: Path = typer.Option(Path("staffplan-out/promotions"), "--out", "-o",
                             help="Folder for promotions.csv, promotions.xlsx, "
                                  "promotions.html and summary.json (not a plan's folder: "
                                  "its summary.json would be replaced)."),
    partial: bool = typer.Option(False, "--partial", help="Fill as many slots and openings as "
                                                          "the rules allow; report the rest."),
    solver: Solver = typer.Option(Solver.highs, envvar="STAFFPLAN_SOLVER",
                                  help="MIP solver: HiGHS (default) or PuLP's bundled CBC."),
    limit: int = typer.Option(20, "--limit", min=0, help="Rank promotions shown (0: all)."),
    show_all: bool = typer.Option(False, "--all", help="Show every rank promotion."),
    names: bool = typer.Option(False, "--names", help="Show officer names (personal data)."),
    fmt: Format = typer.Option(Format.table, "--format", "-f",
                               help="table: Rich tables; json: summary.json on stdout."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress lines on stderr."),
    lang: Lang | None = _lang_option(),
    overrides: list[str] = _set_option(),
) -> None:
    """Plan a round of rank promotions and leadership appointments (干部从基层出): the
    list that fills every slot and opening under the eligibility rules, best by the
    preference order, proven; re-checked, then written to OUT. Exit 1, with the reasons per
    bureau and rule, when no list can fill them (--partial fills what it can)."""
    from staffplan.promotions import commands

    err = _err()
    with _errors():
        _out_folder(out)
        code = commands.promote(lambda: _load(scenario, overrides, lang, _progress(err, quiet)),
                                out, partial=partial, solver=solver.value, names=names,
                                limit=0 if show_all else limit, json_out=fmt is Format.json,
                                quiet=quiet, html=True, out_console=_out(), err=err,
                                say=_progress(err, quiet))
    raise typer.Exit(code)


class CheckFormat(str, Enum):
    table = "table"
    json = "json"
    junit = "junit"
    markdown = "markdown"
    github = "github"


@app.command()
def check(
    scenario: Path = typer.Argument(..., help="The scenario YAML file.", show_default=False),
    assignments: Path | None = typer.Option(
        None, "--assignments", "-a", metavar="FILE",
        help="A proposed plan in the assignments.csv format (officer_id and to_unit are "
             "required); default: the current roster."),
    fmt: CheckFormat = typer.Option(CheckFormat.table, "--format", "-f", envvar="STAFFPLAN_FORMAT",
                                    metavar="FORMAT",
                                    help="table for people; json, junit, markdown or github "
                                         "(workflow annotations) for machines."),
    output: str | None = typer.Option(None, "--output", "-o", envvar="STAFFPLAN_OUTPUT",
                                         metavar="FILE",
                                         help="Write the report to this file ('-': stdout, "
                                              "the default)."),
    strict: bool = typer.Option(False, "--strict", envvar="STAFFPLAN_STRICT",
                                help="Fail (exit 1) on warnings too (never on notices)."),
    approvals: Path | None = typer.Option(None, "--approvals", metavar="FILE",
                                             help="Write the transfers that need the city "
                                                  "committee's approval to this CSV file."),
    limit: int = typer.Option(30, "--limit", min=0,
                              help="Violations, warnings and notices shown in the table, of each "
                                   "(0: all)."),
    show_all: bool = typer.Option(False, "--all", help="Show every violation, warning and notice."),
    promotions: Path | None = typer.Option(None, "--promotions", metavar="FILE",
                                              help="Check this promotion list (promotions.csv "
                                                   "format) instead."),
    partial: bool = typer.Option(False, "--partial", help="With --promotions: unfilled slots "
                                                          "are not violations."),
    lang: Lang | None = _lang_option(),
    overrides: list[str] = _set_option(),
) -> None:
    """Judge the current roster (or a proposed plan) against every rule, without solving.

    A proposed plan is also checked for what only exists between two rosters: community
    officers moved early without approval, pinned officers moved, moves out of the bureau,
    borrowed officers not returned, officers left out of or added to the plan.

    Exit 0 when every rule holds, 1 when a rule is violated (or, with --strict, on a
    warning), 2 on bad input. Recruits not yet placed are listed, not counted as violations
    of the roster. The human summary goes to stderr, so machine output stays clean.
    """
    from staffplan.check import check as check_rules
    from staffplan.check import check_steps, merged
    from staffplan.errors import InputError
    from staffplan.io.roster import read_plan
    from staffplan.report import formats, tables
    from staffplan.report.files import approvals_csv
    from staffplan.report.output import check_target, scenario_inputs, write_file

    if promotions is not None:
        from staffplan.promotions import commands

        with _errors():
            code = commands.check(lambda: _load(scenario, overrides, lang), promotions,
                                  fmt=fmt.value, output=output, limit=0 if show_all else limit,
                                  partial=partial, out_console=_out(), err=_err())
        raise typer.Exit(code)
    to_stdout = output in (None, "-")
    with _errors():
        try:
            s = _load(scenario, overrides, lang)
            inputs = scenario_inputs(s, assignments)
            for target in ([] if to_stdout else [Path(output)]) \
                    + ([approvals] if approvals else []):
                check_target(target, inputs)  # before any work: never an input, a folder
            proposed = read_plan(assignments, s) if assignments is not None else None
        except InputError as exc:
            if fmt is not CheckFormat.table:  # on stdout, for CI (--output gets nothing)
                sys.stdout.write(formats.render_problems(fmt.value, exc))
            raise
    report = check_rules(s) if proposed is None else merged(
        s, check_steps(s, [p.final for p in proposed], proposed))
    if fmt is CheckFormat.table and to_stdout:
        tables.render_check(_out(), report, limit=0 if show_all else limit)
    else:
        text = (tables.check_text(report) if fmt is CheckFormat.table
                else formats.render(fmt.value, report, s, proposed, strict))
        if to_stdout:
            sys.stdout.write(text)
        else:
            with _errors():
                write_file(Path(output), text)
    if approvals is not None:
        with _errors():
            write_file(approvals, approvals_csv(report, s))
    err = _err()
    n, w, k = len(report.violations), len(report.warnings), len(report.notices)
    if report.approvals and not (fmt is CheckFormat.table and to_stdout):  # else in the tables
        from staffplan.report.tables import approvals_line

        err.print(approvals_line(report))
    # Notices are counted apart and never fail the check, --strict or not.
    warned = t("t_n_warnings", n=w) + (t("t_strict_failing") if strict else "") if w else ""
    err.print((t("t_all_hold") if not n else t("t_n_violations", n=n)) + warned
              + (t("t_n_notices", n=k) if k else ""))
    raise typer.Exit(1 if n or (strict and w) else 0)


class CompareFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


@app.command()
def compare(
    scenarios: list[Path] = typer.Argument(..., help="Two or more scenario files.",
                                           show_default=False, metavar="SCENARIO"),
    fmt: CompareFormat = typer.Option(CompareFormat.table, "--format", "-f", metavar="FORMAT",
                                      help="table for people; json, csv or markdown for files "
                                           "and merge requests."),
    solver: Solver = _solver_option(),
    time_limit: float | None = typer.Option(None, "--time-limit", min=0.1, metavar="SECONDS",
                                               help="Seconds per scenario."),
    workers: int = typer.Option(min(2, os.cpu_count() or 1), "--workers", "-j", min=1,
                                help="Scenarios solved at once, in worker processes."),
    lang: Lang | None = _lang_option(),
    overrides: list[str] = _set_option(),
) -> None:
    """Solve each scenario and show them side by side: outcome, moves by kind, shares, posts,
    recruits, and the config keys that differ. An impossible scenario shows why in its column.

    Exit 0 when every scenario has a plan, 1 when one has none, 2 on bad input.
    """
    from staffplan.report.files import to_json
    from staffplan.studies import compare as cmp

    _use_lang(lang)
    with _errors():
        columns = cmp.compare([str(p) for p in scenarios], tuple(overrides), solver.value,
                              time_limit, _workers(workers))
    writers = {CompareFormat.json: lambda c: to_json(cmp.to_dict(c)),
               CompareFormat.csv: cmp.to_csv, CompareFormat.markdown: cmp.to_markdown}
    if fmt in writers:
        sys.stdout.write(writers[fmt](columns))
    else:
        _out().print(cmp.table(columns))
    raise typer.Exit(0 if all(c.status in ("optimal", "feasible") for c in columns) else 1)


@app.command()
def sweep(
    scenario: Path = typer.Argument(..., help="The scenario YAML file.", show_default=False),
    vary: list[str] = typer.Option(..., "--vary", "-v", metavar="KEY=VALUES",
                                   help="KEY=START:STOP:STEP (stop included) or KEY=V1,V2,...; "
                                        "once or twice.", show_default=False),
    out: Path = typer.Option(Path("staffplan-out/sweep"), "--out", "-o", metavar="DIR",
                             help="Folder for sweep.csv, sweep.png and sweep.html."),
    workers: int = typer.Option(min(2, os.cpu_count() or 1), "--workers", "-j", min=1,
                                help="Worker processes."),
    solver: Solver = _solver_option(),
    time_limit: float | None = typer.Option(None, "--time-limit", min=0.1, metavar="SECONDS",
                                            help="Seconds per grid point (rebuilds each point)."),
    fmt: Format = typer.Option(Format.table, "--format", "-f",
                               help="table: the grid on the terminal; json: every point on "
                                    "stdout."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar on stderr."),
    lang: Lang | None = _lang_option(),
    overrides: list[str] = _set_option(),
) -> None:
    """Solve a grid of one or two parameters: the moves each target costs, and where it
    becomes impossible. Writes DIR/sweep.csv, DIR/sweep.png and DIR/sweep.html.

    Example: staffplan sweep configs/lianyungang-2021.yaml
    --vary rules.community_share=0.40:0.56:0.01
    """
    from rich.progress import Progress

    from staffplan.config import load_config_with_provenance
    from staffplan.report.files import provenance_dict, to_json
    from staffplan.report.output import SWEEP_FILES, check_target
    from staffplan.studies import sweep as sw

    _use_lang(lang)
    err = _err()
    with _errors():
        _out_folder(out)
        check_target(out, {}, folder=True, names=SWEEP_FILES)
        axes = [sw.parse_vary(v) for v in vary]
        total = len(sw.grid(axes)) if 1 <= len(axes) <= 2 else 0
        with Progress(console=err, transient=True, disable=quiet) as bar:
            task = bar.add_task(t("g_grid", n=total), total=total)
            result = sw.sweep(str(scenario), axes, tuple(overrides), solver.value,
                              _workers(workers), time_limit,
                              on_progress=lambda n: bar.advance(task, n))
        config_, prov = load_config_with_provenance(scenario, None, overrides)
        paths = sw.write_outputs(result, out, config_.name)
    if fmt is Format.json:
        sys.stdout.write(to_json(sw.to_dict(result, provenance_dict(prov))))
    else:
        _out().print(sw.table(result))
    _say("t_wrote", files=", ".join(str(p) for p in paths))


@app.command()
def report(
    scenario: Path = typer.Argument(..., help="The scenario YAML file.", show_default=False),
    out: Path = typer.Option(Path("report.html"), "--out", "-o", metavar="FILE",
                             help="The HTML file to write."),
    solver: Solver = _solver_option(),
    time_limit: float | None = typer.Option(None, "--time-limit", min=0.1, metavar="SECONDS",
                                               help="Seconds; the best plan found is reported "
                                                    "with its proven gap."),
    lang: Lang | None = _lang_option(),
    overrides: list[str] = _set_option(),
) -> None:
    """Write the meeting report: one self-contained HTML file with before/after charts of the
    shares per bureau against their targets, posts staffed, the flow of officers, the moves
    with their reasons (searchable) and the approvals. Exit 1 when no plan exists (the
    report then says why)."""
    from staffplan.check import check as check_rules
    from staffplan.plan import make_plan
    from staffplan.report.html import plan_report
    from staffplan.report.output import check_target, scenario_inputs, write_file

    with _errors():
        s = _load(scenario, overrides, lang)
        check_target(out, scenario_inputs(s))
        result = make_plan(s, solver.value, time_limit)
        write_file(out, plan_report(result, check_rules(s)))
    _say("t_wrote", files=out)
    raise typer.Exit(0 if result.status.has_plan else 1)


@app.command()
def explain(
    scenario: Path = typer.Argument(..., help="The scenario YAML file.", show_default=False),
    officer: str | None = typer.Argument(None, help="An officer id.", show_default=False,
                                            metavar="OFFICER_ID"),
    unit: str | None = typer.Option(None, "--unit", "-u", metavar="UNIT",
                                       help="Explain a unit or a bureau instead."),
    promotions: bool = typer.Option(False, "--promotions", help="Why the officer is or is not "
                                    "eligible in the promotion round, with their years."),
    solver: Solver = _solver_option(),
    lang: Lang | None = _lang_option(),
    overrides: list[str] = _set_option(),
) -> None:
    """Why an officer moves or stays (the rule that holds them, or the target that needed the
    move and why this officer rather than another), or a unit's before/after and the rules
    that bind there. Solves the plan first."""
    from staffplan.check import check as check_rules
    from staffplan.errors import InputError, Problem
    from staffplan.plan import make_plan
    from staffplan.studies.explain import explain_bureau, explain_officer, explain_unit

    if promotions:
        from staffplan.promotions import commands

        with _errors():
            if officer is None or unit is not None:
                raise InputError([Problem("explain",
                                          message="give an OFFICER_ID with --promotions")])
            lines = commands.explain(lambda: _load(scenario, overrides, lang), officer,
                                     solver=solver.value, out_console=_out())
        _explained(_out(), lines)
        raise typer.Exit(0)
    with _errors():
        s = _load(scenario, overrides, lang)
        if officer is not None and unit is not None:
            raise InputError([Problem("explain", message=t("e_both"))])
        if officer is None and unit is None:
            raise InputError([Problem("explain", message=t("e_neither"))])
        if officer is not None and officer not in s.officer_by_id:
            raise InputError([Problem(str(scenario), message=t("e_unknown_officer", id=officer))])
        if unit is not None and unit not in s.organisation:
            raise InputError([Problem(str(scenario), message=t("e_unknown_unit", id=unit))])
        result = make_plan(s, solver.value)
    if not result.status.has_plan:
        from staffplan.report.tables import render_no_plan

        render_no_plan(_err(wrap=True), result, [b.id for b in s.organisation.bureaus])
        raise typer.Exit(1)
    if officer is not None:
        lines = explain_officer(s, result, officer)
    elif s.organisation[unit].kind.is_bureau:
        lines = explain_bureau(s, result, check_rules(s), unit)
    else:
        lines = explain_unit(s, result, unit)
    _explained(_out(), lines)


def _explained(out: Console, lines: list[str]) -> None:
    """An explanation: the heading, then each line indented, a wrapped line hanging under
    the text after its label ("why: ...")."""
    from rich.padding import Padding
    from rich.table import Table

    from staffplan.report.screen import text

    out.print(text(lines[0], "bold"))
    for line in lines[1:]:
        label, sep, rest = line.partition(": ") if ": " in line[:24] else line.partition("：")
        if not sep or len(label) > 20:
            out.print(Padding(text(line), (0, 0, 0, 2)))
            continue
        grid = Table.grid(padding=(0, 1 if sep == ": " else 0, 0, 0))
        grid.add_column(no_wrap=True)
        grid.add_column(overflow="fold")  # Chinese has no spaces to wrap at
        grid.add_row(text(label + sep.rstrip()), text(rest))
        out.print(Padding(grid, (0, 0, 0, 2)))


@app.command()
def config(
    scenario: Path = typer.Argument(..., help="The scenario YAML file.", show_default=False),
    lang: Lang | None = _lang_option(),
    overrides: list[str] = _set_option(),
) -> None:
    """Print the effective scenario (after extends: and --set) and where each value came from."""
    from staffplan.config import load_config_with_provenance
    from staffplan.report.files import config_yaml

    _use_lang(lang)
    with _errors():
        config_, prov = load_config_with_provenance(scenario, None, overrides)
    sys.stdout.write(config_yaml(config_, prov))


@app.command()
def schema(lang: Lang | None = _lang_option(scenario=False)) -> None:
    """Print the JSON Schema of a scenario file (for editors: completion and validation).
    With --lang zh the rules' descriptions are in Chinese."""
    from staffplan.config import json_schema
    from staffplan.report.files import to_json

    _use_lang(lang)
    sys.stdout.write(to_json(_schema_in_language(json_schema())))


def _schema_in_language(schema: dict) -> dict:
    """The rules' descriptions in the current language (the schema's are English)."""
    from staffplan.i18n import get_lang
    from staffplan.rules import RULES

    if get_lang() == "en":
        return schema
    docs = {rule.doc: rule.doc_zh for rule in RULES if rule.doc and rule.doc_zh}

    def walk(node):
        if isinstance(node, dict):
            return {k: docs.get(v, v) if k == "description" and isinstance(v, str) else walk(v)
                    for k, v in node.items()}
        if isinstance(node, list):
            return [walk(x) for x in node]
        return node

    return walk(schema)


@app.command()
def generate(
    out_dir: Path = typer.Argument(..., help="Folder for units.csv, officers.csv, "
                                             "scenario.yaml, history.csv and promotions.yaml "
                                             "(and horizon.yaml with --steps).",
                                   show_default=False),
    officers: int = typer.Option(3000, "--officers", "-n", min=150,
                                 help="About this many officers (150 or more; about 500 a "
                                      "bureau)."),
    seed: int = typer.Option(2021, "--seed",
                             help="Random seed; the same seed gives the same files."),
    steps: int = typer.Option(1, "--steps", min=1, max=20,
                              help="Also write horizon.yaml: this many yearly steps planned "
                                   "together, up to the scenario's date (1: none)."),
    force: bool = typer.Option(False, "--force", help="Write into a folder that is not empty "
                                                      "(the files it writes are replaced)."),
    lang: Lang | None = _lang_option(scenario=False),
) -> None:
    """Write a synthetic city shaped like the Lianyungang example (synthetic names only)."""
    from staffplan.errors import OutputError
    from staffplan.generate import write_instance

    _use_lang(lang)
    with _errors():
        if out_dir.exists() and not out_dir.is_dir():
            raise OutputError(out_dir, t("out_not_folder"))
        if out_dir.is_dir() and any(out_dir.iterdir()) and not force:
            raise OutputError(out_dir, t("not_empty"))
        try:
            paths = write_instance(out_dir, officers=officers, seed=seed, steps=steps)
        except ValueError as exc:
            _lines(_err(), [f"{t('t_error')} {exc}"])
            raise typer.Exit(2) from None
    _say("t_wrote", files=", ".join(str(p) for p in paths))


@app.command()
def version(lang: Lang | None = _lang_option(scenario=False)) -> None:
    """Print staffplan's version (a number, the same in every language; also: --version)."""
    from staffplan import __version__

    _use_lang(lang)
    typer.echo(__version__)


# Every command gets the --help that reads at 80 columns.
for _info in app.registered_commands:
    if _info.cls in (None, TyperCommand):
        _info.cls = _Command


def _terminated(signum, frame):  # noqa: ARG001
    stop_children()
    _say("g_stopped")
    raise KeyboardInterrupt


def stop_children() -> list[int]:
    """Terminate this process's children (a CBC run PuLP started), so that a stopped plan
    leaves no solver running on: PuLP keeps no handle on it we could use."""
    import psutil

    stopped = []
    for child in psutil.Process().children(recursive=True):
        try:
            child.terminate()
            stopped.append(child.pid)
        except psutil.Error:
            pass
    return stopped


def visible_path(path) -> str:
    """A path for a message: a long one is clipped in the middle."""
    path = os.fsdecode(path) if isinstance(path, bytes) else str(path)
    return path if len(path) <= 200 else path[:100] + " … " + path[-60:]


class _Closed:
    """Standard output or error that was closed (``>&-``): Python gives None. Writing to it
    is an OSError (said, exit 2), as for any output that cannot be written; a command whose
    report goes to a file (``--output``) never writes there."""

    encoding, errors = "utf-8", "strict"

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))


def _stream(stream):
    """Standard output or error as staffplan writes it: a closed one (None) is
    :class:`_Closed`; a character its encoding cannot write (``PYTHONIOENCODING=ascii``, a
    Chinese name) is written as a ``\\u`` escape, not an error; and it writes through a
    buffer. Unbuffered (``PYTHONUNBUFFERED``, set in many CI images, or ``python -u``),
    Python's text streams ignore a short write: a report cut by a full disk or ``ulimit -f``
    ended with exit 0 or 1 and no message. A buffered stream writes the rest or raises the
    error, which ``main`` reports (exit 2). Lines still go out as they are written."""
    import io

    if stream is None:
        return _Closed()
    raw = getattr(stream, "buffer", None)
    if isinstance(raw, io.RawIOBase):
        return io.TextIOWrapper(io.BufferedWriter(raw), encoding=stream.encoding,
                                errors="backslashreplace", line_buffering=True)
    if isinstance(stream, io.TextIOWrapper):
        stream.reconfigure(errors="backslashreplace")
    return stream


def main() -> None:
    """Entry point: bugs end with a one-line message (STAFFPLAN_DEBUG=1 shows the traceback).

    SIGTERM unwinds like Ctrl-C, so temporary solver files are removed and no output file is
    left half-written."""
    signal.signal(signal.SIGTERM, _terminated)
    # A number of more than 4,300 digits in a file or --set is bad input like any number too
    # large (the bounds say so, exit 2), not Python's ValueError; the files read are bounded
    # in size, so reading one cannot take long.
    if hasattr(sys, "set_int_max_str_digits"):
        sys.set_int_max_str_digits(0)
    # A reader that stops reading (`staffplan check ... | head`) ends the command quietly,
    # as it ends any Unix tool (exit 141), instead of an error from the next write.
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.stdout = _stream(sys.stdout)
    # A closed stderr (2>&-): nothing can be said, and the command runs as it would.
    sys.stderr = _stream(sys.stderr) if sys.stderr is not None else open(os.devnull, "w")  # noqa: SIM115
    try:
        try:
            app()
        finally:
            sys.stdout.flush()  # a full disk behind stdout is said here, not at exit
    except KeyboardInterrupt:
        stop_children()
        _say("g_interrupted")
        sys.exit(130)
    except SystemExit as exc:
        if exc.code == 130:  # typer turns Ctrl-C into a silent exit 130
            stop_children()
            _say("g_interrupted")
        raise
    except OSError as exc:
        if os.environ.get("STAFFPLAN_DEBUG"):
            raise
        if exc.filename is not None:
            # A path the user gave that the system refuses (a name too long, a folder that
            # cannot be entered) where no reader or writer said it first: bad input, not a bug.
            from staffplan.report.screen import text

            _err().print(text(f"{visible_path(exc.filename)}: "
                              f"{t('cannot_use', error=exc.strerror or exc.__class__.__name__)}"))
            sys.exit(2)
        # No file named: standard output or error could not be written (a full disk, a
        # closed terminal); files staffplan writes are named in their own errors (exit 2).
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - nothing more goes there
            sys.stderr.flush()
        except OSError:  # standard error itself: nothing can be said (nor at Python's exit)
            sys.stderr = open(os.devnull, "w")  # noqa: SIM115
            sys.exit(2)
        _say("g_stdout", error=exc.strerror or exc.__class__.__name__)
        sys.exit(2)
    except Exception as exc:  # noqa: BLE001
        if os.environ.get("STAFFPLAN_DEBUG"):
            raise
        _say("g_internal", error=exc.__class__.__name__)
        sys.exit(3)


if __name__ == "__main__":
    main()
