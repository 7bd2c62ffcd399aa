"""The meeting report: one self-contained HTML file (inline SVG charts, CSS and a little
JavaScript for searching the moves; nothing fetched from the network).

Rendered through Jinja2 templates (``staffplan/report/templates``) with autoescape on: every
value from a file (ids, names, reasons, the scenario's name) is escaped for where it goes,
text or attribute, in the page or in its inline SVG; the search script reads no data from
the page's source, only the text of its table cells and the address's ``#q=``.

It stays readable from 6 bureaus to a province's 200: the shares are horizontal bars, one
row per bureau, sorted by the gap to the target (those short of it or closest first; the
rest scroll in their card), the per-bureau table scrolls under a fixed header, and unit ids
never break. The building blocks take plain figures (lists of ``BureauFigures``, counts by
kind of move), so a plan of several steps can draw them once per step.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from staffplan import moves as kinds_of_move
from staffplan.i18n import get_lang, kind_name, t
from staffplan.report.files import funds, met, pct
from staffplan.results import BureauFigures, CheckReport, PlanResult

BEFORE, MET, UNMET, TARGET = "#9aa7b4", "#2da44e", "#cf222e", "#17365d"
VISIBLE_ROWS = 24  # bars shown before a chart scrolls


@lru_cache(maxsize=1)
def environment():
    """The templates, autoescaped (``.j2`` files hold HTML and SVG)."""
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
    from markupsafe import Markup

    from staffplan.report.screen import visible

    def finalize(value):
        # A value from a file shows its control characters as escapes, as on the terminal
        # (a bidirectional override cannot turn an id around); the template's own markup
        # (a macro's output) passes as it is. Autoescape then escapes what is left.
        return visible(value) if isinstance(value, str) and not isinstance(value, Markup) \
            else value

    env = Environment(loader=PackageLoader("staffplan.report", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True, finalize=finalize)
    env.filters["num"] = lambda n: "" if n is None else f"{n:,}"
    env.filters["pct"] = pct
    env.globals["t"] = t
    env.globals["kind_name"] = kind_name
    return env


def render(template: str, **context) -> str:
    return environment().get_template(template).render(**context)


# --- Shares per bureau: horizontal bars, sorted by the gap to the target --------------------

@dataclass
class Bar:
    bureau: str
    kind: str
    before: Fraction | None
    after: Fraction | None
    target: Fraction | None

    @property
    def gap(self) -> Fraction | None:
        return None if self.after is None or self.target is None else self.after - self.target

    @property
    def met(self) -> bool | None:
        return met(self.after, self.target)


def share_bars(before: list[BureauFigures], after: list[BureauFigures], which: str) -> list[Bar]:
    """One bar per bureau, sorted by the gap between the share after the plan and its
    target: bureaus short of it first, then the closest; ties in the tree's order."""
    prior = {b.bureau: b for b in before}
    bars = []
    for b in after:
        p = prior.get(b.bureau)
        if which == "station":
            bars.append(Bar(b.bureau, b.kind, p.station_share if p else None, b.station_share,
                            b.station_target))
        else:
            bars.append(Bar(b.bureau, b.kind, p.community_share if p else None,
                            b.community_share, b.community_target))
    order = {b.bureau: i for i, b in enumerate(after)}
    return sorted(bars, key=lambda x: (x.gap is None, x.gap if x.gap is not None else 0,
                                       order[x.bureau]))


LABEL = 16  # characters of a bureau id shown beside its bars (the rest in its tooltip)


def _short(bureau: str) -> str:
    from staffplan.report.screen import visible

    text = visible(bureau)
    return text if len(text) <= LABEL else text[:LABEL - 1] + "…"


def _label_width(labels) -> int:
    from rich.cells import cell_len

    longest = max((cell_len(_short(x)) for x in labels), default=3)
    return 12 + 7 * longest


def share_chart(bars: list[Bar], which: str) -> dict:
    """The geometry of a share chart (the template draws it): one row per bureau, an axis
    from 0 to a tenth above the largest share or target."""
    values = [float(v) for b in bars for v in (b.before, b.after, b.target) if v is not None]
    top = min(1.0, (int(max(values, default=0.5) * 10) + 1) / 10)
    label_w, plot_w, value_w, row_h, axis_h = _label_width(b.bureau for b in bars), 330, 118, 22, 24
    width = label_w + plot_w + value_w

    def x(v) -> float:
        return round(label_w + plot_w * min(float(v or 0), top) / top, 1)

    rows = []
    for i, b in enumerate(bars):
        y = i * row_h
        rows.append({
            "bar": b, "y": y, "mid": y + row_h / 2 + 4,
            "before_w": round(x(b.before) - label_w, 1), "after_w": round(x(b.after) - label_w, 1),
            "target_x": x(b.target) if b.target is not None else None,
            "colour": MET if b.met is not False else UNMET,
            "label": _short(b.bureau),
        })
    ticks = [{"x": x(v / 100), "text": f"{v}%"} for v in range(0, int(top * 100) + 1, 10)]
    short = sum(1 for b in bars if b.met is False)
    meeting = sum(1 for b in bars if b.met is True)
    with_target = sum(1 for b in bars if b.target is not None)
    return {"which": which, "rows": rows, "ticks": ticks, "width": width,
            "height": len(bars) * row_h, "axis_h": axis_h, "label_w": label_w,
            "plot_right": label_w + plot_w, "value_x": width - 4,
            "scroll": len(bars) > VISIBLE_ROWS, "visible_h": VISIBLE_ROWS * row_h,
            "meeting": meeting, "short": short, "with_target": with_target, "n": len(bars),
            "colours": {"before": BEFORE, "met": MET, "unmet": UNMET, "target": TARGET}}


# --- The flow of officers --------------------------------------------------------------------

# Headquarters at the left, stations above, posts at the right; recruits come in from the
# top right, so their lines cross no move's.
NODES = {"hq": (90, 185), "station": (300, 50), "post": (530, 185), "recruit": (530, 50)}


def flow_chart(moves_by_kind: dict[str, int], placed_by_kind: dict[str, int],
               returned_to: dict[str, int]) -> dict:
    """Officers flowing between headquarters, stations and posts, in the one vocabulary of
    moves: moves by kind, borrowed officers returned (by the kind of their home unit) drawn
    apart, and recruits placed, which are no moves. ``returned_to``: borrowed officers
    returned, by the kind of unit they return to."""
    flows = []
    for kind, n in moves_by_kind.items():
        if kind == kinds_of_move.BORROWED_RETURNED:
            continue
        src, dst = kinds_of_move.ends(kind)
        flows.append((src, dst, n, "move", kinds_of_move.label(kind)))
    for dst, n in returned_to.items():
        flows.append(("hq", dst, n, "returned", t("k_borrowed_returned")))
    for dst, n in placed_by_kind.items():
        flows.append(("recruit", dst, n, "placed", kinds_of_move.placement_label(dst)))
    top = max((f[2] for f in flows), default=1)
    paths, loops = [], []
    offsets = {"move": 0, "returned": 1, "placed": 0}
    for src, dst, n, style, label in flows:
        if src not in NODES or dst not in NODES:
            continue
        if src == dst:
            loops.append({"node": src, "n": n, "label": label,
                          "x": NODES[src][0], "y": NODES[src][1] + 34})
            continue
        (x1, y1), (x2, y2) = NODES[src], NODES[dst]
        bend = (-38 if x2 >= x1 else 38) * (-0.8 if offsets[style] else 1)
        if {src, dst} == {"hq", "post"}:
            bend = 36 if x2 >= x1 else 60  # below the other lines
        if src == "recruit":
            bend = 0
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2 + bend
        # Start and end at the edges of the boxes, so the arrowhead shows.
        x1, y1 = _edge(x1, y1, mx, my)
        x2, y2 = _edge(x2, y2, mx, my)
        paths.append({"d": f"M{x1},{y1} Q{mx:.0f},{my:.0f} {x2},{y2}", "n": n, "style": style,
                      "width": round(2 + 16 * n / top, 1), "label": label,
                      "tx": round((x1 + 2 * mx + x2) / 4), "ty": round((y1 + 2 * my + y2) / 4 + 4)})
    nodes = [{"x": x, "y": y, "name": t("rep_recruits") if k == "recruit" else kind_name(k)}
             for k, (x, y) in NODES.items()]
    return {"paths": paths, "loops": loops, "nodes": nodes}


def _edge(x: float, y: float, towards_x: float, towards_y: float) -> tuple[float, float]:
    """Where a line from a node's centre towards a point leaves the node's box (124 x 34),
    and a little beyond."""
    dx, dy = towards_x - x, towards_y - y
    length = (dx * dx + dy * dy) ** 0.5 or 1
    dx, dy = dx / length, dy / length
    step = min(64 / abs(dx) if dx else 1e9, 19 / abs(dy) if dy else 1e9)
    return round(x + dx * step, 1), round(y + dy * step, 1)


def returned_to(result: PlanResult) -> dict[str, int]:
    """Borrowed officers returned home, by the kind of their home unit."""
    s = result.scenario
    out: dict[str, int] = {}
    for o in s.officers:
        to = result.final.get(o.id)
        if kinds_of_move.kind_of(s, o, to) == kinds_of_move.BORROWED_RETURNED:
            k = s.organisation[to].kind.value
            out[k] = out.get(k, 0) + 1
    return {k: out[k] for k in kinds_of_move.order_units(out)}


# --- Per bureau, in a table -------------------------------------------------------------------

def bureau_rows(before: list[BureauFigures], after: list[BureauFigures]) -> list[dict]:
    prior = {b.bureau: b for b in before}
    return [{"b": b, "p": prior.get(b.bureau),
             "station_met": met(b.station_share, b.station_target),
             "community_met": met(b.community_share, b.community_target)} for b in after]


def city(bureaus: list[BureauFigures]) -> BureauFigures:
    return BureauFigures(t("h_city"), "", *(sum(getattr(b, f) for b in bureaus) for f in (
        "force", "station_strength", "community_officers", "posts", "posts_staffed")),
        None, None, sum(b.community_funds for b in bureaus))


# --- The page ---------------------------------------------------------------------------------

def plan_report(result: PlanResult, before: CheckReport) -> str:
    s, r = result.scenario, result.report
    lang = "zh-CN" if get_lang() == "zh" else "en"
    common = {"lang": lang, "title": t("rep_title", name=s.config.name),
              "provenance": s.provenance, "plan_date": s.plan_date.isoformat()}
    if r is None:
        return render("report.html.j2", plan=None, conflicts=[c.strip() for c in result.conflicts],
                      **common)
    proof = t("t_proven") if result.status.value == "optimal" else t(
        "t_gap", gap=pct(result.outcome.gap), bound=result.outcome.bound)
    many = len(result.steps) > 1
    moves = [(step, o) for step in result.steps
             for o in sorted(step.scenario.officers, key=lambda o: o.id)
             if step.final.get(o.id) != o.unit and step.final.get(o.id) is not None]
    charts = [(t("rep_station_chart"), share_chart(share_bars(before.bureaus, r.bureaus, "station"),
                                                   "station")),
              (t("rep_community_chart"), share_chart(share_bars(before.bureaus, r.bureaus,
                                                                "community"), "community"))]
    if many:
        m = result.myopic
        sub = t("rep_sub_steps", first=result.steps[0].date.isoformat(),
                last=result.steps[-1].date.isoformat(), n=len(result.steps),
                moves=f"{r.moves:,}", proof=proof, approvals=len(r.approvals))
        if m is not None:
            sub += " " + (t("rep_myopic", moves=f"{m.total:,}", more=f"{m.total - r.moves:+,}")
                          if m.failed_at is None else
                          t("rep_myopic_fails",
                            date=result.steps[m.failed_at].date.isoformat()))
    else:
        sub = t("rep_sub", date=s.plan_date.isoformat(), moves=f"{r.moves:,}", proof=proof,
                approvals=len(r.approvals))
    return render(
        "report.html.j2", plan=r, conflicts=[], sub=sub, dated=many,
        steps=step_rows(result) if many else [],
        ramps=[(t("rep_ramp_station"), ramp_chart(result, "station")),
               (t("rep_ramp_community"), ramp_chart(result, "community"))] if many else [],
        tiles=_tiles(before, r, s.config.budget.community_officer_yuan, proof),
        charts=charts,
        flow=flow_chart(r.moves_by_kind, r.placed_by_kind, returned_to(result)),
        kinds=[(kinds_of_move.label(k), n) for k, n in r.moves_by_kind.items()],
        placed=[(kinds_of_move.placement_label(k), n) for k, n in r.placed_by_kind.items()],
        bureaus=bureau_rows(before.bureaus, r.bureaus), city=city(r.bureaus),
        city_before=city(before.bureaus), scroll_bureaus=len(r.bureaus) > VISIBLE_ROWS,
        moves=[{"date": step.date.isoformat(), "id": o.id, "from": o.unit or t("rep_recruits"),
                "to": step.final.get(o.id),
                "kind": (kinds_of_move.label(kinds_of_move.kind_of(step.scenario, o,
                                                                   step.final.get(o.id)))
                         if o.unit else kinds_of_move.placement_label(
                             step.scenario.organisation[step.final[o.id]].kind.value)),
                "reason": step.reasons.get(o.id, "")} for step, o in moves],
        approvals=r.approvals, notices=len(r.notices),
        yuan=s.config.budget.community_officer_yuan, **common)


# --- A plan of several steps -----------------------------------------------------------------

def step_rows(result: PlanResult) -> list[dict]:
    """One row per step: its moves (and the year-by-year plan's), bureaus meeting each
    share target, posts staffed, officers at posts and the community funds."""
    myopic = result.myopic.moves if result.myopic is not None else []
    rows = []
    for k, step in enumerate(result.steps):
        b = step.report.bureaus
        rows.append({
            "date": step.date.isoformat(), "moves": step.report.moves,
            "myopic": myopic[k] if k < len(myopic) else None,
            "station": sum(bool(met(x.station_share, x.station_target)) for x in b),
            "community": sum(bool(met(x.community_share, x.community_target)) for x in b),
            "n": len(b), "staffed": sum(x.posts_staffed for x in b),
            "posts": sum(x.posts for x in b),
            "officers": sum(x.community_officers for x in b), "funds": funds(step.report)})
    return rows


def ramp_chart(result: PlanResult, which: str) -> dict:
    """A share by step against that step's target: per step, a dot per bureau (green when it
    meets the target, red when not) and the target as a dash per kind of bureau, so the ramp
    reads from left to right at 6 bureaus and at 200."""
    steps = result.steps
    width, height, left, top, bottom = 620, 240, 44, 12, 28
    column = (width - left) / len(steps)
    values = [v for s in steps for b in s.report.bureaus
              for v in (getattr(b, f"{which}_share"), getattr(b, f"{which}_target"))
              if v is not None]
    lo = min(values, default=Fraction(0))
    hi = max(values, default=Fraction(1))
    lo, hi = max(Fraction(0), lo - Fraction(2, 100)), min(Fraction(1), hi + Fraction(2, 100))
    span = (hi - lo) or Fraction(1)

    def y(v: Fraction) -> float:
        return round(top + (height - top - bottom) * float((hi - v) / span), 1)

    ticks = []
    step_ = Fraction(5, 100) if span > Fraction(15, 100) else Fraction(1, 100)
    v = (lo // step_ + 1) * step_
    while v < hi:
        ticks.append({"y": y(v), "text": pct(v)})
        v += step_
    cols = []
    for k, s in enumerate(steps):
        x0 = left + k * column
        cx = round(x0 + column / 2, 1)
        bureaus = s.report.bureaus
        dots, targets = [], {}
        for i, b in enumerate(bureaus):
            share, target = getattr(b, f"{which}_share"), getattr(b, f"{which}_target")
            if share is None:
                continue
            ok = met(share, target)
            jitter = (i % 9 - 4) * min(6.0, column / 24)
            dots.append({"x": round(cx + jitter, 1), "y": y(share), "bureau": b.bureau,
                         "value": pct(share), "target": pct(target),
                         "colour": UNMET if ok is False else MET})
            if target is not None:
                targets.setdefault(target, []).append(kind_name(b.kind))
        cols.append({"x": cx, "x0": round(x0, 1), "date": s.date.isoformat(), "dots": dots,
                     "targets": [{"y": y(tg), "text": pct(tg), "kinds": sorted(set(kinds))}
                                 for tg, kinds in sorted(targets.items())]})
    return {"which": which, "width": width, "height": height, "left": left,
            "half": round(column / 2 - 6, 1), "ticks": ticks, "columns": cols,
            "colours": {"met": MET, "unmet": UNMET, "target": TARGET}}


def _tiles(before: CheckReport, after: CheckReport, yuan: int, proof: str) -> list[dict]:
    """The headline figures, each with what it was before the plan."""
    def meeting(report: CheckReport, which: str) -> tuple[int, int]:
        pairs = [(getattr(b, f"{which}_share"), getattr(b, f"{which}_target"))
                 for b in report.bureaus]
        pairs = [(v, target) for v, target in pairs if target is not None]
        return sum(1 for v, target in pairs if met(v, target)), len(pairs)

    tiles = [{"label": t("rep_tile_moves"), "value": f"{after.moves:,}", "note": proof}]
    for which, key in (("station", "rep_tile_station"), ("community", "rep_tile_community")):
        now, n = meeting(after, which)
        was, _ = meeting(before, which)
        if n:
            tiles.append({"label": t(key), "value": f"{now} / {n}",
                          "note": t("rep_was", value=f"{was} / {n}"), "ok": now == n})
    staffed = sum(b.posts_staffed for b in after.bureaus)
    posts = sum(b.posts for b in after.bureaus)
    tiles.append({"label": t("h_posts_staffed"), "value": f"{staffed:,} / {posts:,}",
                  "note": t("rep_was", value=f"{sum(b.posts_staffed for b in before.bureaus):,}"),
                  "ok": staffed == posts})
    tiles.append({"label": t("h_funds"), "value": f"{funds(after):,}",
                  "note": t("rep_was", value=f"{funds(before):,}") + t("t_list_sep")
                  + t("rep_per_officer", per=f"{yuan:,}")})
    tiles.append({"label": t("rep_tile_approvals"), "value": f"{len(after.approvals):,}",
                  "note": t("rep_tile_approvals_note",
                            missing=sum(not a.approved for a in after.approvals))})
    return tiles
