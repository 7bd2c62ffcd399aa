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

from staffplan.beside import end_with_parent
from staffplan.bounds import clip
from staffplan.errors import InputError, Problem, Problems
from staffplan.i18n import set_lang, t


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


# The largest number a --vary range may reach (the largest any key takes: yuan).
MAX_VARY = 10**15


def parse_vary(spec: str) -> Axis:
    """``key=start:stop:step`` (stop included) or ``key=v1,v2,...`` (YAML-typed values).
    Anything else is bad input (exit 2), never a crash; a message says what a --vary value
    looks like."""
    problems = Problems()

    def fail(column: str, message: str):
        problems.add("--vary", column=column, message=message)
        problems.raise_if_any()

    if "=" not in spec:
        fail(spec, t("vary_syntax"))
    key, text = (x.strip() for x in spec.split("=", 1))
    if not key or not all(part.strip() for part in key.split(".")):
        fail(spec, t("vary_syntax"))
    if ":" in text and text.count(":") != 2:
        fail(key, t("vary_range", value=clip(text)))
    if text.count(":") == 2:
        try:
            start, stop, step = (Decimal(x.strip()) for x in text.split(":"))
            if not all(x.is_finite() for x in (start, stop, step)):
                raise DecimalException
        except DecimalException:
            fail(key, t("vary_range", value=clip(text)))
        if any(x.copy_abs() > MAX_VARY for x in (start, stop, step)):
            fail(key, t("vary_too_big", value=clip(text), limit=f"{MAX_VARY:,}"))
        if step <= 0 or stop < start:
            fail(key, t("vary_order", value=clip(text)))
        try:
            n = int((stop - start) / step)
        except (DecimalException, OverflowError, ValueError):
            n = MAX_GRID
        if n + 1 > MAX_GRID:
            fail(key, t("vary_too_many", n=f"{n + 1:,}", limit=f"{MAX_GRID:,}"))
        values = [start + i * step for i in range(n + 1)]
        integral = all(v == v.to_integral_value() for v in (start, stop, step))
        return Axis(key, [int(v) if integral else float(v) for v in values])
    parts = [v for v in text.split(",") if v.strip()]
    if len(parts) > MAX_GRID:
        fail(key, t("vary_too_many", n=f"{len(parts):,}", limit=f"{MAX_GRID:,}"))
    values = []
    from staffplan.config import YamlProblem, load_yaml

    for v in parts:
        try:  # read as every scenario value is (YAML 1.2 numbers: 010 is ten)
            values.append(load_yaml(v))
        except (yaml.YAMLError, YamlProblem):
            fail(key, t("vary_bad_value", value=clip(v.strip())))
    if not values:
        fail(key, t("vary_no_values"))
    twice = next((k for k, v in enumerate(values) if v in values[:k]), None)
    if twice is not None:  # one point twice (true,true; 2,2.0): a grid of distinct values
        fail(key, t("vary_value_twice", value=clip(parts[twice].strip())))
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

    found: dict[Problem, list[dict]] = {}
    for point in points:
        sub = Problems()
        load_config_with_provenance(Path(path), sub, tuple(overrides) + tuple(_sets(point)))
        for p in sub.items:
            if p.file == "--set" and any(p.column == k or p.column.startswith(k + ".")
                                         for k in point):
                p = Problem("--vary", p.row, p.column, p.message)  # the key --vary sets
            found.setdefault(p, []).append(point)
    problems = Problems()
    for p, at in found.items():  # a problem of every point (an unknown key) is said once
        where = (t("vary_every_point") if len(at) == len(points) and len(points) > 1
                 else t("vary_point", point=_shown(at[0])) if len(at) == 1
                 else t("vary_points", n=len(at), point=_shown(at[0])))
        problems.items.append(Problem(p.file, p.row, p.column, f"{p.message} ({where})"))
    problems.raise_if_any()


def _shown(point: dict) -> str:
    return ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}"
                     for k, v in point.items())


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
                                  f"{point}: "
                                  + t("t_list_sep").join(v.message for v in report.violations[:5]))
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


def why_impossible(scenario, place, keys: list[str]) -> str:
    """Why no plan exists at a grid point, in one line, cheaply (one linear relaxation, not
    the full explanation ``plan`` gives): the rules the point varies (else every rule with
    counts) get a slack each; the slack left says which bureaus or units fall short, and by
    how many officers at least."""
    import math

    from staffplan import solve
    from staffplan.i18n import rule_label, t
    from staffplan.model import build_model, placement
    from staffplan.rules import RULE_BY_ID, relaxable

    on = relaxable(scenario.config)
    varied = [r for r in on if any(k == RULE_BY_ID[r].path or
                                   k.startswith(f"{RULE_BY_ID[r].path}.") for k in keys)]
    place = place if place is not None else placement(scenario)
    if place.conflicts:
        return place.conflicts[0].message
    model = build_model(scenario, place, rules=on, elastic=varied or on)
    model.prob.setObjective(sum(model.slack.values()))
    if not solve.run(model.prob, "highs", None, integral=False).status.has_plan:
        return t("sw_others", rules=", ".join(rule_label(RULE_BY_ID[r]) for r in on
                                               if r not in varied))
    short: dict[str, dict[str, int]] = {}
    for (rule, subject), slack in model.slack.items():
        n = math.ceil(solve.value(slack) - 1e-6)
        if n > 0:
            short.setdefault(rule, {})[subject] = n
    order = scenario.organisation.order
    parts = []
    for rule in on:
        if rule not in short:
            continue
        subjects = sorted(short[rule], key=lambda u: order.get(u, 0))
        listed = ", ".join(f"{u} {short[rule][u]}" for u in subjects[:4])
        parts.append(t("sw_short", rule=rule_label(RULE_BY_ID[rule]), n=len(subjects),
                       what=t(f"sw_about_{RULE_BY_ID[rule].about or 'unit'}"),
                       short=sum(short[rule].values()),
                       subjects=listed + (" …" if len(subjects) > 4 else "")))
    return t("t_list_sep").join(parts) or t("sw_no_plan")


def _explain(path: str, overrides: tuple[str, ...], point: dict, lang: str) -> str:
    """Why one impossible grid point is impossible (a worker's job)."""
    from staffplan.io.roster import load_scenario

    set_lang(lang)
    return why_impossible(load_scenario(path, tuple(overrides) + tuple(_sets(point))), None,
                          list(point))


def frontier(axes: list[Axis], points: list[Point]) -> list[int]:
    """The impossible points next to a possible one (one step along an axis): where a target
    becomes impossible, the points worth explaining. Every point, when none is possible."""
    index = {tuple(p.values[a.key] for a in axes): i for i, p in enumerate(points)}
    position = [{v: j for j, v in enumerate(a.values)} for a in axes]
    out = []
    for i, p in enumerate(points):
        if p.status != "infeasible":
            continue
        here = [position[k][p.values[a.key]] for k, a in enumerate(axes)]
        for k, a in enumerate(axes):
            for step in (-1, 1):
                j = here[k] + step
                if 0 <= j < len(a.values):
                    near = list(here)
                    near[k] = j
                    q = points[index[tuple(axes[m].values[near[m]] for m in range(len(axes)))]]
                    if q.moves is not None:
                        out.append(i)
                        break
            else:
                continue
            break
    if not out and all(p.status == "infeasible" for p in points):
        out = [0]
    return out


def _run_chunk(path: str, overrides: tuple[str, ...], solver: str, points: list[dict],
               fast: bool, time_limit: float | None, lang: str = "en") -> list[Point]:
    from staffplan.i18n import set_lang

    set_lang(lang)  # the reasons, in the caller's language (a worker process)
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


def _overlap(a: str, b: str) -> bool:
    """Do two keys set the same value (``rules.station_share`` and its ``.county``)?"""
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


def sweep(path: str, axes: list[Axis], overrides: tuple[str, ...] = (), solver: str = "highs",
          workers: int = 2, time_limit: float | None = None, on_progress=None) -> SweepResult:
    if not 1 <= len(axes) <= 2:
        raise InputError([Problem("--vary", message=t("vary_one_or_two"))])
    if len(axes) == 2 and _overlap(axes[0].key, axes[1].key):  # one key, or one inside another
        raise InputError([Problem("--vary", column=axes[1].key, message=t("vary_same_key"))])
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
    from staffplan.i18n import get_lang

    lang = get_lang()
    results: dict[int, list[Point]] = {}
    if workers <= 1:
        for i, chunk in enumerate(chunks):
            results[i] = _run_chunk(path, tuple(overrides), solver, chunk, fast, time_limit,
                                    lang)
            set_lang(lang)
            if on_progress:
                on_progress(len(chunk))
    else:
        with ProcessPoolExecutor(max_workers=min(workers, len(chunks)),
                                 initializer=end_with_parent) as pool:
            futures = {pool.submit(_run_chunk, path, tuple(overrides), solver, chunk, fast,
                                   time_limit, lang): i for i, chunk in enumerate(chunks)}
            for fut in as_completed(futures):
                results[futures[fut]] = fut.result()
                if on_progress:
                    on_progress(len(chunks[futures[fut]]))
    ordered = [p for i in range(len(chunks)) for p in results[i]]
    # Why: only where a target becomes impossible (explaining every point would cost more
    # than the sweep; beyond that edge the same rules fall further short).
    edge = [i for i in frontier(axes, ordered) if not ordered[i].note]
    jobs = [(path, tuple(overrides), ordered[i].values, lang) for i in edge]
    if workers > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(max_workers=workers, initializer=end_with_parent) as pool:
            notes = list(pool.map(_explain, *zip(*jobs)))
    else:
        notes = [_explain(*job) for job in jobs]
    set_lang(lang)
    for i, note in zip(edge, notes):
        ordered[i].note = note
    return SweepResult(axes, ordered, time.perf_counter() - start, fast, workers)


# --- Output --------------------------------------------------------------------------------
#
# One axis: a row per value. Two axes: a grid, the first axis across, the second down (its
# largest value on top, as in the chart). An impossible point is marked as such, with why.

def _value(v) -> str:
    """A grid value as the user wrote it (0.41, not 0.41000000000000003), its control
    characters made visible."""
    from staffplan.report.screen import visible

    return visible(repr(v) if isinstance(v, float) else str(v))


def _status(p: Point) -> str:
    from staffplan.i18n import t

    return t(f"c_{p.status}") if p.status else ""


def title(result: SweepResult, name: str) -> str:
    from staffplan.i18n import t

    return t("sw_title", name=name, keys=t("sw_and").join(a.key for a in result.axes))


def _where(p: Point) -> str:
    return ", ".join(f"{k}={_value(v)}" for k, v in p.values.items())


def why(result: SweepResult) -> list[str]:
    """For each point: why it is impossible ("" when it has a plan). A point next to a
    possible one has its own reason; one further on points to the nearest that has."""
    from staffplan.i18n import t

    axes = result.axes
    position = [{v: j for j, v in enumerate(a.values)} for a in axes]

    def at(p: Point) -> list[int]:
        return [position[k][p.values[a.key]] for k, a in enumerate(axes)]

    explained = [p for p in result.points if p.moves is None and p.note]
    out = []
    for p in result.points:
        if p.moves is not None or p.note or not explained:
            out.append(p.note)
            continue
        here = at(p)
        near = min(explained, key=lambda q: (sum(abs(a - b) for a, b in zip(at(q), here)),
                                             at(q)))
        out.append(t("sw_as_at", where=_where(near)))
    return out


def reasons(result: SweepResult) -> list[tuple[str, str]]:
    """(where, why) for the impossible points explained (those where a target becomes
    impossible), in grid order."""
    return [(_where(p), p.note) for p in result.points if p.moves is None and p.note]


def _short_key(key: str) -> str:
    """The last part of a dotted key (county for rules.station_share.county)."""
    return key.rsplit(".", 1)[-1]


def table(result: SweepResult):
    """The grid on the terminal: one axis as a row per value, two as a grid of moves
    (× where no plan exists), then why each impossible point is impossible."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from staffplan.i18n import t
    from staffplan.report.screen import message, text

    head = Text(t("sw_table_title", n=len(result.points), seconds=f"{result.seconds:.1f}",
                  how=t("sw_fast") if result.fast else t("sw_rebuilt"), workers=result.workers),
                style="bold")
    kw = dict(title=head, title_justify="left", box=box.SIMPLE_HEAD, show_edge=False,
              padding=(0, 1, 0, 0))
    if len(result.axes) == 1:
        out = Table(**kw)
        out.add_column(text(result.axes[0].key), justify="right", no_wrap=True)
        out.add_column(Text(t("h_status")), no_wrap=True)
        out.add_column(Text(t("c_moves")), justify="right", no_wrap=True)
        out.add_column(Text(t("sw_why")), ratio=1, overflow="fold")
        key = result.axes[0].key
        for p, note in zip(result.points, why(result)):
            out.add_row(text(_value(p.values[key])), Text(_status(p), style="" if p.moves is not
                        None else "bold red"), Text("" if p.moves is None else f"{p.moves:,}"),
                        text(note, "dim"))
        return out
    x, y = result.axes
    cell = {(p.values[x.key], p.values[y.key]): p for p in result.points}
    out = Table(**kw, caption=message("sw_grid_caption", style="dim", x=x.key, y=y.key),
                caption_justify="left")
    out.add_column(text(f"{_short_key(y.key)} ↓ {_short_key(x.key)} →"), justify="right",
                   no_wrap=True)
    for a in x.values:
        out.add_column(text(_value(a)), justify="right", no_wrap=True)
    for b in reversed(y.values):
        out.add_row(text(_value(b), "bold"), *[
            Text("×", style="bold red") if cell[(a, b)].moves is None
            else Text(f"{cell[(a, b)].moves:,}") for a in x.values])
    explained = reasons(result)
    if not explained:
        return out
    notes = Table(title=Text(t("sw_why_title"), style="bold"), title_justify="left",
                  box=box.SIMPLE_HEAD, show_edge=False, padding=(0, 1, 0, 0))
    notes.add_column(Text(t("sw_where")), ratio=1, overflow="fold")
    notes.add_column(Text(t("sw_why")), ratio=2, overflow="fold")
    for where, note in explained:
        notes.add_row(text(where), text(note))
    return Group(out, notes)


def to_dict(result: SweepResult, provenance: dict) -> dict:
    return {"axes": [a.key for a in result.axes], "seconds": round(result.seconds, 3),
            "provenance": provenance,
            "points": [{**p.values, "status": p.status, "moves": p.moves, "gap": p.gap,
                        "why": p.note or None} for p in result.points]}


def to_csv(result: SweepResult) -> str:
    """For Excel (``staffplan.io.excel_csv``): BOM, and no cell read as a formula."""
    from staffplan.io.excel_csv import write_rows

    keys = [a.key for a in result.axes]
    return write_rows([*keys, "status", "moves", "gap", "seconds", "why"], (
        [*[p.values[k] for k in keys], p.status, "" if p.moves is None else p.moves,
         "" if p.gap is None else round(p.gap, 6), round(p.seconds, 3), p.note]
        for p in result.points))


# Colours: the heat map's, and for each cell a text colour that reads on it.
IMPOSSIBLE_FILL, IMPOSSIBLE_TEXT = "#e4e7eb", "#b42318"


def _cmap():
    import matplotlib

    return matplotlib.colormaps["viridis"]


def _text_on(rgb) -> str:
    """Black on a light colour, white on a dark one (relative luminance, WCAG)."""
    def lin(c):
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(c) for c in rgb[:3])
    return "#000000" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.179 else "#ffffff"


def _colour(moves: int | None, low: int, high: int) -> tuple[str, str]:
    """(background, text) of a grid cell."""
    from matplotlib.colors import to_hex

    if moves is None:
        return IMPOSSIBLE_FILL, IMPOSSIBLE_TEXT
    rgb = _cmap()((moves - low) / (high - low) if high > low else 0.5)
    return to_hex(rgb), _text_on(rgb)


def chart(result: SweepResult, title_: str):
    """A matplotlib figure: for one key, the moves needed against it, the impossible values
    marked × on the axis in a shaded band (never drawn at some height); for two keys, a
    grid of moves, impossible cells crossed out. Text is never read as mathtext."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from staffplan.i18n import t
    from staffplan.report.screen import visible

    with _plain_text():
        fig, ax = plt.subplots(figsize=(8, 4.8), dpi=110)
        x_key = result.axes[0].key
        if len(result.axes) == 1:
            xs = result.axes[0].values
            numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in xs)
            pos = {v: (v if numeric else i) for i, v in enumerate(xs)}
            ok = [(pos[p.values[x_key]], p.moves) for p in result.points if p.moves is not None]
            bad = [pos[p.values[x_key]] for p in result.points if p.moves is None]
            ax.plot([a for a, _ in ok], [b for _, b in ok], marker="o", markersize=3,
                    label=t("sw_moves_label"))
            if bad:
                ax.scatter(bad, [0] * len(bad), marker="x", color=IMPOSSIBLE_TEXT, zorder=3,
                           clip_on=False, label=t("sw_impossible_label"))
                step = (max(pos.values()) - min(pos.values())) / max(len(xs) - 1, 1) or 1
                for v in bad:
                    ax.axvspan(v - step / 2, v + step / 2, color=IMPOSSIBLE_TEXT, alpha=0.07,
                               lw=0)
            if not numeric:
                ax.set_xticks(list(pos.values()), [_value(v) for v in xs])
            ax.set_ylim(bottom=0)
            ax.set_xlabel(visible(x_key))
            ax.set_ylabel(t("c_moves"))
            ax.grid(alpha=0.3)
            ax.legend(fontsize=8)
        else:
            from matplotlib.colors import ListedColormap

            y_key = result.axes[1].key
            xs, ys = result.axes[0].values, result.axes[1].values
            cell = {(p.values[x_key], p.values[y_key]): p.moves for p in result.points}
            found = [m for m in cell.values() if m is not None]
            low, high = (min(found), max(found)) if found else (0, 1)
            data = [[cell.get((x, y)) if cell.get((x, y)) is not None else float("nan")
                     for x in xs] for y in ys]
            cmap = ListedColormap(_cmap()(range(256))).with_extremes(bad=IMPOSSIBLE_FILL)
            im = ax.imshow(data, origin="lower", aspect="auto", cmap=cmap,
                           vmin=low if high > low else low - 1,
                           vmax=high if high > low else high + 1)  # as _colour: the middle
            ax.set_xticks(range(len(xs)), [_value(x) for x in xs], rotation=45, fontsize=7)
            ax.set_yticks(range(len(ys)), [_value(y) for y in ys], fontsize=7)
            for j, y in enumerate(ys):
                for i, x in enumerate(xs):
                    v = cell.get((x, y))
                    ax.text(i, j, "×" if v is None else str(v), ha="center", va="center",
                            fontsize=6, color=_colour(v, low, high)[1])
            ax.set_xlabel(visible(x_key))
            ax.set_ylabel(visible(y_key))
            fig.colorbar(im, ax=ax, label=t("sw_colour_label"))
        ax.set_title(visible(title_), fontsize=10)
        fig.tight_layout()
    return fig


def _plain_text():
    """Matplotlib settings under which no text is mathtext ($...$ stays as typed) and
    Chinese has a font (Noto Sans CJK, where installed; DejaVu Sans for the rest)."""
    import matplotlib

    return matplotlib.rc_context({"text.parse_math": False, "text.usetex": False,
                                  "font.family": ["DejaVu Sans", "Noto Sans CJK SC",
                                                  "Noto Sans CJK JP", "sans-serif"],
                                  "svg.hashsalt": "staffplan", "svg.fonttype": "path"})


def page(result: SweepResult, name: str, svg: str) -> str:
    """sweep.html: the meeting report's page, with the chart, the grid and why the
    impossible points are impossible. Rendered through the autoescaped templates."""
    from staffplan.i18n import get_lang
    from staffplan.report.html import render

    found = [p.moves for p in result.points if p.moves is not None]
    low, high = (min(found), max(found)) if found else (0, 1)
    notes = why(result)
    grid = None
    if len(result.axes) == 2:
        x, y = result.axes
        cell = {(p.values[x.key], p.values[y.key]): (p, note)
                for p, note in zip(result.points, notes)}
        grid = {"x": x.key, "y": y.key, "corner": f"{_short_key(y.key)} ↓ {_short_key(x.key)} →",
                "xs": [_value(a) for a in x.values],
                "rows": [(_value(b), [(*cell[(a, b)], *_colour(cell[(a, b)][0].moves, low, high))
                                      for a in x.values]) for b in reversed(y.values)]}
    rows = None
    if len(result.axes) == 1:
        key = result.axes[0].key
        rows = [(_value(p.values[key]), p, _status(p), note)
                for p, note in zip(result.points, notes)]
    from markupsafe import Markup

    return render("sweep.html.j2", lang="zh-CN" if get_lang() == "zh" else "en",
                  title=title(result, name), result=result, key=result.axes[0].key,
                  rows=rows, grid=grid, reasons=reasons(result),
                  feasible=len(found), impossible=len(result.points) - len(found),
                  svg=Markup(svg))  # matplotlib's own SVG, its text escaped by matplotlib


def write_outputs(result: SweepResult, out: Path, name: str) -> list[Path]:
    """sweep.csv, sweep.png and sweep.html in ``out``; ``name``: the scenario's name."""
    import io

    import matplotlib.pyplot as plt

    from staffplan.i18n import t
    from staffplan.report.output import write_set

    fig = chart(result, t("sw_chart_title", keys=t("sw_and").join(
        _short_key(a.key) for a in result.axes)))
    png, svg = io.BytesIO(), io.StringIO()
    with _plain_text():
        fig.savefig(png, format="png", metadata={"Software": None})
        fig.savefig(svg, format="svg", metadata={"Date": None})
    plt.close(fig)
    import re

    # matplotlib escapes its comments (the text it draws as paths); they add nothing here.
    text = re.sub(r"<!--.*?-->\n?", "", svg.getvalue(), flags=re.S)
    files = {"sweep.csv": to_csv(result), "sweep.png": png.getvalue(),
             "sweep.html": page(result, name, text[text.index("<svg"):])}
    write_set(out, files)  # one set: never a new csv beside an old chart, nor a plan
    return [out / name for name in files]
