"""sweep: the price of each target. A higher target never needs fewer moves, impossibility
is final along the axis, and re-solving one model gives the same answers as rebuilding."""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from staffplan.cli import app
from staffplan.errors import InputError
from staffplan.report.output import SWEEP_FILES
from staffplan.studies import sweep as sw
from tests.conftest import officer, small_county, write_scenario

runner = CliRunner()


@pytest.fixture
def scenario(tmp_path):
    # 12 headquarters officers (two pinned), 1 at the station, two posts.
    officers = [officer(f"H{i:02d}", "H1", pinned="yes" if i < 2 else "") for i in range(12)]
    officers += [officer("S", "S1"), officer("P", "P1")]
    return write_scenario(tmp_path, small_county(), officers,
                          {"station_share": {"county": 0.2, "district": 0.2},
                           "community_share": 0.3, "staff_every_post": True})


def test_parse_vary():
    axis = sw.parse_vary("rules.community_share=0.40:0.45:0.01")
    assert (axis.key == "rules.community_share"
            and axis.values == [0.4, 0.41, 0.42, 0.43, 0.44, 0.45])
    assert sw.parse_vary("rules.min_community_tenure_years=2:4:1").values == [2, 3, 4]
    assert sw.parse_vary("rules.return_borrowed=true,false").values == [True, False]
    for bad in ["nokey", "k=1:0:1", "k=a:b:c"]:
        with pytest.raises(InputError):
            sw.parse_vary(bad)


def test_higher_target_never_needs_fewer_moves(scenario):
    axis = sw.parse_vary("rules.station_share.county=0.0:1.0:0.05")
    result = sw.sweep(str(scenario), [axis], workers=1)
    assert result.fast
    moves = [p.moves for p in result.points]
    feasible = [m for m in moves if m is not None]
    assert feasible == sorted(feasible) and len(set(feasible)) > 3
    first_bad = moves.index(None)
    assert all(m is None for m in moves[first_bad:])  # 2 pinned of 14: above 12/14 impossible
    assert result.points[first_bad].values["rules.station_share.county"] > 12 / 14 - 0.05


def test_fast_path_matches_rebuilding(scenario):
    axes = [sw.parse_vary("rules.station_share.county=0.2:0.9:0.1"),
            sw.parse_vary("rules.community_share=0.3:0.7:0.2")]
    fast = sw.sweep(str(scenario), axes, workers=1)
    slow = sw.sweep(str(scenario), axes, workers=1, time_limit=60)  # a time limit rebuilds
    assert fast.fast and not slow.fast
    assert [(p.status, p.moves) for p in fast.points] == [(p.status, p.moves) for p in slow.points]


def test_sweep_other_keys_rebuild(scenario):
    result = sw.sweep(str(scenario), [sw.parse_vary("rules.staff_every_post=false,true")],
                      workers=1)
    assert not result.fast and [p.moves for p in result.points][0] <= result.points[1].moves


def test_sweep_command_writes_csv_png_html(scenario, tmp_path):
    out = tmp_path / "sweep"
    r = runner.invoke(app, ["sweep", str(scenario),
                            "--vary", "rules.station_share.county=0.1:0.9:0.2",
                            "--out", str(out), "-f", "json", "-j", "2"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert len(data["points"]) == 5
    rows = list(csv.DictReader((out / "sweep.csv").open(encoding="utf-8-sig")))
    assert ([row["rules.station_share.county"] for row in rows]
            == ["0.1", "0.3", "0.5", "0.7", "0.9"])
    assert (out / "sweep.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    html = (out / "sweep.html").read_text(encoding="utf-8")
    assert "<svg" in html and 'src="http' not in html and 'href="http' not in html


@pytest.mark.parametrize("quiet", [False, True])
def test_sweep_quiet_hides_the_progress_bar(scenario, tmp_path, monkeypatch, quiet):
    import rich.progress

    made = []

    class Seen(rich.progress.Progress):
        def __init__(self, *args, **kw):
            made.append(kw.get("disable", False))
            super().__init__(*args, **kw)

    monkeypatch.setattr(rich.progress, "Progress", Seen)
    r = runner.invoke(app, ["sweep", str(scenario), "--vary", "rules.community_share=0.4,0.5",
                            "--out", str(tmp_path / "s"), "-j", "1"] + (["-q"] if quiet else []))
    assert r.exit_code == 0, r.output
    assert made == [quiet]


def test_sweep_files_are_one_set_and_other_files_stay(scenario, tmp_path, monkeypatch):
    """A sweep's three files are swapped in together and replace a plan's files in the same
    folder (a folder holds one run's set); files of the user's stay; a run that fails while
    writing leaves the last set whole."""
    out = tmp_path / "out"
    args = ["sweep", str(scenario), "--vary", "rules.station_share.county=0.1:0.5:0.2",
            "--out", str(out), "-j", "1"]
    assert runner.invoke(app, ["plan", str(scenario), "--out", str(out)]).exit_code == 0
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    assert runner.invoke(app, args).exit_code == 0
    first = {n: (out / n).read_bytes() for n in SWEEP_FILES}
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert not (out / "assignments.csv").exists() and not (out / "summary.json").exists()

    from staffplan.report import output

    def full_disk(path, *a, **k):  # the disk fills up at the last of the three files
        if str(path).endswith("sweep.html"):
            raise OSError(28, "No space left on device", str(path))
        return open(path, *a, **k)
    monkeypatch.setattr(output, "open", full_disk, raising=False)
    r = runner.invoke(app, ["sweep", str(scenario), "--vary",
                            "rules.station_share.county=0.2:0.4:0.2", "--out", str(out), "-j", "1"])
    assert r.exit_code == 2, r.output
    assert {n: (out / n).read_bytes() for n in SWEEP_FILES} == first
    assert (out / "notes.txt").exists() and not list(tmp_path.glob(".out.staffplan-new-*"))


def test_bad_grid_point_is_exit_2(scenario, tmp_path):
    r = runner.invoke(app, ["sweep", str(scenario), "--vary", "rules.community_share=0.8:1.2:0.2",
                            "--out", str(tmp_path / "o")])
    assert r.exit_code == 2 and "less than or equal to 1" in r.stderr
    assert not (tmp_path / "o").exists()


# --- What people read: the terminal, sweep.html and its chart ---------------------------------

def _synthetic(keys=("rules.station_share.county", "rules.station_share.district"), xs=None,
               ys=None) -> sw.SweepResult:
    """A 2-axis grid with moves rising to the corner, impossible beyond a diagonal."""
    xs = xs or [round(0.40 + 0.02 * i, 2) for i in range(8)]
    ys = ys or [round(0.50 + 0.02 * j, 2) for j in range(6)]
    axes = [sw.Axis(keys[0], xs), sw.Axis(keys[1], ys)]
    points = []
    for j, y in enumerate(ys):
        for i, x in enumerate(xs):
            bad = i + j > 9
            points.append(sw.Point({keys[0]: x, keys[1]: y}, "infeasible" if bad else "optimal",
                                   None if bad else 100 + 20 * i + 10 * j,
                                   note="short by 3" if bad and i + j == 10 else ""))
    return sw.SweepResult(axes, points, 1.0, True, 2)


def test_impossible_points_are_marked_with_their_reason(scenario, tmp_path):
    axis = sw.parse_vary("rules.station_share.county=0.5:1.0:0.1")
    result = sw.sweep(str(scenario), [axis], workers=1)
    statuses = [p.status for p in result.points]
    first = statuses.index("infeasible")
    # Where the target becomes impossible: the rule and by how many officers, in the point.
    assert "station strength / force: 1 bureau(s) short by" in result.points[first].note
    notes = sw.why(result)
    assert all(n.startswith("as at rules.station_share.county=") for n in notes[first + 1:])
    assert all(n == "" for n in notes[:first])
    # The chart draws the plans' moves only; the impossible values sit on the axis, marked.
    fig = sw.chart(result, "t")
    ax = fig.axes[0]
    assert list(ax.lines[0].get_ydata()) == [p.moves for p in result.points if p.moves is not None]
    [marks] = ax.collections[:1]
    assert [y for _, y in marks.get_offsets()] == [0] * (len(statuses) - first)
    sw.write_outputs(result, tmp_path, "My city")
    html = (tmp_path / "sweep.html").read_text(encoding="utf-8")
    assert "<title>My city: moves needed by rules.station_share.county</title>" in html
    assert "station strength / force: 1 bureau(s) short by" in html
    assert "sweep.csv" not in html and "scenario.yaml" not in html  # named by the city
    rows = list(csv.DictReader((tmp_path / "sweep.csv").open(encoding="utf-8")))
    assert rows[first]["why"] == result.points[first].note


def test_two_parameters_are_a_grid_in_both_languages(tmp_path):
    from staffplan.i18n import set_lang
    from tests.test_report_html import Dom

    result = _synthetic()
    for lang in ("en", "zh"):
        set_lang(lang)
        try:
            sw.write_outputs(result, tmp_path / lang, "城市")
            text = (tmp_path / lang / "sweep.html").read_text(encoding="utf-8")
        finally:
            set_lang("en")
        dom = Dom(text)
        assert dom.all("html")[0]["lang"] == ("zh-CN" if lang == "zh" else "en")
        grid = [a for t, a in dom.elements if t == "td" and "data-status" in a]
        assert len(grid) == 8 * 6  # one cell per point, not a row per point
        impossible = [a for a in grid if a.get("class") == "impossible"]
        assert len(impossible) == sum(p.moves is None for p in result.points)
        assert all(a["title"] for a in impossible)
        assert ("short by 3" if lang == "en" else "short by 3") in text
    assert "无可行方案" in (tmp_path / "zh" / "sweep.html").read_text(encoding="utf-8")


def _contrast(a: str, b: str) -> float:
    from matplotlib.colors import to_rgb

    def lum(c):
        r, g, b_ = (x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in to_rgb(c))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_every_heat_map_cell_is_readable(tmp_path):
    """No white on yellow: each cell's figure has a contrast of 4.5 or more (WCAG AA) with
    its cell, in the chart and in the grid of sweep.html."""
    import re

    from matplotlib.colors import to_hex

    result = _synthetic()
    fig = sw.chart(result, "t")
    ax = fig.axes[0]
    image = ax.images[0]
    for text in ax.texts:
        i, j = (round(v) for v in text.get_position())
        value = image.get_array()[j][i]
        cell = sw.IMPOSSIBLE_FILL if value is __import__("numpy").ma.masked else \
            to_hex(image.cmap(image.norm(value)))
        assert _contrast(to_hex(text.get_color()), cell) >= 4.5, (text.get_text(), cell)
    sw.write_outputs(result, tmp_path, "c")
    html = (tmp_path / "sweep.html").read_text(encoding="utf-8")
    cells = re.findall(r'style="background:(#[0-9a-f]{6});color:(#[0-9a-f]{6})"', html)
    assert len(cells) == 48
    assert all(_contrast(bg, ink) >= 4.5 for bg, ink in cells)


def test_hostile_keys_and_values_stay_text(tmp_path):
    """$…$ is never mathtext; markup, quotes and control characters reach sweep.html as
    text (and the terminal table as plain text)."""
    from staffplan.report.screen import visible
    from staffplan.report.tables import render_text
    from tests import hostile_strings
    from tests.test_report_html import Dom

    hostile = [s for s in hostile_strings.ALL if len(s) < 60]
    keys = ("changes.recruits.$\\frac{1}{0}$<script>", "changes.recruits.[/]\x1b[31m")
    result = _synthetic(keys, xs=hostile[:8], ys=hostile[8:14])
    sw.write_outputs(result, tmp_path, "$x$ <b>name</b> [bold]\x1b]8;;http://e\x1b\\")
    page = (tmp_path / "sweep.html").read_text(encoding="utf-8")
    dom = Dom(page)
    tags = {t for t, _ in dom.elements}
    assert "script" not in tags and "img" not in tags and "a" not in tags
    assert "foreignobject" not in tags and "iframe" not in tags
    for _, attrs in dom.elements:
        assert not any(k.startswith("on") or k in ("href", "src") for k in attrs), attrs
    text = "".join(dom.texts)
    assert visible("$x$ <b>name</b> [bold]\x1b]8;;http://e\x1b\\") in text
    for value in hostile[:14]:
        assert visible(value) in text, value
    assert "\x1b" not in page
    for width in (80, 200):
        screen = render_text(lambda c: c.print(sw.table(result)), width)
        assert "\x1b" not in screen and "[/]" in screen


def test_vary_values_read_as_scenario_values():
    """YAML 1.2 numbers, as the scenario and --set read them: 010 is ten, not eight."""
    assert sw.parse_vary("rules.min_community_tenure_years=010,0o17,3").values == [10, 15, 3]
