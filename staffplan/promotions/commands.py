"""The bodies of ``staffplan promote``, ``check --promotions`` and ``explain --promotions``
(``staffplan.cli`` parses the options and calls these). Each returns the exit code."""

from __future__ import annotations

import gc
import sys
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.text import Text

from staffplan.i18n import t
from staffplan.report.screen import text


@contextmanager
def _no_gc():
    """Reading a large history allocates millions of small objects that all live on: the
    cyclic garbage collector would walk them again and again for nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load(load_scenario):
    """The scenario (through the command line's loader, for --lang and overrides) and its
    promotion round."""
    from staffplan.io.history import load_round

    with _no_gc():
        s = load_scenario()
        return s, load_round(s)


def promote(load_scenario, out: Path, *, partial: bool, solver: str, names: bool, limit: int,
            json_out: bool, quiet: bool, html: bool, out_console: Console,
            err: Console, say) -> int:
    from staffplan.promotions.plan import make_promotions
    from staffplan.promotions.report import (
        promotions_csv,
        promotions_workbook,
        render_round,
        summary_dict,
        unfilled_text,
    )
    from staffplan.report.files import to_json
    from staffplan.report.output import write_set

    _, r = load(load_scenario)
    say(t("pg_round", date=r.date.isoformat(), officers=f"{len(r.scenario.officers):,}",
          postings=f"{len(r.history):,}"))
    result = make_promotions(r, solver, partial, progress=say)
    files: dict[str, str | bytes] = {}
    if result.has_list:
        say(t("g_writing", out=out))
        files["promotions.csv"] = promotions_csv(result)
        files["promotions.xlsx"] = promotions_workbook(result)
        if html:
            from staffplan.promotions.html import promotions_report

            files["promotions.html"] = promotions_report(result)
    summary = to_json(summary_dict(result))
    files["summary.json"] = summary
    write_set(out, files)  # one set: never a new list beside an old workbook, nor a plan
    if json_out:
        sys.stdout.write(summary)
    elif result.has_list:
        render_round(out_console, result, names=names, limit=limit)
    # Why a round cannot be filled is the command's output, as plan's is (stdout; with
    # --format json, stdout is the summary, and the reasons go to stderr beside it).
    shown = err if json_out else out_console
    if not result.has_list:
        from staffplan.report import why
        from staffplan.report.tables import why_list

        shown.print(Text(t("pt_impossible"), style="bold red"))
        shown.print(why_list(why.points(result.conflicts)))
    elif result.unfilled:
        shown.print(Text(t("pt_partial"), style="bold yellow"))
        for u in result.unfilled:
            shown.print(text(f"• {unfilled_text(u)}"))
        for line in result.conflicts:
            shown.print(text(f"    – {line}"))
    err.print(text(t("t_wrote", files=", ".join(str(out / n) for n in files))))
    return 0 if result.has_list else 1


def check(load_scenario, listing: Path, *, fmt: str, output: str | None, limit: int,
          partial: bool, out_console: Console, err: Console) -> int:
    from staffplan.io.promotions import read_promotions
    from staffplan.promotions.check import check_promotions
    from staffplan.promotions.formats import render, render_table, table_text
    from staffplan.report.output import write_file

    s, r = load(load_scenario)
    to_stdout = output in (None, "-")
    if not to_stdout:  # before any work: never an input (the list, the history), never a folder
        from staffplan.report.output import check_target, scenario_inputs

        check_target(Path(output), scenario_inputs(s, listing))
    entries = read_promotions(listing, r)
    report = check_promotions(r, entries, partial)
    if fmt == "table" and to_stdout:
        render_table(out_console, report, limit=limit)
    else:
        text = table_text(report) if fmt == "table" else render(fmt, report, s, listing)
        if to_stdout:
            sys.stdout.write(text)
        else:
            write_file(Path(output), text)
    n = len(report.violations)
    err.print(t("pt_list_ok") if not n else t("t_n_violations", n=n), markup=False)
    return 1 if n else 0


def explain(load_scenario, officer: str, *, solver: str, out_console: Console) -> list[str]:
    from staffplan.errors import InputError, Problem
    from staffplan.promotions import experience
    from staffplan.promotions.explain import explain_promotion
    from staffplan.promotions.plan import make_promotions

    s, r = load(load_scenario)
    if officer not in s.officer_by_id:
        raise InputError([Problem(s.source or "scenario", message=t("e_unknown_officer",
                                                                    id=officer))])
    result = make_promotions(r, solver)
    return explain_promotion(r, experience.facts(r), officer, result)
