"""Compare scenarios side by side: solve each, one column per scenario.

A scenario that cannot be met shows why in its column; bad input in any scenario is still an
input error (exit 2) for the whole command.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

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
                 provenance=provenance_dict(scenario.provenance))
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
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
            return list(pool.map(_job, jobs))
    return [_job(j) for j in jobs]


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
    keys whose values differ, and why a scenario has no plan (its lines numbered, one per
    line of the cell)."""
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
        if any(v != vals[0] for v in vals) and k != "name":
            out.append(Row(f"config: {k}", t("c_config", name=k),
                           ["" if v is None else str(v) for v in vals], "config"))
    why = ["\n".join(f"{i}. {line.strip()}" for i, line in enumerate(c.conflicts, 1))
           for c in columns]
    if any(why):
        out.append(Row("why no plan", t("c_why"), why, "why"))
    return out


def _cell(value) -> str:
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)


def to_csv(columns: list[Column]) -> str:
    """For Excel (``staffplan.io.excel_csv``): BOM, and no cell read as a formula."""
    from staffplan.io.excel_csv import write_rows

    return write_rows(["", *[c.name for c in columns]],
                      ([row.label, *row.cells] for row in rows(columns)))


def to_markdown(columns: list[Column]) -> str:
    from staffplan.report.escape import md_text as esc

    lines = ["| | " + " | ".join(esc(c.name) for c in columns) + " |",
             "|---|" + "---|" * len(columns)]
    for row in rows(columns):
        lines.append(f"| {esc(row.label)} | " + " | ".join(esc(c) for c in row.cells) + " |")
    return "\n".join(lines) + "\n"


def to_dict(columns: list[Column]) -> dict:
    return {"scenarios": [{"name": c.name, "path": c.path, "status": c.status,
                           "values": c.values, "conflicts": c.conflicts,
                           "provenance": c.provenance} for c in columns],
            "rows": [{"key": row.key, "label": row.label, "cells": row.cells}
                     for row in rows(columns)]}


class _Blocks:
    """The comparison on the terminal: as many scenarios side by side as the width allows
    (each column at least ``COLUMN`` wide), the rest in further blocks below with the labels
    repeated; a label is never cut short (a long config key folds onto more lines)."""

    COLUMN, LABEL = 16, 26

    def __init__(self, columns: list[Column]):
        self.columns = columns
        self.rows = rows(columns)

    def _table(self, columns: list[int], first: bool, label_width: int):
        from rich import box
        from rich.table import Table
        from rich.text import Text

        from staffplan.i18n import t
        from staffplan.report.screen import text

        out = Table(title=Text(t("c_title"), style="bold") if first else None,
                    title_justify="left", box=box.SIMPLE_HEAD, show_edge=False,
                    padding=(0, 1, 0, 0))
        out.add_column("", overflow="fold", width=label_width)
        for i in columns:
            out.add_column(text(self.columns[i].name, "bold"), overflow="fold",
                           min_width=self.COLUMN)
        group = None
        for row in self.rows:
            if group is not None and row.group != group:
                out.add_section()
            group = row.group
            cells = [Text("\n").join(text(line) for line in row.cells[i].split("\n"))
                     for i in columns]
            out.add_row(text(row.label), *cells)
        return out

    def __rich_console__(self, console, options):
        from rich.cells import cell_len
        from rich.text import Text

        from staffplan.i18n import t

        label_width = min(self.LABEL, max(cell_len(r.label) for r in self.rows))
        per = max(1, (options.max_width - label_width - 1) // (self.COLUMN + 1))
        n = len(self.columns)
        for start in range(0, n, per):
            yield self._table(list(range(start, min(n, start + per))), start == 0, label_width)
        yield Text(t("c_caption"), style="dim")


def table(columns: list[Column]):
    """The comparison as Rich tables: one column per scenario, the figures grouped."""
    return _Blocks(columns)
