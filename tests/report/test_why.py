"""Why no plan, as people read it: explanations numbered (never a heading or a wrapped
fragment), their points nested under them, wrapped at 80 and 120 columns in both languages,
and on stdout: the output of a plan that has none."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from staffplan.cli import app
from staffplan.i18n import set_lang, t
from staffplan.io.roster import load_scenario
from staffplan.plan import make_plan
from staffplan.report import why
from staffplan.report.tables import render_no_plan, render_text
from tests.conftest import officer, unit, write_scenario

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]


def two_bureaus(tmp_path: Path) -> Path:
    """Two bureaus, each with three pinned officers at headquarters and one at its station:
    neither can reach a station share of 50%."""
    units, officers = [], []
    for b in ("B1", "B2"):
        units += [unit(b, "county"), unit(f"{b}-H", "hq", b),
                  unit(f"{b}-S", "station", b, area="urban"), unit(f"{b}-P", "post", f"{b}-S")]
        officers += [officer(f"{b}-h{i}", f"{b}-H", pinned="yes") for i in range(3)]
        officers.append(officer(f"{b}-s", f"{b}-S"))
    return write_scenario(tmp_path, units, officers,
                          {"station_share": {"county": 0.5, "district": 0.5},
                           "staff_every_post": True, "stay_in_bureau": True,
                           "unit_bounds": True}, name="two bureaus")


@pytest.fixture(scope="module")
def impossible(tmp_path_factory):
    path = two_bureaus(tmp_path_factory.mktemp("why"))
    out = {}
    for lang in ("en", "zh"):
        set_lang(lang)
        s = load_scenario(path)
        out[lang] = (path, s, make_plan(s))
    set_lang("en")
    return out


def test_lines_become_points_under_their_bureau_in_both_languages(impossible):
    for lang in ("en", "zh"):
        set_lang(lang)
        _, s, result = impossible[lang]
        assert not result.status.has_plan
        items = why.points(result.conflicts, [b.id for b in s.organisation.bureaus])
        # One explanation per bureau, headed by it; the sentence that says which rules
        # conflict leads the rules relaxed in turn; a rule's figures hang under the rule.
        assert [p.text for p in items] == [t("x_in_bureau", bureau=b) for b in ("B1", "B2")]
        for bureau, head in zip(("B1", "B2"), items):
            lead, rule = head.points
            assert lead.lead and not rule.lead
            [figures] = rule.points
            assert bureau in figures.text and "25.0%" in figures.text
        assert why.count(items) == 2
    set_lang("en")


def test_numbers_go_to_explanations_never_to_headings_or_fragments():
    lines = ["bureau B1:", "these rules cannot all hold together: a, b; relaxing each in turn:",
             "a (with b held):", "  bureau B1: short by 2", "b (with a held): 1 unit off",
             "bureau B2:", "x cannot hold, even with every other rule relaxed:", "x:",
             "  bureau B2: short by 1"]
    text = why.lines(why.points(lines, ["B1", "B2"]))
    assert text == ["1. bureau B1:",
                    "   these rules cannot all hold together: a, b; relaxing each in turn:",
                    "   • a (with b held):",
                    "     – bureau B1: short by 2",
                    "   • b (with a held): 1 unit off",
                    "2. bureau B2:",
                    "   x cannot hold, even with every other rule relaxed:",
                    "   • x:",
                    "     – bureau B2: short by 1"]
    # One bureau: no heading; the rules relaxed in turn are the numbered explanations.
    text = why.lines(why.points(lines[1:5], ["B1"]))
    assert text == ["these rules cannot all hold together: a, b; relaxing each in turn:",
                    "1. a (with b held):", "   • bureau B1: short by 2",
                    "2. b (with a held): 1 unit off"]
    # A line that is no bureau's heading stays a point of its own.
    assert why.lines(why.points(["bureau B9:", "x"], ["B1"])) == ["1. bureau B9:", "2. x"]


def _hangs(text: str) -> None:
    """Every line of a wrapped point starts at its text's column, under the marker's."""
    marker = re.compile(r"^( *)(\d+\.|•|–) ")
    indent = None
    for line in text.splitlines()[1:]:
        m = marker.match(line)
        if m:
            indent = len(m.group(0))
        elif line.strip() and indent is not None:
            assert len(line) - len(line.lstrip()) >= indent, line


@pytest.fixture(scope="module")
def community_50():
    """The what-if a new user ran: every bureau fails, each for two or three rules."""
    out = {}
    for lang in ("en", "zh"):
        set_lang(lang)
        s = load_scenario(ROOT / "configs" / "what-if-community-50.yaml")
        out[lang] = (s, make_plan(s))
    set_lang("en")
    return out


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("width", [80, 120])
def test_the_list_wraps_with_hanging_indents(community_50, width, lang):
    """Once: lines up to 270 characters, every point a bullet at one level."""
    s, result = community_50[lang]
    set_lang(lang)
    try:
        text = render_text(lambda c: render_no_plan(c, result, [b.id for b in
                                                                s.organisation.bureaus]), width)
    finally:
        set_lang("en")
    for line in text.splitlines():
        assert cell_len(line) <= width, line
    assert "…" not in text
    lines = text.splitlines()
    # One number per bureau, in order; no numbered line is a fragment of a wrapped one.
    numbered = [line for line in lines if re.match(r"\d+\. ", line)]
    assert [line.split(".")[0] for line in numbered] == [str(i) for i in range(1, 7)]
    heading = t("x_in_bureau", bureau="B01") if lang == "en" else "B01："
    assert numbered[0].split(". ", 1)[1].strip() == heading.strip()
    # Under each heading: the lead flush with the bullets, the figures under their rule.
    rule = next(i for i, line in enumerate(lines) if line.startswith("   • "))
    sub = next(i for i, line in enumerate(lines) if line.startswith("     – "))
    assert rule < sub and lines[rule - 1].startswith("   ") and not lines[rule - 1][3] == " "
    _hangs(text)


def _stdout_of_plan(path, tmp_path, *args, width=80):
    return runner.invoke(app, ["plan", str(path), "--out", str(tmp_path / "out"), "-q", *args],
                         env={"COLUMNS": str(width)})


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("width", [80, 120])
def test_a_plan_without_one_says_why_on_stdout(impossible, tmp_path, width, lang):
    path, _, result = impossible[lang]
    r = _stdout_of_plan(path, tmp_path, "--lang", lang, width=width)
    assert r.exit_code == 1
    out = r.stdout
    title = t("t_no_plan_head", name="two bureaus") if lang == "en" else \
        "two bureaus：没有方案能满足全部规则。原因："
    assert out.splitlines()[0].strip() == title
    assert re.search(r"^1\. ", out, re.M) and re.search(r"^2\. ", out, re.M)
    for line in out.splitlines():
        assert cell_len(line) <= width, line
    assert ("25.0%" in out) and "B2" in out
    # stderr keeps the progress and the files written, not the explanation.
    assert "25.0%" not in r.stderr


def test_json_output_of_a_plan_without_one_is_unchanged(impossible, tmp_path):
    path, _, result = impossible["en"]
    r = _stdout_of_plan(path, tmp_path, "--format", "json")
    assert r.exit_code == 1
    summary = json.loads(r.stdout)  # stdout is the JSON alone
    assert summary["status"] == "infeasible" and summary["conflicts"] == result.conflicts
    assert "25.0%" in r.stderr  # the people's explanation beside it, on stderr
