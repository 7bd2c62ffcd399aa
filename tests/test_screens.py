"""What people read on the terminal: every table at 80 and 120 columns, in both languages,
with every figure whole; values from files as plain text (never markup, no control
characters); --help at 80 columns; --lang everywhere; the CI gate on a plan staffplan made."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from staffplan.check import check
from staffplan.cli import app
from staffplan.i18n import set_lang, t
from staffplan.io.roster import load_scenario
from staffplan.plan import make_plan
from staffplan.report.files import pct
from staffplan.report.screen import visible
from staffplan.report.tables import render_check, render_plan, render_text
from staffplan.results import BureauFigures
from tests import hostile_strings
from tests.conftest import officer, small_county, unit, write_scenario

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "lianyungang" / "scenario.yaml"
runner = CliRunner()


@pytest.fixture(scope="module")
def example():
    set_lang("en")
    s = load_scenario(EXAMPLE)
    return s, make_plan(s), check(s)


def _plan_screen(example, width: int, lang: str, limit: int = 20) -> str:
    s, result, before = example
    set_lang(lang)
    try:
        return render_text(lambda c: render_plan(c, result, before, limit=limit, names=False),
                           width)
    finally:
        set_lang("en")


def _fits(text: str, width: int) -> None:
    for line in text.splitlines():
        assert cell_len(line) <= width, line
    assert "…" not in text, "a figure or a label was cut short"


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("width", [80, 120])
def test_plan_screen_reads_at_80_and_120_columns(example, width, lang):
    s, result, before = example
    text = _plan_screen(example, width, lang)
    _fits(text, width)
    lines = text.splitlines()
    prior = {b.bureau: b for b in before.bureaus}
    for b in result.report.bureaus:
        # The bureau's first line: its id, force, shares and targets, posts and funds, whole.
        [row] = [line for line in lines if line.startswith(b.bureau + " ")]
        cells = row.split()
        assert cells[0] == b.bureau and cells[1] == f"{b.force:,}"
        for figure in (pct(b.station_share), pct(b.station_target), pct(b.community_share),
                       pct(b.community_target), f"{b.posts_staffed}/{b.posts}",
                       f"{b.community_funds:,}"):
            assert figure in cells, (figure, row)
        # Under it, the bureau's figures before the plan, in brackets.
        under = lines[lines.index(row) + 1].split()
        p = prior[b.bureau]
        assert f"({p.force:,})" in under and f"({pct(p.station_share)})" in under
        assert f"({p.community_funds:,})" in under
    total = sum(b.community_funds for b in result.report.bureaus)
    assert f"{total:,}" in text and f"({sum(b.community_funds for b in before.bureaus):,})" in text
    if width == 120:  # room for the head counts too
        row = next(line for line in lines if line.startswith("B01 "))
        b01 = result.report.bureaus[0]
        assert str(b01.station_strength) in row.split() and str(b01.community_officers) in row
    # The moves: officer, from and to whole on one line, whatever the width.
    moved = sorted(o.id for o in s.officers if o.unit and result.final[o.id] != o.unit)
    first = s.officer_by_id[moved[0]]
    [line] = [line for line in lines if line.startswith(first.id + " ")]
    assert first.unit in line and result.final[first.id] in line
    # One vocabulary: the kinds of move, and the recruits apart from the moves.
    assert ("borrowed officers returned" if lang == "en" else "借调人员归建") in text
    assert ("recruits → post" if lang == "en" else "新招录民警 → 警务室") in text


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("width", [80, 120])
def test_a_province_sized_bureau_table_keeps_every_figure_whole(width, lang):
    """200 bureaus of a province: the city's figures are wide (millions of yuan); at 80
    columns the funds column gives way to a line under the table, nothing is cut."""
    from fractions import Fraction

    from staffplan.report.tables import bureau_table

    def figures(k: int, grow: int) -> BureauFigures:
        return BureauFigures(f"B{k:03d}", "district" if k % 2 else "county", 2_000 + grow,
                             1_100 + grow, 540 + grow, 400, 390 + grow % 11,
                             Fraction(558, 1000), Fraction(48, 100), (540 + grow) * 30_000)

    after = [figures(k, 7) for k in range(1, 201)]
    before = [figures(k, 0) for k in range(1, 201)]
    set_lang(lang)
    try:
        text = render_text(lambda c: c.print(bureau_table("t", after, before,
                                                          yuan_per_officer=30_000)), width)
    finally:
        set_lang("en")
    _fits(text, width)
    city = sum(b.force for b in after), sum(b.community_funds for b in after)
    assert f"{city[0]:,}" in text and f"({sum(b.force for b in before):,})" in text
    flat = "".join(text.split())  # the caption may wrap anywhere
    assert f"{city[1]:,}" in flat and f"{sum(b.community_funds for b in before):,}" in flat


@pytest.mark.parametrize("width", [80, 120])
def test_check_screen_reads_and_counts_what_it_leaves_out(example, width):
    s, _, before = example
    text = render_text(lambda c: render_check(c, before, limit=5), width)
    _fits(text, width)
    n = len(before.violations)
    assert f"Violations ({n:,})" in text and f"{n - 5:,} more; --all shows every violation" in text
    for b in before.bureaus:
        row = next(line for line in text.splitlines() if line.startswith(b.bureau + " "))
        assert pct(b.station_share) in row and pct(b.station_target) in row


@pytest.mark.parametrize("width", [80, 120])
def test_check_screen_in_chinese_cuts_nothing(example, width):
    """Chinese has no spaces to wrap at: a long message folds, never loses a figure."""
    s, result, before = example
    set_lang("zh")
    try:
        for report in (before, check(s, result.final)):
            text = render_text(lambda c, r=report: render_check(c, r, limit=5), width)
            _fits(text, width)
        # "completes 3 years", whole (a line may wrap at the space before the figure)
        assert re.search(r"满\s+3 年", text)
    finally:
        set_lang("en")


def test_check_says_how_many_warnings_and_notices_it_leaves_out(example, tmp_path):
    s, result, _ = example
    report = check(s, result.final)
    assert not report.warnings and len(report.notices) > 5
    text = render_text(lambda c: render_check(c, report, limit=3), 80)
    assert f"Notices, never a failure ({len(report.notices)})" in text
    assert f"{len(report.notices) - 3} more; --all shows every notice" in text
    # A warning shown beside its count (unit_bounds off: headquarters above their maximum).
    units = small_county()
    units[1]["max_staff"] = "0"
    officers = [officer(f"A{i}", "H1") for i in range(4)]
    w = check(load_scenario(write_scenario(tmp_path, units, officers)))
    text = render_text(lambda c: render_check(c, w, limit=0), 80)
    assert "Warnings (1)" in text and "more" not in text


# --- Values from files are text ---------------------------------------------------------------

def _hostile_scenario(tmp_path):
    """A city whose every id, name and its own name carry the hostile corpus. Built in
    memory: the corpus holds characters no roster file should (the readers may refuse
    them); what reaches a screen must be harmless whatever the readers let through."""
    from staffplan.domain import Kind, Officer, Organisation, Scenario, Unit

    base = load_scenario(write_scenario(tmp_path, small_county(), [officer("A", "P1")],
                                        {"staff_every_post": True}))
    bureau, hq, station = "B·[/]\x1b[31m", "H·[bold red]", "S·<td>\u202e"
    units = [Unit(bureau, "", Kind.COUNTY), Unit(hq, "", Kind.HQ, bureau),
             Unit(station, "", Kind.STATION, bureau, area="urban")]
    officers = []
    for i, s in enumerate(hostile_strings.ALL):
        units.append(Unit(f"P{i:02d}·{s}", s, Kind.POST, station))
        officers.append(Officer(f"O{i:02d}·{s}", name=s, unit=hq, hired=None))
    config = base.config.model_copy(update={"name": "N·" + "".join(hostile_strings.MARKUP)
                                            + "\x1b]8;;http://evil.example\x1b\\x"})
    return Scenario(config, Organisation(units), officers, base.provenance, base.source)


def _no_control(text: str) -> None:
    bad = {c for c in text if c != "\n" and unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")}
    assert not bad, f"control characters reached the screen: {sorted(map(hex, map(ord, bad)))}"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    set_lang("en")
    s = _hostile_scenario(tmp_path_factory.mktemp("hostile"))
    result = make_plan(s)
    assert result.status.has_plan
    return s, result, check(s)


@pytest.mark.parametrize("width", [80, 120, 1000])
def test_hostile_values_reach_the_tables_as_plain_text(hostile, width):
    s, result, before = hostile
    plan = render_text(lambda c: render_plan(c, result, before, limit=0, names=True), width)
    roster = render_text(lambda c: render_check(c, before, limit=0), width)
    for text in (plan, roster):  # "[/]" and the rest never raise a MarkupError
        _no_control(text)
    if width < 1000:
        return
    # Wide enough for no wrapping: every value is there, as written, made visible.
    for o in s.officers:
        assert visible(o.id) in plan and visible(o.name) in plan
        assert visible(result.final[o.id]) in plan
    for u in s.organisation.posts:  # "post ... has no officer"
        assert visible(u.id) in roster
    assert visible(s.config.name) in plan
    for literal in hostile_strings.MARKUP:  # never read as markup or emoji codes
        assert literal in plan
    assert "\\x1b[31mred\\x1b[0m" in plan and "\\x1b]8;;http://evil.example" in plan


def test_hostile_values_reach_a_real_terminal_as_plain_text(hostile):
    """The bytes a colour terminal receives: staffplan's own styles, never a data value's
    escape sequence, link or bell."""
    import io

    from staffplan.report.screen import console

    s, result, before = hostile
    buf = io.StringIO()
    c = console(file=buf, width=120, force_terminal=True, color_system="truecolor")
    render_plan(c, result, before, limit=0, names=True)
    raw = buf.getvalue()
    assert "\x1b]8;" not in raw and "\x07" not in raw and "\x9b" not in raw and "\r" not in raw
    assert "\x1b[31mred" not in raw and "\\x1b[31mred" in raw


def test_hostile_values_in_explain(hostile):
    from staffplan.cli import _explained
    from staffplan.report.screen import console
    from staffplan.studies.explain import explain_officer, explain_unit

    s, result, before = hostile
    for width in (80, 200):
        for o in s.officers[:12]:
            lines = explain_officer(s, result, o.id)
            buf = console(width=width, record=True, file=open("/dev/null", "w"))
            _explained(buf, lines)
            text = buf.export_text()
            _no_control(text)
            if width == 200 and "\n" not in o.id:
                assert visible(o.id) in text
        lines = explain_unit(s, result, s.organisation.posts[0].id)
        buf = console(width=width, record=True, file=open("/dev/null", "w"))
        _explained(buf, lines)
        _no_control(buf.export_text())


def test_markup_in_a_unit_id_runs_every_command(tmp_path):
    """A unit id with '[/]' in a roster file once ended plan with exit 3 after writing."""
    units = [unit("B[/]1", "county"), unit("H[bold]1", "hq", "B[/]1"),
             unit("S[/]1", "station", "B[/]1", area="urban"), unit("P:smiley:", "post", "S[/]1")]
    officers = [officer("[link=http://x]O1[/link]", "H[bold]1", name="[red]n[/red]"),
                officer("O2", "S[/]1")]
    path = write_scenario(tmp_path / "s", units, officers, {"staff_every_post": True},
                          name="[bold]city[/]")
    out = tmp_path / "out"
    r = runner.invoke(app, ["plan", str(path), "--out", str(out), "--all", "--names", "--report"])
    assert r.exit_code == 0, r.output
    assert "[bold]city[/]" in r.stdout and "[link=http://x]O1[/link]" in r.stdout
    assert "[red]n[/red]" in r.stdout and "P:smiley:" in r.stdout
    r = runner.invoke(app, ["check", str(path), "--assignments", str(out / "assignments.csv")])
    assert r.exit_code == 0, r.output
    for args in (["--unit", "S[/]1"], ["--unit", "B[/]1"], ["[link=http://x]O1[/link]"]):
        r = runner.invoke(app, ["explain", str(path), *args])
        assert r.exit_code == 0, r.output
        assert args[-1] in r.stdout
    r = runner.invoke(app, ["explain", str(path), "[/]nobody\x1b[2J"])  # in an error message
    assert r.exit_code == 2 and "no officer '[/]nobody\\x1b[2J'" in r.stderr


# --- --help, --version and --lang ---------------------------------------------------------------

COMMANDS = ["plan", "check", "compare", "sweep", "report", "explain", "config", "schema",
            "generate", "version"]


@pytest.mark.parametrize("command", [None] + COMMANDS)
def test_help_reads_at_80_columns(command, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("TERMINAL_WIDTH", "80")
    r = runner.invoke(app, ([command] if command else []) + ["--help"], env={"COLUMNS": "80"})
    assert r.exit_code == 0, r.output
    text = r.stdout
    for line in text.splitlines():
        assert cell_len(line) <= 80, line
    assert not re.search(r"<(bool|int|str|float|path|list\[[^]]*\])>", text), text
    assert "{" not in text.split("Usage:")[1].splitlines()[0]  # SCENARIO, not {scenario}
    # A paragraph re-wraps as a whole: outside the panels, a line never stops short while
    # the next line of its paragraph starts with a word that would have fitted.
    prose = [line for line in text.splitlines() if not line.startswith(("│", "╭", "╰"))]
    for a, b in zip(prose, prose[1:]):
        if a.strip() and b.strip():
            assert cell_len(a.rstrip()) + 1 + cell_len(b.split()[0]) > 79, (a, b)
    if command == "check":
        for fmt in ("table", "json", "junit", "markdown", "github"):  # never broken mid-word
            assert re.search(rf"\b{fmt}\b", text), fmt


def test_help_texts_are_paragraphs_of_one_line():
    """Typer keeps a docstring's line breaks; the commands give it whole paragraphs (the
    commands panel and every help text then wrap at the terminal's width)."""
    import typer.main

    group = typer.main.get_command(app)
    for name, command in [("", group), *group.commands.items()]:
        for paragraph in (command.help or "").split("\n\n"):
            assert "\n" not in paragraph, (name, paragraph)
        for param in command.params:
            assert "\n" not in (getattr(param, "help", None) or ""), (name, param.name)


def test_version_flag_and_command():
    from staffplan import __version__

    r = runner.invoke(app, ["--version"])
    assert r.exit_code == 0 and r.stdout == f"staffplan {__version__}\n"
    r = runner.invoke(app, ["version", "--lang", "zh"])
    assert r.exit_code == 0 and r.stdout == f"{__version__}\n"


def test_every_command_takes_lang(tmp_path, example):
    for command in COMMANDS:
        r = runner.invoke(app, [command, "--help"])
        assert "--lang" in r.stdout, command
    zh = json.loads(runner.invoke(app, ["schema", "--lang", "zh"]).stdout)
    en = json.loads(runner.invoke(app, ["schema"]).stdout)
    from staffplan.rules import RULE_BY_ID

    doc = RULE_BY_ID["staff_every_post"]
    zh_text, en_text = (json.dumps(x, ensure_ascii=False) for x in (zh, en))
    assert doc.doc_zh in zh_text and doc.doc not in zh_text
    assert doc.doc in en_text and doc.doc_zh not in en_text
    r = runner.invoke(app, ["generate", str(tmp_path / "g"), "--officers", "200", "--lang", "zh"])
    assert r.exit_code == 0 and r.stderr.startswith("已写入")
    r = runner.invoke(app, ["generate", str(tmp_path / "h"), "--officers", "10", "--lang", "zh"])
    assert r.exit_code == 2


def test_progress_lines_follow_the_language(tmp_path):
    path = write_scenario(tmp_path / "s", small_county(), [officer("A", "H1"), officer("B", "S1")],
                          {"staff_every_post": True})
    r = runner.invoke(app, ["plan", str(path), "--out", str(tmp_path / "o"), "--lang", "zh"])
    assert r.exit_code == 0, r.output
    progress = [line for line in r.stderr.splitlines() if line.startswith("[")]
    assert len(progress) >= 5
    assert any("读取" in line for line in progress) and any("建立模型" in line for line in progress)
    assert not any(re.search(r"\] [a-z]", line) for line in progress), progress


# --- The CI gate ---------------------------------------------------------------------------------

def test_the_recommended_gate_passes_on_a_plan_staffplan_made(tmp_path):
    """docs/ci.md, the pre-commit hook and the example workflow run check --strict; on the
    example's own optimal plan it passes, its notices counted but never failing."""
    out = tmp_path / "out"
    assert runner.invoke(app, ["plan", str(EXAMPLE), "--out", str(out), "-q"]).exit_code == 0
    for fmt in ("table", "github", "json", "junit", "markdown"):
        r = runner.invoke(app, ["check", str(EXAMPLE), "--assignments",
                                str(out / "assignments.csv"), "--strict", "--format", fmt])
        assert r.exit_code == 0, (fmt, r.stderr)
        assert re.search(r"all rules hold, \d+ notice\(s\) \(never a failure\)", r.stderr)
    data = json.loads(runner.invoke(app, ["check", str(EXAMPLE), "-a", str(out / "assignments.csv"),
                                          "--strict", "-f", "json"]).stdout)
    assert data["ok"] is True and data["warnings"] == [] and len(data["notices"]) > 0
    workflow = (ROOT / "examples" / "ci" / "github-workflow.yml").read_text(encoding="utf-8")
    assert "--strict" in workflow and "--assignments proposed.csv" in workflow


# --- Findings by rule, the checked counts, the plan's closing lines ---------------------------

@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("width", [80, 120])
def test_check_shows_violations_of_every_rule_when_it_leaves_some_out(example, width, lang):
    """The roster breaks six rules, 266 times the first: the first 30 in order were all of
    it. Some of every rule are shown, by their labels, and the rest counted by rule."""
    from staffplan.report.findings import label, more_by_rule, sample

    s, _, before = example
    violated = [r for r in before.results if r.violations]
    assert len(violated) >= 5 and len(violated[0].violations) > 30
    set_lang(lang)
    try:
        text = render_text(lambda c: render_check(c, before, limit=30), width)
        labels = {r.rule: label(r.rule) for r in violated}
        shown, more = sample(before.violations, 30)
        captions = [t("t_more_violations", n=f"{len(before.violations) - 30:,}"),
                    t("t_left_out", rules=more_by_rule(more))]
        heads = (t("h_subject"), t("h_what"))
    finally:
        set_lang("en")
    _fits(text, width)
    assert sum(more.values()) == len(before.violations) - 30 and len(shown) == 30
    table = text.split("\n" + ("Violations" if lang == "en" else "违规（"), 1)[1]
    table = table.split("\n" + ("Notices" if lang == "en" else "信息"), 1)[0]
    lines = table.splitlines()
    # The rule column, read apart: each rule's label once, on its first rows.
    header = next(line for line in lines if line.rstrip().endswith(heads[1]))
    second = heads[0] if heads[0] in header else heads[1]
    column = cell_len(header[:header.index(second)])
    found, group = [], ""
    for line in lines[lines.index(header) + 2:]:
        if "".join(line.split()).startswith("".join(captions[0].split())[:6]):
            break  # the caption
        cut, n = "", 0
        for ch in line:
            if n >= column:
                break
            cut, n = cut + ch, n + cell_len(ch)
        if not line.strip():
            found.append(group)
            group = ""
        else:
            group += "".join(cut.split())
    found = [g for g in found + [group] if g]
    assert found == ["".join(labels[r.rule].split()) for r in violated]
    for r in violated:
        assert r.rule not in text  # never the raw id
        assert r.violations[0].message in "".join(table.split("\n")) or width == 80
    assert "tenure_ends_soon" not in text
    flat = "".join(table.split())
    for caption in captions:
        assert "".join(caption.split()) in flat


def test_the_plan_lists_every_officer_once_counts_the_same_in_plan_and_check(example, tmp_path):
    s, result, _ = example
    rule = next(r for r in result.report.results if r.rule == "plan_matches_roster")
    assert rule.checked == len(s.officers) and not rule.violations
    from staffplan.report.output import write_plan

    write_plan(tmp_path, result, check(s), html=False)
    r = runner.invoke(app, ["check", str(EXAMPLE), "-a", str(tmp_path / "assignments.csv"),
                            "-f", "json"])
    data = json.loads(r.stdout)
    [checked] = [x["checked"] for x in data["rules"] if x["rule"] == "plan_matches_roster"]
    assert checked == rule.checked


def _notice_city(directory: Path) -> Path:
    """One officer completes the minimum tenure at a post at its minimum within a year."""
    officers = [officer("A", "P1", community_since="2019-01-01"),
                officer("B", "P2", community_since="2010-01-01"), officer("C", "H1")]
    return write_scenario(directory, small_county(), officers,
                          {"staff_every_post": True, "min_community_tenure_years": 3})


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("width", [80, 120])
def test_the_plan_ends_with_a_check_command_that_runs(tmp_path, monkeypatch, width, lang):
    import shlex

    monkeypatch.chdir(tmp_path)
    path = _notice_city(Path("city"))
    r = runner.invoke(app, ["plan", str(path), "--out", "out dir", "-q", "--lang", lang,
                            "--set", "rules.unit_bounds=false"], env={"COLUMNS": str(width)})
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    [command] = [line for line in lines if line.startswith("  staffplan check ")]
    assert command.strip() == ("staffplan check city/scenario.yaml --assignments "
                               "'out dir/assignments.csv' --set rules.unit_bounds=false")
    for line in lines:
        assert line == command or cell_len(line) <= width, line
    # The approvals line: the wording check uses, and where the plan lists them.
    set_lang(lang)
    try:
        approvals = t("t_approvals", n=0, missing=0)
    finally:
        set_lang("en")
    flat = "".join(r.stdout.split())
    assert "".join((approvals + t("t_see_file", file="out dir/approvals.csv")).split()) in flat \
        or "".join(approvals.split()) in flat and "outdir/approvals.csv" in flat
    checked = runner.invoke(app, shlex.split(command)[1:] + ["--lang", lang])
    assert checked.exit_code == 0, checked.output
    assert "".join(approvals.split()) in "".join(checked.stdout.split())
    assert "P1" in checked.stdout  # the notice the plan spoke of


def test_check_of_a_plan_of_several_steps_names_the_step_of_its_figures(tmp_path):
    path = write_scenario(tmp_path / "h", small_county(),
                          [officer("A", "P1", community_since="2010-01-01"), officer("B", "H1")],
                          {"staff_every_post": True}, plan_date="2019-06-30",
                          extra={"horizon": [{"date": "2020-06-30"}, {"date": "2021-06-30"}]})
    out = tmp_path / "out"
    assert runner.invoke(app, ["plan", str(path), "--out", str(out), "-q"]).exit_code == 0
    args = ["check", str(path), "-a", str(out / "assignments.csv")]
    for width in (80, 120):
        r = runner.invoke(app, args, env={"COLUMNS": str(width)})
        assert r.exit_code == 0, r.output
        assert r.stdout.splitlines()[0].strip() == \
            "Plan: per bureau, at its last step, 2021-06-30 (of 3 steps)"
        _fits(r.stdout, width)
    r = runner.invoke(app, args + ["--lang", "zh"])
    title = "调整方案：各单位情况，最后一步 2021-06-30（共 3 步）"
    assert r.stdout.splitlines()[0].strip() == title
    md = runner.invoke(app, args + ["-f", "markdown"]).stdout
    assert "Per bureau, at the plan's last step, 2021-06-30 (of 3 steps)" in md
    # One step: the title as it was.
    one = write_scenario(tmp_path / "one", small_county(), [officer("A", "P1"),
                                                            officer("B", "P2")])
    r = runner.invoke(app, ["plan", str(one), "--out", str(tmp_path / "o1"), "-q"])
    r = runner.invoke(app, ["check", str(one), "-a", str(tmp_path / "o1" / "assignments.csv")])
    assert r.stdout.splitlines()[0].strip() == "Plan: per bureau"


# --- Markdown and config in Chinese -------------------------------------------------------------

ENGLISH_IN_MARKDOWN = ["violation(s)", "warning(s)", "notice(s)", "roster of", "plan of",
                       "| rule |", "| bureau |", "violated", "✅ ok", "Violations", "Warnings",
                       "Notices", "never a failure", "recruit(s)", "not yet placed",
                       "transfer(s)", "without it", "station share", "posts staffed"]


def test_markdown_in_chinese_has_no_english_but_ids(monkeypatch):
    from staffplan.rules import RULES

    monkeypatch.chdir(ROOT / "tests" / "data" / "ci")
    for args in (["-a", "proposed.csv"], []):  # a plan (approvals) and a roster (a recruit)
        zh = runner.invoke(app, ["check", "scenario.yaml", "-f", "markdown", "--lang", "zh",
                                 *args]).stdout
        en = runner.invoke(app, ["check", "scenario.yaml", "-f", "markdown", *args]).stdout
        for phrase in ENGLISH_IN_MARKDOWN:
            assert phrase not in zh, phrase
        assert sum(phrase in en for phrase in ENGLISH_IN_MARKDOWN) >= 8  # the list can fail
        assert "| 规则 | 状态 | 检查数 | 违规数 |" in zh and "| 公安局 | 总警力 |" in zh
        for rule in RULES:  # machine ids as they are, each beside its label
            assert f"| {rule.zh} `{rule.id}` |" in zh
            assert f"| {rule.label} `{rule.id}` |" in en
    assert "违规（10 项）" in runner.invoke(app, ["check", "scenario.yaml", "-a", "proposed.csv",
                                                 "-f", "markdown", "--lang", "zh"]).stdout
    assert "1 名新招录民警尚未分配。" in zh and "1 recruit(s) not yet placed." in en


def test_markdown_truncates_round_robin(tmp_path):
    """50 findings at most: some of every rule, the rest counted by rule."""
    units = small_county()
    units += [unit(f"X{i}", "post", "S1") for i in range(60)]
    officers = [officer("H", "H1", home_unit="S1")]
    path = write_scenario(tmp_path, units, officers,
                          {"staff_every_post": True, "return_borrowed": True})
    md = runner.invoke(app, ["check", str(path), "-f", "markdown"]).stdout
    findings = [line for line in md.splitlines() if line.startswith("- **")]
    assert len(findings) == 50
    assert any("borrowed officers return" in line for line in findings)
    assert "- … and 13 more (every post staffed 13)" in md


def test_config_comments_follow_the_language(tmp_path):
    path = write_scenario(tmp_path, small_county(), [officer("A", "P1")])
    zh = runner.invoke(app, ["config", str(path), "--lang", "zh",
                             "--set", "rules.staff_every_post=true"]).stdout
    en = runner.invoke(app, ["config", str(path), "--set", "rules.staff_every_post=true"]).stdout
    assert zh.startswith("# 生效的方案；文件：") and "# 覆盖 rules.staff_every_post" in zh
    assert "  # 默认值" in zh and "effective" not in zh and "# default" not in zh
    assert en.startswith("# effective scenario; files: ") and "  # default" in en
    assert "# override rules.staff_every_post" in en
    assert yaml_safe_load(zh) == yaml_safe_load(en)  # comments only


def yaml_safe_load(text: str):
    import yaml

    return yaml.safe_load(text)
