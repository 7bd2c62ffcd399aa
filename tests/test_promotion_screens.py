"""What people read of a promotion round (``staffplan.promotions.report``, ``formats``,
``html``): each table at 80 and 120 columns in both languages with every bureau id, figure
and header whole and no line past the width; reasons wrapped, never cut; progress lines and
the section a file sets, in the user's language and readable; the report's title."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from staffplan.cli import app
from staffplan.i18n import set_lang, t
from staffplan.promotions.check import check_promotions
from staffplan.promotions.formats import render_table, table_text
from staffplan.promotions.report import from_text, render_round, to_text
from staffplan.promotions.results import Entry
from staffplan.report.tables import render_text
from tests.promotion_helpers import load
from tests.test_promotions_io import base

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "lianyungang" / "promotions.yaml"
runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module", params=["en", "zh"])
def round_in(request):
    """The example's round planned in a language (its reasons are in that language)."""
    from staffplan.promotions.plan import make_promotions

    set_lang(request.param)
    try:
        r = load(EXAMPLE)
        yield request.param, r, make_promotions(r)
    finally:
        set_lang("en")


def _render(lang: str, render, width: int) -> str:
    set_lang(lang)
    try:
        return render_text(render, width)
    finally:
        set_lang("en")


def _fits(text: str, width: int) -> None:
    for line in text.splitlines():
        assert cell_len(line) <= width, line
    assert "…" not in text, "a figure, a header or a reason was cut short"


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _pct(x) -> str:
    return "—" if x is None else f"{float(x) * 100:.2f}%"


def _bureau_rows(text: str, check, candidates: dict) -> None:
    """Each bureau on two lines: its id, filled/slots per track, the rates (the station rate
    marked) and the required rate; under them its kind, the officers eligible and the counts
    the rates come from. Every figure a whole cell."""
    lines = text.splitlines()
    shown = [b for b in check.bureaus if any(b.slots.values()) or any(b.listed.values())]
    assert shown
    for b in shown:
        [row] = [line for line in lines if line.startswith(b.bureau + " ")]
        cells = row.split()
        for k in ("rank", "station_leader", "bureau_leader"):
            assert f"{b.listed[k]}/{b.slots[k]}" in cells, (k, row)
        assert _pct(b.station_rate) in cells and _pct(b.hq_rate) in cells, row
        assert _pct(b.required) in cells and ("✓" if b.rate_met else "✗") in cells, row
        under = lines[lines.index(row) + 1].split()
        assert under[0] == t(f"kind_{b.kind}")
        assert f"{b.station_promotions}/{b.station_officers}" in under
        assert f"{b.hq_promotions}/{b.hq_officers}" in under
        for k in ("rank", "station_leader", "bureau_leader") if candidates else ():
            assert f"({candidates[b.bureau][k]})" in under, (k, under)


def _headers(text: str, keys: list[str]) -> None:
    """Every word of every header, whole (a header wraps at its line breaks, never cut)."""
    words = set(text.split())
    for key in keys:
        for word in t(key).split():
            assert word in words, (key, word)


@pytest.mark.parametrize("width", [80, 120])
def test_the_round_reads_at_80_and_120_columns(round_in, width):
    lang, r, result = round_in
    text = _render(lang, lambda c: render_round(c, result, names=False, limit=0), width)
    _fits(text, width)
    set_lang(lang)
    try:
        _bureau_rows(text, result.check, result.candidates)
        _headers(text, ["ph_bureau", "phb_rank", "phb_station_leader", "phb_bureau_leader",
                        "phb_station_rate", "phb_hq_rate", "ph_required", "h_officer",
                        "ph_from", "ph_to", "h_unit", "h_reason"])
        if lang == "zh":  # a bureau is a 公安局 (县局 or 分局), not a unit
            stripped = [line.strip() for line in text.splitlines()]
            head = stripped[stripped.index(t("pt_per_bureau")) + 2]
            assert head.split()[0] == "公安局" and "单位" not in head
        lines = text.splitlines()
        for e in result.entries:
            # The officer, from → to and the unit whole on one line; the reason under it,
            # wrapped at most on four lines, every character of it there.
            [i] = [i for i, line in enumerate(lines) if line.startswith(e.officer + " ")]
            first = lines[i].split()
            assert first[:3] == [e.officer, from_text(e).split()[0], "→"] or \
                from_text(e) in lines[i], lines[i]
            assert to_text(e) in lines[i] and e.unit in first, lines[i]
            after = [line for line in lines[i + 1:i + 6]]
            end = next((j for j, line in enumerate(after) if not line.startswith(" ")),
                       len(after))
            assert 1 <= end <= 4, (e.officer, lines[i:i + end + 1])
            assert all(line.startswith("    ") for line in after[:end])  # indented under it
            assert _squeezed(e.reason) == _squeezed("".join(after[:end])), e.officer
    finally:
        set_lang("en")


def test_the_round_shows_names_when_asked(round_in):
    lang, r, result = round_in
    text = _render(lang, lambda c: render_round(c, result, names=True, limit=5), 80)
    _fits(text, 80)
    officers = r.scenario.officer_by_id
    for e in result.entries[:3]:
        [line] = [x for x in text.splitlines() if x.startswith(e.officer + " ")]
        assert officers[e.officer].name in line.split()


@pytest.fixture(scope="module")
def tampered():
    """The example's list with a rank promotion that skips a rung, three promotions left out
    and a station leader named a bureau leader: violations on rows and on bureaus."""
    from staffplan.promotions.plan import make_promotions

    set_lang("en")
    r = load(EXAMPLE)
    entries = list(make_promotions(r).entries)
    ranks = [i for i, e in enumerate(entries) if e.track == "rank"]
    skip = entries[ranks[0]]
    entries[ranks[0]] = Entry(skip.officer, "rank", skip.from_, "一级高级警长", skip.unit, "", 2)
    del entries[ranks[1]:ranks[1] + 3]
    leader = next(i for i, e in enumerate(entries) if e.track == "station_leader")
    e = entries[leader]
    entries[leader] = Entry(e.officer, "bureau_leader", e.from_, "bureau_leader", e.unit, "", 9)
    return r, entries


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("width", [80, 120])
def test_the_checked_list_reads_at_80_and_120_columns(tampered, width, lang):
    r, entries = tampered
    set_lang(lang)
    try:
        check = check_promotions(r, entries)
        assert len(check.violations) >= 3
        text = render_text(lambda c: render_table(c, check, limit=0), width)
        _fits(text, width)
        _bureau_rows(text, check, {})
        _headers(text, ["ph_bureau", "phb_rank", "h_rule", "ph_row", "h_what"])
        squeezed = _squeezed(text)
        for v in check.violations:  # the rule, its row, and the whole message
            row = v.figures.get("row")
            line = next(x for x in text.splitlines() if x.startswith(v.rule + " ")
                        and (not row or f" {row} " in x))
            assert (str(row) in line.split()) if row else True
            assert _squeezed(v.message) in squeezed, v.message
            if width == 120:  # room for the subject too
                assert any(v.subject in x.split() for x in text.splitlines()
                           if x.startswith(v.rule + " "))
    finally:
        set_lang("en")


def test_the_checked_list_in_a_file_is_the_same_table(tampered):
    r, entries = tampered
    check = check_promotions(r, entries)
    text = table_text(check)
    _fits(text, 120)
    assert "┃" not in text and "━" not in text  # the plan tables' style, no heavy boxes
    assert f"Violations ({len(check.violations)})" in text


def test_check_promotions_on_the_command_line_at_80_columns(tmp_path):
    out = tmp_path / "out"
    assert run("promote", EXAMPLE, "--out", out, "-q").exit_code == 0
    with (out / "promotions.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    with (tmp_path / "short.csv").open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows[:-2])  # B06's last two appointments left out
    for lang in ("en", "zh"):
        r = runner.invoke(app, ["check", str(EXAMPLE), "--promotions", str(tmp_path / "short.csv"),
                                "--lang", lang], env={"COLUMNS": "80"})
        assert r.exit_code == 1, r.output
        _fits(r.stdout, 80)
        b06 = next(line for line in r.stdout.splitlines() if line.startswith("B06 "))
        assert {"18/18", "5/6", "0/1"} <= set(b06.split())


# --- stderr: progress lines and the section a file sets -------------------------------------

def test_progress_lines_follow_the_language(tmp_path):
    path = base(tmp_path)
    r = run("promote", path, "--out", tmp_path / "zh", "--lang", "zh")
    assert r.exit_code == 0, r.output
    progress = [line for line in r.stderr.splitlines() if line.startswith("[")]
    said = "\n".join(progress)
    assert "计算任职年限" in said and "晋升和提任：3 名民警" in said and "写入" in said
    assert re.search(r"优先顺序 2/\d：考核分数", said)
    assert not any(re.search(r"\] (?!覆盖|    )[a-z]", line) for line in progress), progress
    r = run("promote", path, "--out", tmp_path / "en")
    assert "computing years of experience" in r.stderr and "preference 2 of" in r.stderr


def test_a_section_set_by_a_file_is_said_key_by_key(tmp_path):
    r = run("promote", EXAMPLE, "--out", tmp_path / "o")
    assert r.exit_code == 0, r.output
    lines = r.stderr.splitlines()
    [i] = [i for i, x in enumerate(lines) if "override promotions: (unset) -> (" in x]
    keys = [x.split("]", 1)[1].strip() for x in lines[i + 1:i + 13]]
    assert keys[0] == 'date: "2021-12-31"'
    assert keys[1].startswith('history: "') and keys[1].endswith('lianyungang/history.csv"')
    assert 'rank_slots: {"B01": 13, "B02": 17, "B03": 11, "B04": 13, "B05": 12, "B06": 18}' in keys
    assert "rules.station_rate_over_hq: 1.3" in keys
    assert any(k.startswith("openings.bureau_leader: {") for k in keys)
    assert all(cell_len(x) < 160 for x in lines[i + 1:i + 13]), "a line per key, not all as JSON"
    r = run("config", EXAMPLE)
    assert "#     rules.prefer_community_experience: true" in r.stdout


# --- explain --promotions ------------------------------------------------------------------

def test_explain_hangs_its_lines_and_uses_arrows(tmp_path):
    out = runner.invoke(app, ["explain", str(EXAMPLE), "P000020", "--promotions"],
                        env={"COLUMNS": "80"})
    assert out.exit_code == 0, out.output
    lines = out.stdout.splitlines()
    _fits(out.stdout, 80)
    [i] = [i for i, x in enumerate(lines) if x.startswith("  in this round: ")]
    assert "二级高级警长 → 一级高级警长" in lines[i] and "->" not in out.stdout
    indent = " " * len("  in this round: ")
    assert lines[i + 1].startswith(indent) and lines[i + 1][len(indent)] != " "


# --- promotions.html -------------------------------------------------------------------------

def test_the_html_title_says_promotion_round_once(round_in):
    from staffplan.promotions.html import page_title, promotions_report

    lang, r, result = round_in
    set_lang(lang)
    try:
        page = promotions_report(result)
        title = re.search(r"<head>.*?<title>(.*?)</title>", page).group(1)
        assert title.lower().count("promotion round") + title.count("晋升和提任") == 1, title
        assert page_title("Lianyungang 2021") == t("prep_title", name="Lianyungang 2021")
        # The chart has an axis of rates, from 0% to at least the highest rate.
        ticks = re.findall(r'class="tick"[^>]*/><text[^>]*>([\d.]+)%</text>', page)
        assert len(ticks) >= 3 and float(ticks[0]) == 0
        top = max(float(x) for b in result.check.bureaus
                  for x in (b.station_rate, b.hq_rate) if x is not None)
        assert float(ticks[-1]) >= top * 100
    finally:
        set_lang("en")
