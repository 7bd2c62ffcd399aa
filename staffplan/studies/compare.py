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
                time_limit: float | None = None) -> Column:
    """Solve one scenario and reduce it to the figures a comparison shows."""
    from staffplan.io.roster import load_scenario
    from staffplan.plan import make_plan

    scenario = load_scenario(path, overrides)
    result = make_plan(scenario, solver, time_limit)
    col = Column(scenario.config.name, str(path), result.status.value,
                 config=flat_config(config_dict(scenario.config)),
                 provenance=provenance_dict(scenario.provenance))
    col.values["moves"] = result.moves
    col.values["gap"] = None if result.outcome is None or result.outcome.gap is None else round(result.outcome.gap, 6)
    if result.report is None:
        col.conflicts = result.conflicts
        return col
    r = result.report
    for kind, n in r.moves_by_kind.items():
        col.values[f"moves: {kind}"] = n
    col.values["recruits placed"] = sum(n for k, n in r.moves_by_kind.items() if k.startswith("recruit"))
    col.values["officers at posts"] = sum(b.community_officers for b in r.bureaus)
    col.values["posts staffed"] = f"{sum(b.posts_staffed for b in r.bureaus)} / {sum(b.posts for b in r.bureaus)}"
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
    from staffplan.io.roster import load_scenario

    problems = Problems()
    for p in paths:
        try:
            load_scenario(p, overrides)
        except InputError as exc:
            problems.items.extend(exc.problems)
    problems.raise_if_any()
    jobs = [(p, tuple(overrides), solver, time_limit) for p in paths]
    if workers > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
            return list(pool.map(_job, jobs))
    return [_job(j) for j in jobs]


def rows(columns: list[Column]) -> list[tuple[str, list[str]]]:
    """(label, one cell per scenario), in a fixed order: outcome, figures, then the config
    keys whose values differ."""
    labels: list[str] = ["status", "moves", "gap"]
    for c in columns:
        for k in c.values:
            if k not in labels:
                labels.append(k)
    moves_kinds = sorted(k for k in labels if k.startswith("moves: "))
    figures = [k for k in labels if k not in ("status", "moves", "gap") and not k.startswith("moves: ")]
    order = ["status", "moves", "gap"] + moves_kinds + figures
    out = []
    for label in order:
        cells = []
        for c in columns:
            if label == "status":
                cells.append(c.status)
            else:
                v = c.values.get(label)
                cells.append("" if v is None else str(v))
        if label == "gap" and all(cell in ("", "0.0") for cell in cells):
            continue
        out.append((label, cells))
    keys = sorted({k for c in columns for k in c.config})
    for k in keys:
        vals = [c.config.get(k) for c in columns]
        if any(v != vals[0] for v in vals) and k != "name":
            out.append((f"config: {k}", ["" if v is None else str(v) for v in vals]))
    why = [" / ".join(line.strip() for line in c.conflicts[:4]) for c in columns]
    if any(why):
        out.append(("why no plan", why))
    return out


def to_csv(columns: list[Column]) -> str:
    """For Excel (``staffplan.io.excel_csv``): BOM, and no cell read as a formula."""
    from staffplan.io.excel_csv import write_rows

    return write_rows(["", *[c.name for c in columns]],
                      ([label, *cells] for label, cells in rows(columns)))


def to_markdown(columns: list[Column]) -> str:
    from staffplan.report.escape import md_text as esc

    lines = ["| | " + " | ".join(esc(c.name) for c in columns) + " |",
             "|---|" + "---|" * len(columns)]
    for label, cells in rows(columns):
        lines.append(f"| {esc(label)} | " + " | ".join(esc(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"


def to_dict(columns: list[Column]) -> dict:
    return {"scenarios": [{"name": c.name, "path": c.path, "status": c.status,
                           "values": c.values, "conflicts": c.conflicts,
                           "provenance": c.provenance} for c in columns],
            "rows": [{"label": label, "cells": cells} for label, cells in rows(columns)]}


def table(columns: list[Column]):
    """The comparison as a Rich table: one column per scenario."""
    from rich.table import Table

    out = Table(title="Scenarios compared", title_justify="left")
    out.add_column("")
    for c in columns:
        out.add_column(c.name, overflow="fold")
    for label, cells in rows(columns):
        out.add_row(label, *cells)
    return out
