"""The command line: a thin layer over the API that maps outcomes to exit codes.

Exit codes: 0 all rules hold / a plan was found; 1 rule violations found (check) or no plan
can meet the rules (plan); 2 bad input or usage; 3 internal error (a bug in staffplan).
Reports go to stdout, progress and diagnostics to stderr.
"""

from __future__ import annotations

import os
import signal
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from staffplan.i18n import set_lang, t

EXIT_CODES = """Exit codes: 0 all rules hold / plan found; 1 rule violations found (check) or no plan
can meet the rules (plan); 2 bad input or usage; 3 internal error (a bug)."""

app = typer.Typer(
    name="staffplan",
    help="Staffing plans for police stations and community posts under written personnel "
         "rules.\n\n" + EXIT_CODES,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,  # no tracebacks with locals: officer names are personal data
)


SET_HELP = ("Override one scenario key, typed and validated like the file, e.g. "
            "--set rules.community_share=0.5 (repeatable).")


def _set_option():
    return typer.Option([], "--set", "-s", help=SET_HELP, show_default=False)


class Lang(str, Enum):
    en = "en"
    zh = "zh"


def _lang_option():
    return typer.Option(None, "--lang", envvar="STAFFPLAN_LANG",
                        help="Language of tables, reasons and messages: en or zh "
                             "(default: the scenario's lang:, else the locale).")


def _use_lang(lang: "Lang | None", scenario=None) -> None:
    """--lang wins; then the scenario's ``lang:``; then the environment's locale."""
    if lang is not None:
        set_lang(lang.value)
    elif scenario is not None and scenario.config.lang is not None:
        set_lang(scenario.config.lang)
    else:
        set_lang(None)


class Format(str, Enum):
    table = "table"
    json = "json"


class Solver(str, Enum):
    highs = "highs"
    cbc = "cbc"


def _out() -> Console:
    # Wide enough for the bureau table when writing to a file or a CI log.
    wide = not sys.stdout.isatty() and "COLUMNS" not in os.environ
    return Console(highlight=False, width=120 if wide else None)


def _err() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def _progress(err: Console, quiet: bool):
    """Progress lines on stderr, with the time since start."""
    import time

    start = time.perf_counter()

    def say(message: str) -> None:
        if not quiet:
            err.print(f"[dim][{time.perf_counter() - start:6.1f} s][/] {message}", markup=True,
                      highlight=False)

    return say


def _fail(exc: Exception) -> None:
    from staffplan.errors import InputError, StaffplanError

    err = _err()
    if isinstance(exc, InputError):
        err.print(f"[bold red]error:[/] {t('t_input_problems', n=len(exc.problems))}",
                  highlight=False)
        for line in str(exc).splitlines():
            err.print(line, markup=False, highlight=False)
        raise typer.Exit(2)
    if isinstance(exc, StaffplanError):
        err.print(str(exc), markup=False, highlight=False)
        raise typer.Exit(exc.exit_code)
    raise exc


@contextmanager
def _errors():
    """Errors staffplan reports (bad input, a bug it caught) end the command with their
    message and exit code."""
    from staffplan.errors import StaffplanError

    try:
        yield
    except StaffplanError as exc:
        _fail(exc)


def _load(path: Path, overrides, lang, say=None):
    """Load a scenario; its ``lang:`` applies unless --lang was given."""
    from staffplan.io.roster import load_scenario

    _use_lang(lang)
    if say is not None:
        say(f"reading {path}")
    s = load_scenario(path, overrides)
    _use_lang(lang, s)
    for o in s.provenance.overrides if (say is not None and s.provenance) else []:
        say(f"override {o}")
    return s


def _out_folder(out: Path) -> None:
    from staffplan.errors import InputError, Problem

    if out.exists() and not out.is_dir():
        raise InputError([Problem(str(out), message=t("out_not_folder"))])


@app.command()
def plan(
    scenario: Path = typer.Argument(..., help="The scenario YAML file.", show_default=False),
    out: Path = typer.Option(Path("staffplan-out"), "--out", "-o", envvar="STAFFPLAN_OUT",
                             help="Folder for assignments.csv and summary.json."),
    solver: Solver = typer.Option(Solver.highs, envvar="STAFFPLAN_SOLVER",
                                  help="MIP solver: HiGHS (default) or PuLP's bundled CBC."),
    time_limit: Optional[float] = typer.Option(None, "--time-limit", min=0.1,
                                               envvar="STAFFPLAN_TIME_LIMIT",
                                               help="Seconds; the best plan found is returned "
                                                    "with its proven gap."),
    limit: int = typer.Option(20, "--limit", help="Moves shown in the table (0: all)."),
    show_all: bool = typer.Option(False, "--all", help="Show every move."),
    names: bool = typer.Option(False, "--names", help="Show officer names in the moves table "
                                                       "(personal data; off by default)."),
    fmt: Format = typer.Option(Format.table, "--format", "-f",
                               help="table: Rich tables; json: summary.json on stdout."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress lines on stderr."),
    report_html: bool = typer.Option(False, "--report", help="Also write OUT/report.html, the "
                                                              "meeting report."),
    lang: Optional[Lang] = _lang_option(),
    overrides: list[str] = _set_option(),
) -> None:
    """Solve for the fewest moves that meet every rule, re-check the plan, write it.

    Writes OUT/assignments.csv (one row per officer), OUT/approvals.csv, OUT/plan.xlsx and
    OUT/summary.json (and OUT/report.html with --report).
    When no plan can meet the rules, explains which rules conflict and by how much (exit 1).
    """
    from staffplan.check import check as check_rules
    from staffplan.plan import make_plan
    from staffplan.report.files import summary_dict, to_json
    from staffplan.report.output import write_plan
    from staffplan.report.tables import render_plan

    err = _err()
    say = _progress(err, quiet)
    with _errors():
        _out_folder(out)
        s = _load(scenario, overrides, lang, say)
        before = check_rules(s)
        say(f"planning {s.config.name}: {len(s.officers)} officers, "
            f"{len(s.organisation.units)} units")
        result = make_plan(s, solver.value, time_limit, progress=say)
        if result.status.has_plan:
            say(f"writing {out}")
        written = write_plan(out, result, before, html=report_html)
    if fmt is Format.json:
        sys.stdout.write(to_json(summary_dict(result, before)))
    elif result.status.has_plan:
        render_plan(_out(), result, before, limit=0 if show_all else limit, names=names)
    if not result.status.has_plan:
        err.print(f"[bold red]{t('t_no_plan')}[/]" if result.status.value == "infeasible"
                  else f"[bold red]{t('t_no_plan_found')}[/]")
        for line in result.conflicts:
            err.print(f"    – {line.strip()}" if line.startswith("  ") else f"• {line}", markup=False)
    err.print(t("t_wrote", files=", ".join(str(p) for p in written)))
    raise typer.Exit(0 if result.status.has_plan else 1)


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
    limit: int = typer.Option(20, "--limit", help="Rank promotions shown (0: all)."),
    show_all: bool = typer.Option(False, "--all", help="Show every rank promotion."),
    names: bool = typer.Option(False, "--names", help="Show officer names (personal data)."),
    fmt: Format = typer.Option(Format.table, "--format", "-f",
                               help="table: Rich tables; json: summary.json on stdout."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress lines on stderr."),
    lang: Optional[Lang] = _lang_option(),
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
    assignments: Optional[Path] = typer.Option(
        None, "--assignments", "-a",
        help="A proposed plan in the assignments.csv format (officer_id and to_unit are "
             "required); default: the current roster."),
    fmt: CheckFormat = typer.Option(CheckFormat.table, "--format", "-f", envvar="STAFFPLAN_FORMAT",
                                    help="table for people; json, junit, markdown or github "
                                         "(workflow annotations) for machines."),
    output: Optional[str] = typer.Option(None, "--output", "-o", envvar="STAFFPLAN_OUTPUT",
                                         help="Write the report to this file ('-': stdout, "
                                              "the default)."),
    strict: bool = typer.Option(False, "--strict", envvar="STAFFPLAN_STRICT",
                                help="Fail (exit 1) on warnings too."),
    approvals: Optional[Path] = typer.Option(None, "--approvals",
                                             help="Write the transfers that need the city "
                                                  "committee's approval to this CSV file."),
    limit: int = typer.Option(30, "--limit", help="Violations shown in the table (0: all)."),
    show_all: bool = typer.Option(False, "--all", help="Show every violation."),
    promotions: Optional[Path] = typer.Option(None, "--promotions", help="Check this promotion "
                                              "list (promotions.csv format) instead."),
    partial: bool = typer.Option(False, "--partial", help="With --promotions: unfilled slots "
                                                          "are not violations."),
    lang: Optional[Lang] = _lang_option(),
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
    from staffplan.io.roster import read_assignments
    from staffplan.io.tables import write_atomic
    from staffplan.report import formats, tables
    from staffplan.report.files import approvals_csv

    if promotions is not None:
        from staffplan.promotions import commands

        with _errors():
            code = commands.check(lambda: _load(scenario, overrides, lang), promotions,
                                  fmt=fmt.value, output=output, limit=0 if show_all else limit,
                                  partial=partial, out_console=_out(), err=_err())
        raise typer.Exit(code)
    with _errors():
        s = _load(scenario, overrides, lang)
        proposed = read_assignments(assignments, s) if assignments is not None else None
    report = check_rules(s, proposed=proposed)
    to_stdout = output in (None, "-")
    if fmt is CheckFormat.table and to_stdout:
        tables.render_check(_out(), report, limit=0 if show_all else limit)
    else:
        text = (tables.check_text(report) if fmt is CheckFormat.table
                else formats.render(fmt.value, report, s, proposed, strict))
        if to_stdout:
            sys.stdout.write(text)
        else:
            write_atomic(Path(output), text)
    if approvals is not None:
        write_atomic(approvals, approvals_csv(report, s))
    err = _err()
    n, w = len(report.violations), len(report.warnings)
    if report.approvals:
        missing = sum(not a.approved for a in report.approvals)
        err.print(t("t_approvals", n=len(report.approvals), missing=missing))
    err.print((t("t_all_hold") if not n else t("t_n_violations", n=n))
              + (t("t_n_warnings", n=w) + (t("t_strict_failing") if strict and w else "") if w else ""))
    raise typer.Exit(1 if n or (strict and w) else 0)


class CompareFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


@app.command()
def compare(
    scenarios: list[Path] = typer.Argument(..., help="Two or more scenario files.", show_default=False),
    fmt: CompareFormat = typer.Option(CompareFormat.table, "--format", "-f"),
    solver: Solver = typer.Option(Solver.highs, envvar="STAFFPLAN_SOLVER"),
    time_limit: Optional[float] = typer.Option(None, "--time-limit", min=0.1,
                                               help="Seconds per scenario."),
    workers: int = typer.Option(min(2, os.cpu_count() or 1), "--workers", "-j", min=1,
                                help="Scenarios solved at once, in worker processes."),
    lang: Optional[Lang] = _lang_option(),
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
                              time_limit, workers)
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
    vary: list[str] = typer.Option(..., "--vary", "-v",
                                   help="KEY=START:STOP:STEP (stop included) or KEY=V1,V2,...; "
                                        "once or twice.", show_default=False),
    out: Path = typer.Option(Path("staffplan-out/sweep"), "--out", "-o",
                             help="Folder for sweep.csv, sweep.png and sweep.html."),
    workers: int = typer.Option(min(2, os.cpu_count() or 1), "--workers", "-j", min=1,
                                help="Worker processes."),
    solver: Solver = typer.Option(Solver.highs, envvar="STAFFPLAN_SOLVER"),
    time_limit: Optional[float] = typer.Option(None, "--time-limit", min=0.1,
                                               help="Seconds per grid point (rebuilds each point)."),
    fmt: Format = typer.Option(Format.table, "--format", "-f"),
    lang: Optional[Lang] = _lang_option(),
    overrides: list[str] = _set_option(),
) -> None:
    """Solve a grid of one or two parameters: the moves each target costs, and where it
    becomes impossible. Writes OUT/sweep.csv, OUT/sweep.png and OUT/sweep.html.

    Example: staffplan sweep configs/lianyungang-2021.yaml --vary rules.community_share=0.40:0.56:0.01
    """
    from rich.progress import Progress

    from staffplan.config import load_config_with_provenance
    from staffplan.report.files import provenance_dict, to_json
    from staffplan.studies import sweep as sw

    _use_lang(lang)
    err = _err()
    with _errors():
        _out_folder(out)
        axes = [sw.parse_vary(v) for v in vary]
        total = len(sw.grid(axes)) if 1 <= len(axes) <= 2 else 0
        with Progress(console=err, transient=True) as bar:
            task = bar.add_task(f"solving {total} grid points", total=total)
            result = sw.sweep(str(scenario), axes, tuple(overrides), solver.value, workers,
                              time_limit, on_progress=lambda n: bar.advance(task, n))
        title = f"{scenario.name}: moves needed by {' and '.join(a.key for a in axes)}"
        paths = sw.write_outputs(result, out, title)
    if fmt is Format.json:
        _, prov = load_config_with_provenance(scenario, None, overrides)
        sys.stdout.write(to_json(sw.to_dict(result, provenance_dict(prov))))
    else:
        _out().print(sw.table(result))
    err.print(t("t_wrote", files=", ".join(str(p) for p in paths)))


@app.command()
def report(
    scenario: Path = typer.Argument(..., help="The scenario YAML file.", show_default=False),
    out: Path = typer.Option(Path("report.html"), "--out", "-o", help="The HTML file to write."),
    solver: Solver = typer.Option(Solver.highs, envvar="STAFFPLAN_SOLVER"),
    time_limit: Optional[float] = typer.Option(None, "--time-limit", min=0.1),
    lang: Optional[Lang] = _lang_option(),
    overrides: list[str] = _set_option(),
) -> None:
    """Write the meeting report: one self-contained HTML file with before/after charts of the
    shares per bureau against their targets, posts staffed, the flow of officers, the moves
    with their reasons (searchable) and the approvals. Exit 1 when no plan exists (the
    report then says why)."""
    from staffplan.check import check as check_rules
    from staffplan.io.tables import write_atomic
    from staffplan.plan import make_plan
    from staffplan.report.html import plan_report

    with _errors():
        s = _load(scenario, overrides, lang)
        result = make_plan(s, solver.value, time_limit)
    write_atomic(out, plan_report(result, check_rules(s)))
    _err().print(t("t_wrote", files=out))
    raise typer.Exit(0 if result.status.has_plan else 1)


@app.command()
def explain(
    scenario: Path = typer.Argument(..., help="The scenario YAML file.", show_default=False),
    officer: Optional[str] = typer.Argument(None, help="An officer id.", show_default=False),
    unit: Optional[str] = typer.Option(None, "--unit", "-u", help="Explain a unit instead."),
    promotions: bool = typer.Option(False, "--promotions", help="Why the officer is or is not "
                                    "eligible in the promotion round, with their years."),
    solver: Solver = typer.Option(Solver.highs, envvar="STAFFPLAN_SOLVER"),
    lang: Optional[Lang] = _lang_option(),
    overrides: list[str] = _set_option(),
) -> None:
    """Why an officer moves or stays (the rule that holds them, or the target that needed the
    move and why this officer rather than another), or a unit's before/after and the rules
    that bind there. Solves the plan first."""
    from staffplan.errors import InputError, Problem
    from staffplan.plan import make_plan
    from staffplan.studies.explain import explain_officer, explain_unit

    if promotions:
        from rich.text import Text

        from staffplan.promotions import commands

        with _errors():
            if officer is None or unit is not None:
                raise InputError([Problem("explain", message="give an OFFICER_ID with --promotions")])
            lines = commands.explain(lambda: _load(scenario, overrides, lang), officer,
                                     solver=solver.value, out_console=_out())
        out = _out()
        out.print(Text(lines[0], style="bold"))
        for line in lines[1:]:
            out.print(Text(f"  {line}"))
        raise typer.Exit(0)
    with _errors():
        s = _load(scenario, overrides, lang)
        if (officer is None) == (unit is None):
            raise InputError([Problem("explain", message="give an OFFICER_ID or --unit UNIT")])
        if officer is not None and officer not in s.officer_by_id:
            raise InputError([Problem(str(scenario), message=t("e_unknown_officer", id=officer))])
        if unit is not None and (unit not in s.organisation or s.organisation[unit].kind.is_bureau):
            raise InputError([Problem(str(scenario), message=t("e_unknown_unit", id=unit))])
        result = make_plan(s, solver.value)
    if not result.status.has_plan:
        for line in result.conflicts:
            _err().print(line, markup=False)
        raise typer.Exit(1)
    lines = explain_officer(s, result, officer) if officer else explain_unit(s, result, unit)
    out = _out()
    out.print(f"[bold]{lines[0]}[/]")
    for line in lines[1:]:
        out.print(f"  {line}", markup=False)


@app.command()
def config(
    scenario: Path = typer.Argument(..., help="The scenario YAML file.", show_default=False),
    lang: Optional[Lang] = _lang_option(),
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
def schema() -> None:
    """Print the JSON Schema of a scenario file (for editors: completion and validation)."""
    from staffplan.config import json_schema
    from staffplan.report.files import to_json

    sys.stdout.write(to_json(json_schema()))


@app.command()
def generate(
    out_dir: Path = typer.Argument(..., help="Folder for units.csv, officers.csv, scenario.yaml."),
    officers: int = typer.Option(3000, "--officers", "-n", min=150, help="About this many officers (150 or more)."),
    seed: int = typer.Option(2021, "--seed", help="Random seed; the same seed gives the same files."),
) -> None:
    """Write a synthetic city shaped like the Lianyungang example (synthetic names only)."""
    from staffplan.generate import write_instance

    try:
        paths = write_instance(out_dir, officers=officers, seed=seed)
    except ValueError as exc:
        _err().print(f"error: {exc}", markup=False)
        raise typer.Exit(2)
    _err().print(t("t_wrote", files=", ".join(str(p) for p in paths)))


@app.command()
def version() -> None:
    """Print staffplan's version."""
    from staffplan import __version__

    typer.echo(__version__)


def _terminated(signum, frame):  # noqa: ARG001
    stop_children()
    _err().print("stopped (SIGTERM); nothing more will be written")
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


def main() -> None:
    """Entry point: bugs end with a one-line message (STAFFPLAN_DEBUG=1 shows the traceback).

    SIGTERM unwinds like Ctrl-C, so temporary solver files are removed and no output file is
    left half-written."""
    signal.signal(signal.SIGTERM, _terminated)
    try:
        app()
    except KeyboardInterrupt:
        stop_children()
        _err().print("interrupted; nothing more was written")
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001
        if os.environ.get("STAFFPLAN_DEBUG"):
            raise
        _err().print(f"internal error ({exc.__class__.__name__}); this is a bug in staffplan. "
                     "Run with STAFFPLAN_DEBUG=1 for details.", markup=False)
        sys.exit(3)


if __name__ == "__main__":
    main()
