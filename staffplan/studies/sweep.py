"""Sweep one or two scenario keys over a grid: the moves each target costs, and where it
becomes impossible.

When only share targets vary, each worker process builds the model once and, for every grid
point, changes the share rows' coefficients in the solver's model and solves again from the
last plan, instead of rebuilding. Any other key rebuilds the scenario per point. Every plan
found is still turned into an assignment and re-checked by the rule checker.
"""

from __future__ import annotations

import dataclasses
import math
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from decimal import Decimal, DecimalException
from pathlib import Path

import yaml

from staffplan.errors import InputError, Problem, Problems
from staffplan.i18n import t

def share_key(key: str) -> bool:
    """Does a key only change share rows' targets (the fast path)? The keys of the rules
    whose rows are shares (their modules give ``share_target``)."""
    from staffplan.rules import MODULES

    return any(hasattr(m, "share_target") and m.RULE.path is not None
               and (key == m.RULE.path or key.startswith(m.RULE.path + "."))
               for m in MODULES)


@dataclass
class Axis:
    key: str
    values: list


@dataclass
class Point:
    values: dict
    status: str = ""
    moves: int | None = None
    gap: float | None = None
    seconds: float = 0.0
    note: str = ""


MAX_GRID = 10_000  # points in a sweep (one axis, or the product of two)


def parse_vary(spec: str) -> Axis:
    """``key=start:stop:step`` (stop included) or ``key=v1,v2,...`` (YAML-typed values).
    Anything else is bad input (exit 2), never a crash."""
    problems = Problems()

    def fail(column: str, message: str):
        problems.add("--vary", column=column, message=message)
        problems.raise_if_any()

    if "=" not in spec:
        fail(spec, "expected KEY=START:STOP:STEP or KEY=V1,V2,...")
    key, text = (x.strip() for x in spec.split("=", 1))
    if not key:
        fail(spec, "expected KEY=START:STOP:STEP or KEY=V1,V2,...")
    if text.count(":") == 2:
        try:
            start, stop, step = (Decimal(x) for x in text.split(":"))
            if not all(x.is_finite() for x in (start, stop, step)):
                raise DecimalException
        except DecimalException:
            fail(key, f"{text!r}: START:STOP:STEP must be finite numbers")
        if step <= 0 or stop < start:
            fail(key, f"{text!r}: needs STEP > 0 and STOP >= START")
        try:
            n = int((stop - start) / step)
        except (DecimalException, OverflowError, ValueError):
            n = MAX_GRID
        if n + 1 > MAX_GRID:
            fail(key, f"{n + 1:,} values is too many (at most {MAX_GRID:,})")
        values = [start + i * step for i in range(n + 1)]
        integral = all(v == v.to_integral_value() for v in (start, stop, step))
        return Axis(key, [int(v) if integral else float(v) for v in values])
    parts = [v for v in text.split(",") if v.strip()]
    if len(parts) > MAX_GRID:
        fail(key, f"{len(parts):,} values is too many (at most {MAX_GRID:,})")
    values = []
    for v in parts:
        try:
            values.append(yaml.safe_load(v))
        except yaml.YAMLError:
            fail(key, f"{v.strip()!r} is not a value (a number, true/false, null or text)")
    if not values:
        fail(key, "no values")
    return Axis(key, values)


def grid(axes: list[Axis]) -> list[dict]:
    """Every point of one or two axes; more than MAX_GRID points is bad input."""
    n = 1
    for a in axes:
        n *= len(a.values)
    if n > MAX_GRID:
        raise InputError([Problem("--vary", message=t("grid_too_big", n=f"{n:,}",
                                                      limit=f"{MAX_GRID:,}"))])
    if len(axes) == 1:
        return [{axes[0].key: v} for v in axes[0].values]
    return [{axes[0].key: a, axes[1].key: b} for b in axes[1].values for a in axes[0].values]


def _sets(point: dict) -> list[str]:
    return [f"{k}={yaml.safe_dump(v, default_flow_style=True).strip().removesuffix('...').strip()}"
            for k, v in point.items()]


def validate(path: str, overrides: tuple[str, ...], points: list[dict]) -> None:
    """Every grid point's config must be valid before anything is solved (exit 2 otherwise)."""
    from staffplan.config import load_config_with_provenance

    problems = Problems()
    for point in points:
        sub = Problems()
        load_config_with_provenance(Path(path), sub, tuple(overrides) + tuple(_sets(point)))
        for p in sub.items:
            problems.items.append(Problem(p.file, p.row, p.column,
                                          f"{p.message} (grid point {point})"))
    problems.raise_if_any()


# --- Worker side ---------------------------------------------------------------------------

_CACHE: dict = {}


class _Resolver:
    """One scenario, one model, re-solved with other share targets."""

    def __init__(self, path: str, overrides: tuple[str, ...], solver: str):
        from staffplan.io.roster import load_scenario

        self.path, self.overrides, self.solver = path, overrides, solver
        self.scenario = load_scenario(path, overrides)
        self.model = None
        self.last_ok = False

    def _scenario_for(self, point: dict):
        data = self.scenario.config.rules.model_dump()
        for key, value in point.items():
            *head, last = key.split(".")[1:]  # under rules:
            d = data
            for k in head:
                d[k] = dict(d.get(k) or {})
                d = d[k]
            d[last] = value
        rules = type(self.scenario.config.rules).model_validate(data)
        config = self.scenario.config.model_copy(update={"rules": rules})
        return dataclasses.replace(self.scenario, config=config)

    def solve(self, point: dict) -> Point:
        from staffplan import solve
        from staffplan.domain import as_fraction
        from staffplan.model import build_model, placement
        from staffplan.rules import MODULE_BY_ID

        start = time.perf_counter()
        scenario = self._scenario_for(point)
        if self.model is None:
            # Build at a neutral target (every coefficient non-zero), solve once so the
            # solver holds the model, then only change coefficients.
            neutral = self._scenario_for({k: 0.5 for k in point})
            self.model = build_model(neutral, placement(neutral))
            self.model.prob.setObjective(self.model.moves)
            solve.run(self.model.prob, "highs")
        model = self.model
        org = scenario.organisation
        rows = {}
        for (rule, bureau), (name, *_) in model.shares.items():
            target = MODULE_BY_ID[rule].share_target(scenario, org[bureau])
            rows[name] = model.share_row(rule, bureau, as_fraction(target))
        solve.change_rows(model.prob, rows)
        out = solve.resolve(model.prob, model.variables(), fresh=not self.last_ok)
        self.last_ok = out.status.has_plan
        return _finish(point, scenario, model, out, start)


def _finish(point, scenario, model, out, start) -> Point:
    from staffplan.check import check
    from staffplan.plan import PlanCheckFailed, choose_officers

    p = Point(point, out.status.value, seconds=0.0)
    if out.status.has_plan:
        finals, _ = choose_officers(scenario, model)
        report = check(scenario, finals[0])
        if not report.ok:
            raise PlanCheckFailed("internal error: a sweep plan fails the rule checker at "
                                  f"{point}: " + "; ".join(v.message for v in report.violations[:5]))
        p.moves = report.moves
        p.gap = out.gap
    p.seconds = time.perf_counter() - start
    return p


def _slow(path: str, overrides: tuple[str, ...], solver: str, point: dict,
          time_limit: float | None) -> Point:
    from staffplan.io.roster import load_scenario
    from staffplan.plan import make_plan

    start = time.perf_counter()
    scenario = load_scenario(path, tuple(overrides) + tuple(_sets(point)))
    result = make_plan(scenario, solver, time_limit, explain_why=False)
    p = Point(point, result.status.value, result.moves,
              None if result.outcome is None else result.outcome.gap)
    if not result.status.has_plan and result.conflicts:
        p.note = result.conflicts[0]
    p.seconds = time.perf_counter() - start
    return p


def _run_chunk(path: str, overrides: tuple[str, ...], solver: str, points: list[dict],
               fast: bool, time_limit: float | None) -> list[Point]:
    if not fast:
        return [_slow(path, overrides, solver, p, time_limit) for p in points]
    key = (path, overrides, solver)
    if key not in _CACHE:
        _CACHE[key] = _Resolver(path, overrides, solver)
    return [_CACHE[key].solve(p) for p in points]


# --- Driver --------------------------------------------------------------------------------

@dataclass
class SweepResult:
    axes: list[Axis]
    points: list[Point]
    seconds: float
    fast: bool
    workers: int
    notes: list[str] = field(default_factory=list)


def sweep(path: str, axes: list[Axis], overrides: tuple[str, ...] = (), solver: str = "highs",
          workers: int = 2, time_limit: float | None = None, on_progress=None) -> SweepResult:
    if not 1 <= len(axes) <= 2:
        raise InputError([Problem("--vary", message="give one or two --vary options")])
    points = grid(axes)
    validate(path, tuple(overrides), points)
    fast = solver == "highs" and time_limit is None and all(
        share_key(a.key) for a in axes) and all(
        all(isinstance(v, (int, float)) for v in a.values) for a in axes)
    start = time.perf_counter()
    # Contiguous chunks, so each worker's next point starts from a neighbour's plan.
    n_chunks = max(1, min(len(points), workers * 4))
    size = math.ceil(len(points) / n_chunks)
    chunks = [points[i:i + size] for i in range(0, len(points), size)]
    results: dict[int, list[Point]] = {}
    if workers <= 1:
        for i, chunk in enumerate(chunks):
            results[i] = _run_chunk(path, tuple(overrides), solver, chunk, fast, time_limit)
            if on_progress:
                on_progress(len(chunk))
    else:
        with ProcessPoolExecutor(max_workers=min(workers, len(chunks))) as pool:
            futures = {pool.submit(_run_chunk, path, tuple(overrides), solver, chunk, fast,
                                   time_limit): i for i, chunk in enumerate(chunks)}
            for fut in as_completed(futures):
                results[futures[fut]] = fut.result()
                if on_progress:
                    on_progress(len(chunks[futures[fut]]))
    ordered = [p for i in range(len(chunks)) for p in results[i]]
    return SweepResult(axes, ordered, time.perf_counter() - start, fast, workers)


# --- Output --------------------------------------------------------------------------------

def table(result: SweepResult):
    """The grid as a Rich table: a row per point."""
    from rich.table import Table

    out = Table(title=f"Sweep: {len(result.points)} points in {result.seconds:.1f} s "
                      f"({'one model re-solved' if result.fast else 'rebuilt per point'}, "
                      f"{result.workers} worker(s))", title_justify="left")
    for a in result.axes:
        out.add_column(a.key, justify="right")
    out.add_column("status")
    out.add_column("moves", justify="right")
    for p in result.points:
        out.add_row(*[str(p.values[a.key]) for a in result.axes], p.status,
                    "" if p.moves is None else str(p.moves))
    return out


def to_dict(result: SweepResult, provenance: dict) -> dict:
    return {"axes": [a.key for a in result.axes], "seconds": round(result.seconds, 3),
            "provenance": provenance,
            "points": [{**p.values, "status": p.status, "moves": p.moves, "gap": p.gap}
                       for p in result.points]}


def to_csv(result: SweepResult) -> str:
    """For Excel (``staffplan.io.excel_csv``): BOM, and no cell read as a formula."""
    from staffplan.io.excel_csv import write_rows

    keys = [a.key for a in result.axes]
    return write_rows([*keys, "status", "moves", "gap", "seconds"], (
        [*[p.values[k] for k in keys], p.status, "" if p.moves is None else p.moves,
         "" if p.gap is None else round(p.gap, 6), round(p.seconds, 3)]
        for p in result.points))


def chart(result: SweepResult, title: str):
    """A matplotlib figure: for one key, moves needed against it with the impossible range
    shaded; for two keys, a grid of moves with impossible cells crossed out."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4.8), dpi=110)
    x_key = result.axes[0].key
    if len(result.axes) == 1:
        ok = [(p.values[x_key], p.moves) for p in result.points if p.moves is not None]
        bad = [p.values[x_key] for p in result.points if p.moves is None]
        ax.plot([a for a, _ in ok], [b for _, b in ok], marker="o", markersize=3,
                label="moves needed (proven minimum)")
        if bad:
            top = max([b for _, b in ok] or [1])
            ax.scatter(bad, [top] * len(bad), marker="x", color="red", label="impossible")
            ax.axvspan(min(bad), max(bad), color="red", alpha=0.08)
        ax.set_xlabel(x_key)
        ax.set_ylabel("moves")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    else:
        y_key = result.axes[1].key
        xs, ys = result.axes[0].values, result.axes[1].values
        cell = {(p.values[x_key], p.values[y_key]): p.moves for p in result.points}
        data = [[cell.get((x, y)) if cell.get((x, y)) is not None else float("nan")
                 for x in xs] for y in ys]
        cmap = matplotlib.colormaps["viridis"].copy()
        cmap.set_bad("#dddddd")
        im = ax.imshow(data, origin="lower", aspect="auto", cmap=cmap)
        ax.set_xticks(range(len(xs)), [str(x) for x in xs], rotation=45, fontsize=7)
        ax.set_yticks(range(len(ys)), [str(y) for y in ys], fontsize=7)
        for j, y in enumerate(ys):
            for i, x in enumerate(xs):
                v = cell.get((x, y))
                ax.text(i, j, "×" if v is None else str(v), ha="center", va="center",
                        fontsize=6, color="#888888" if v is None else "white")
        ax.set_xlabel(x_key)
        ax.set_ylabel(y_key)
        fig.colorbar(im, ax=ax, label="moves (× impossible)")
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig


def write_outputs(result: SweepResult, out: Path, title: str) -> list[Path]:
    import io

    from staffplan.io.tables import write_atomic

    import matplotlib

    fig = chart(result, title)
    png = io.BytesIO()
    fig.savefig(png, format="png", metadata={"Software": None})
    svg = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "staffplan"}):  # the same file every run
        fig.savefig(svg, format="svg", metadata={"Date": None})
    import matplotlib.pyplot as plt

    plt.close(fig)
    rows = "\n".join(
        "<tr>" + "".join(f"<td>{p.values[a.key]}</td>" for a in result.axes)
        + f"<td>{p.status}</td><td>{'' if p.moves is None else p.moves}</td></tr>"
        for p in result.points)
    heads = "".join(f"<th>{a.key}</th>" for a in result.axes)
    html = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{_esc(title)}</title>
<style>body{{font-family:sans-serif;margin:2em;max-width:60em}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:2px 8px;text-align:right}}</style></head>
<body><h1>{_esc(title)}</h1>
<p>Moves needed (proven minimum) at each grid point; impossible points are marked.
{len(result.points)} points in {result.seconds:.1f} s.</p>
{svg.getvalue()[svg.getvalue().index('<svg'):]}
<table><tr>{heads}<th>status</th><th>moves</th></tr>
{rows}
</table></body></html>
"""
    paths = {out / "sweep.csv": to_csv(result), out / "sweep.png": png.getvalue(),
             out / "sweep.html": html}
    for path, data in paths.items():
        write_atomic(path, data)
    return list(paths)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
