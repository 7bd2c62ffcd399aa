"""Compare scenarios side by side: solve each, one column per scenario.

A scenario that cannot be met shows why in its column; bad input in any scenario is still an
input error (exit 2) for the whole command.
"""

from __future__ import annotations

import json
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from staffplan.beside import end_with_parent
from staffplan.report.files import config_dict, flat_config, provenance_dict


@dataclass
class Column:
    name: str
    path: str
    status: str
    values: dict[str, object] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)
    config: dict = field(default_factory=dict)
    provenance: dict = field(default_factory=dict)
    bureaus: list[str] = field(default_factory=list)  # their headings in ``conflicts``


def plan_column(path: str, overrides: tuple[str, ...] = (), solver: str = "highs",
                time_limit: float | None = None, lang: str | None = None) -> Column:
    """Solve one scenario and reduce it to the figures a comparison shows (``values``: stable
    keys; ``rows`` gives them labels in the current language)."""
    from staffplan.i18n import set_lang
    from staffplan.io.roster import load_scenario
    from staffplan.plan import make_plan

    if lang is not None:
        set_lang(lang)  # a worker process: the reasons in the caller's language
    scenario = load_scenario(path, overrides)
    result = make_plan(scenario, solver, time_limit)
    col = Column(scenario.config.name, str(path), result.status.value,
                 config=flat_config(config_dict(scenario.config)),
                 provenance=provenance_dict(scenario.provenance),
                 bureaus=[b.id for b in scenario.organisation.bureaus])
    col.values["moves"] = result.moves
    col.values["gap"] = (None if result.outcome is None or result.outcome.gap is None
                         else round(result.outcome.gap, 6))
    if result.report is None:
        col.conflicts = result.conflicts
        return col
    r = result.report
    for kind, n in r.moves_by_kind.items():  # the one vocabulary (staffplan.moves)
        col.values[f"moves: {kind}"] = n
    col.values["recruits placed"] = r.recruits_placed
    for kind, n in r.placed_by_kind.items():
        col.values[f"recruits placed: {kind}"] = n
    col.values["officers at posts"] = sum(b.community_officers for b in r.bureaus)
    col.values["posts staffed"] = (f"{sum(b.posts_staffed for b in r.bureaus)} / "
                                   f"{sum(b.posts for b in r.bureaus)}")
    col.values["community funds"] = sum(b.community_funds for b in r.bureaus)
    for b in r.bureaus:
        col.values[f"{b.bureau} station share"] = _pct(b.station_share)
        col.values[f"{b.bureau} community share"] = _pct(b.community_share)
    return col


def _pct(x) -> str:
    return "n/a" if x is None else f"{float(x) * 100:.1f}%"


def _job(args):
    return plan_column(*args)


def compare(paths: list[str], overrides: tuple[str, ...] = (), solver: str = "highs",
            time_limit: float | None = None, workers: int = 1) -> list[Column]:
    """Load every scenario first (so bad input fails before any solving), then solve them,
    in ``workers`` processes."""
    from staffplan.errors import InputError, Problems
    from staffplan.i18n import get_lang
    from staffplan.io.roster import load_scenario

    problems = Problems()
    for p in paths:
        try:
            load_scenario(p, overrides)
        except InputError as exc:
            problems.items.extend(exc.problems)
    problems.raise_if_any()
    jobs = [(p, tuple(overrides), solver, time_limit, get_lang()) for p in paths]
    if workers > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs)),
                                 initializer=end_with_parent) as pool:
            return list(pool.map(_job, jobs))
    return [_job(j) for j in jobs]


# Sections of a scenario that no plan reads: compare plans, it does not run promote, so a
# key under them that differs is left out of the comparison (and said so once).
NOT_COMPARED = ("promotions",)


def compared(key: str) -> bool:
    """Whether a config key plays a part in the plans compare compares."""
    return key != "name" and key.split(".", 1)[0] not in NOT_COMPARED


def not_compared(columns: list[Column]) -> list[str]:
    """The config keys whose values differ but that compare leaves out (``NOT_COMPARED``)."""
    keys = sorted({k for c in columns for k in c.config})
    return [k for k in keys if k != "name" and not compared(k)
            and any(c.config.get(k) != columns[0].config.get(k) for c in columns)]


def why(column: Column):
    """Why a scenario has no plan, as nested points (``report.why``)."""
    from staffplan.report.why import points

    return points(column.conflicts, column.bureaus)


@dataclass
class Row:
    key: str  # stable, for machines: "moves: hq -> post", "config: rules.community_share"
    label: str  # in the current language, for people
    cells: list[str]
    group: str  # outcome, moves, figures, bureaus, config, why


def _label(key: str) -> tuple[str, str]:
    """(label, group) of a row key, in the current language."""
    from staffplan.i18n import t
    from staffplan.moves import label as move_label
    from staffplan.moves import placement_label

    fixed = {"status": ("h_status", "outcome"), "moves": ("c_moves", "outcome"),
             "gap": ("c_gap", "outcome"), "recruits placed": ("t_recruits_placed", "moves"),
             "officers at posts": ("c_at_posts", "figures"),
             "posts staffed": ("h_posts_staffed", "figures"),
             "community funds": ("h_funds", "figures")}
    if key in fixed:
        message, group = fixed[key]
        return t(message), group
    if key.startswith("moves: "):
        return move_label(key.removeprefix("moves: ")), "moves"
    if key.startswith("recruits placed: "):
        return placement_label(key.removeprefix("recruits placed: ")), "moves"
    for suffix, message in ((" station share", "h_station_share"),
                            (" community share", "h_community_share")):
        if key.endswith(suffix):
            return t("c_bureau_figure", bureau=key.removesuffix(suffix), figure=t(message)), \
                "bureaus"
    return key, "figures"


def _status(status: str) -> str:
    from staffplan.i18n import t

    return t(f"c_{status}")


def rows(columns: list[Column]) -> list[Row]:
    """One row per figure, one cell per scenario, in a fixed order: the outcome, the moves
    by kind and the recruits placed, the city's figures, the shares per bureau, the config
    keys whose values differ (those a plan reads: ``compared``), and why a scenario has no
    plan (its explanations numbered, their points indented under them)."""
    from staffplan.i18n import t
    from staffplan.moves import order

    keys: list[str] = []
    for c in columns:
        for k in c.values:
            if k not in keys:
                keys.append(k)
    kinds = order(k.removeprefix("moves: ") for k in keys if k.startswith("moves: "))
    placed = [k for k in keys if k.startswith("recruits placed")]
    rest = [k for k in keys if k not in ("moves", "gap") and not k.startswith("moves: ")
            and k not in placed]
    out = [Row("status", _label("status")[0], [_status(c.status) for c in columns], "outcome")]
    for key in ["moves", "gap", *[f"moves: {k}" for k in kinds], *placed, *rest]:
        cells = ["" if c.values.get(key) is None else _cell(c.values[key]) for c in columns]
        if key == "gap" and all(cell in ("", "0.0") for cell in cells):
            continue
        label, group = _label(key)
        out.append(Row(key, label, cells, group))
    for k in sorted({k for c in columns for k in c.config}):
        vals = [c.config.get(k) for c in columns]
        if any(v != vals[0] for v in vals) and compared(k):
            out.append(Row(f"config: {k}", t("c_config", name=k),
                           ["" if v is None else v if isinstance(v, str)
                            else json.dumps(v, ensure_ascii=False, default=str) for v in vals],
                           "config"))
    from staffplan.report.why import lines

    reasons = ["\n".join(lines(why(c))) for c in columns]
    if any(reasons):
        out.append(Row("why no plan", t("c_why"), reasons, "why"))
    return out


def _cell(value) -> str:
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)


def to_csv(columns: list[Column]) -> str:
    """For Excel (``staffplan.io.excel_csv``): BOM, and no cell read as a formula. It often
    goes to a terminal (stdout): control characters in names and values are shown as
    escapes (``\x1b``), never sent (this file is read by people, not back by staffplan)."""
    from staffplan.io.excel_csv import write_rows
    from staffplan.report.escape import visible

    return write_rows([visible(""), *[visible(c.name) for c in columns]],
                      ([visible(row.label), *[visible(c) for c in row.cells]]
                       for row in rows(columns)))


def to_markdown(columns: list[Column]) -> str:
    """A Markdown table; a cell of several lines (why no plan) keeps them, as ``<br>``."""
    from staffplan.report.escape import md_text as esc

    def cell(value: str) -> str:
        return "<br>".join(esc(line) for line in value.split("\n"))

    out = ["| | " + " | ".join(esc(c.name) for c in columns) + " |",
           "|---|" + "---|" * len(columns)]
    for row in rows(columns):
        out.append(f"| {esc(row.label)} | " + " | ".join(cell(c) for c in row.cells) + " |")
    left = not_compared(columns)
    if left:
        out += ["", esc(_not_compared_note(left))]
    return "\n".join(out) + "\n"


def _not_compared_note(keys: list[str]) -> str:
    from staffplan.i18n import t

    sections = sorted({k.split(".", 1)[0] for k in keys})
    return t("c_not_compared", n=len(keys), sections=", ".join(f"{s}.*" for s in sections))


def to_dict(columns: list[Column]) -> dict:
    return {"scenarios": [{"name": c.name, "path": c.path, "status": c.status,
                           "values": c.values, "conflicts": c.conflicts,
                           "provenance": c.provenance} for c in columns],
            "rows": [{"key": row.key, "label": row.label, "cells": row.cells}
                     for row in rows(columns)],
            "not_compared": not_compared(columns)}


class _Blocks:
    """The comparison on the terminal: as many scenarios side by side as the width allows
    (each column at least ``COLUMN`` wide), the rest in further blocks below, each titled
    with the scenarios it holds, the labels repeated. A label is never cut mid-word: a
    config key wraps after its dots, and the label column is as wide as its longest part.
    Why a scenario has no plan follows the tables, at the full width, one list per
    scenario (its cell in the table says how many reasons)."""

    COLUMN, LABEL = 16, 26

    def __init__(self, columns: list[Column]):
        self.columns = columns
        self.rows = rows(columns)
        self.why = [why(c) for c in columns]

    def _label(self, row: Row, width: int):
        from rich.text import Text

        from staffplan.report.screen import text

        if row.group != "config":
            return text(row.label)
        # Under the config heading: the key alone, wrapped after its dots.
        key = row.key.removeprefix("config: ")
        return Text("\n").join(text(line) for line in wrap_key(key, width))

    def _table(self, columns: list[int], label_width: int):
        from rich import box
        from rich.table import Table
        from rich.text import Text

        from staffplan.i18n import t
        from staffplan.report.screen import text
        from staffplan.report.why import count

        n = len(self.columns)
        if len(columns) == n:
            title = t("c_title")
        else:
            first, last = columns[0] + 1, columns[-1] + 1
            title = t("c_title_part" if first == 1 else "c_title_more", first=first,
                      last=last, n=n)
        out = Table(title=Text(title, style="bold"), title_justify="left", box=box.SIMPLE_HEAD,
                    show_edge=False, padding=(0, 1, 0, 0))
        out.add_column("", overflow="fold", width=label_width)
        for i in columns:
            out.add_column(text(self.columns[i].name, "bold"), overflow="fold",
                           min_width=self.COLUMN)
        group = None
        for row in self.rows:
            if group is not None and row.group != group:
                out.add_section()
            if row.group == "config" and group != "config":
                out.add_row(Text(t("c_config_head"), style="bold"), *[Text("")] * len(columns))
            group = row.group
            if row.group == "why":
                cells = [Text(t("c_why_below", n=count(self.why[i])) if self.why[i] else "")
                         for i in columns]
            else:
                cells = [Text("\n").join(text(line) for line in row.cells[i].split("\n"))
                         for i in columns]
            out.add_row(self._label(row, label_width), *cells)
        return out

    def __rich_console__(self, console, options):
        from rich.cells import cell_len
        from rich.text import Text

        from staffplan.i18n import t
        from staffplan.report.screen import text

        # The label column: up to LABEL wide, wider for a part of a key that cannot wrap,
        # but always leaving room for one scenario.
        longest = max(cell_len(r.label) for r in self.rows if r.group != "config")
        keys = [r.key.removeprefix("config: ") for r in self.rows if r.group == "config"]
        longest = max([longest, cell_len(t("c_config_head"))]
                      + [cell_len(k) for k in keys]) if keys else longest
        # A part of a key after the first may start an indented line: two columns more.
        parts = max((cell_len(p) + 2 for k in keys for p in _key_parts(k)), default=0)
        label_width = min(max(min(self.LABEL, longest), parts),
                          max(self.LABEL, options.max_width - self.COLUMN - 1))
        # Each scenario column: a separator, its width and its padding.
        per = max(1, (options.max_width - label_width - 1) // (self.COLUMN + 2))
        n = len(self.columns)
        for start in range(0, n, per):
            yield self._table(list(range(start, min(n, start + per))), label_width)
        yield Text(t("c_caption"), style="dim")
        left = not_compared(self.columns)
        if left:
            yield Text(_not_compared_note(left), style="dim")
        from staffplan.report.tables import why_list

        for c, items in zip(self.columns, self.why):
            if items:
                yield Text("")
                yield text(t("c_why_title", name=c.name), "bold")
                yield why_list(items)


def _key_parts(label: str) -> list[str]:
    """A config row's label in the pieces it may wrap between: after a space, after a dot."""
    import re

    return [p for p in re.split(r"(?<=[ .])", label) if p]


def wrap_key(label: str, width: int) -> list[str]:
    """A config key's label in lines of at most ``width`` columns, broken only after a dot
    or a space (never inside a name: ``promotions.openings.station_leader.B01``); the lines
    after the first indented by two. A single part wider than ``width`` keeps its line (the
    table folds it: only a hostile key is that long)."""
    from rich.cells import cell_len

    out: list[str] = []
    line = ""
    for part in _key_parts(label):
        pad = "  " if out else ""
        if line and cell_len(pad + line + part) > width:
            out.append((pad + line).rstrip())
            line = part
        else:
            line += part
    if line:
        out.append(("  " if out else "") + line)
    return out


def table(columns: list[Column]):
    """The comparison as Rich tables: one column per scenario, the figures grouped."""
    return _Blocks(columns)
