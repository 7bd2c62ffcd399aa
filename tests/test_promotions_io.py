"""Promotion rounds from the outside: bad input (exit 2, file, row and column, no output),
the files written (determinism, both languages, escaping), explain, the example."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from staffplan.cli import app
from staffplan.errors import InputError
from tests.hostile_strings import XML
from tests.promotion_helpers import LADDER, bureau_units, cop, load, posting, write_round

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def base(tmp_path, officers=None, history=None, promotions=None, name="r"):
    officers = officers or [cop("A", "B1-S1", score="90.5", name="秘密甲"),
                            cop("B", "B1-H1", score="88", name="秘密乙"),
                            cop("C", "B1-S2", score="70", name="秘密丙")]
    history = history if history is not None else [
        posting("A", "B1-S1", "2010-01-01"), posting("B", "B1-H1", "2010-01-01"),
        posting("C", "B1-P1", "2012-01-01", "2014-01-01"), posting("C", "B1-S2", "2014-01-01")]
    return write_round(tmp_path / name, bureau_units(), officers, history,
                       promotions or {"rank_slots": {"B1": 1},
                                      "openings": {"station_leader": {"B1": 1}}})


# --- bad input ---------------------------------------------------------------------------------

def _history_file(path: Path, rows: list[str]) -> None:
    (path.parent / "history.csv").write_text("officer_id,unit,role,start,end\n"
                                             + "".join(r + "\n" for r in rows), encoding="utf-8")


HISTORY_CASES = {
    "unknown officer": (["NOBODY,B1-S1,officer,2010-01-01,"], 2, "officer_id",
                        "unknown officer 'NOBODY'"),
    "unknown unit": (["A,B9-S1,officer,2010-01-01,"], 2, "unit", "unknown unit 'B9-S1'"),
    "end before start": (["A,B1-S1,officer,2010-01-01,2009-12-31"], 2, "end",
                         "end 2009-12-31 is before start 2010-01-01"),
    "bad role": (["A,B1-S1,boss,2010-01-01,"], 2, "role", "'boss' is not a role"),
    "bad date": (["A,B1-S1,officer,2010-02-30,"], 2, "start", "'2010-02-30' is not a date"),
    "chief at headquarters": (["B,B1-H1,所长,2010-01-01,"], 2, "unit",
                              "a station chief posting must be at a station"),
    "overlapping chief postings": (
        ["A,B1-S1,chief,2010-01-01,2015-01-01", "A,B1-S2,chief,2014-06-01,"], 3, "start",
        ("officer A: chief at B1-S2 from 2014-06-01 overlaps chief at B1-S1 (row 3, until "
         "2015-01-01)")),
    "a value too long": (["A," + "x" * 200_000 + ",officer,2010-01-01,"], 2, "unit",
                         "a value longer than 131,072 characters"),
    "a line too long": (["A,B1-S1,officer,2010-01-01," + "x," * 600_000], 2, "",
                        "a line longer than"),
}


@pytest.mark.parametrize("quoted", [False, True], ids=["fast", "csv"])
@pytest.mark.parametrize("case", sorted(HISTORY_CASES))
def test_bad_history_exits_2_with_file_row_and_column(tmp_path, case, quoted):
    rows, row, column, message = HISTORY_CASES[case]
    path = base(tmp_path)
    if quoted:  # quotes send the file through the csv module instead of the byte reader
        rows = ['"' + r.replace(",", '","') + '"' for r in rows]
    _history_file(path, ["C,B1-S2,officer,2014-01-01,"] + rows)
    out = tmp_path / "out"
    r = run("promote", path, "--out", out)
    assert r.exit_code == 2, r.output
    where = f"row {row + 1}, column {column}" if column else f"row {row + 1}"
    assert f"history.csv, {where}: {message}" in r.stderr
    assert not out.exists() and "Traceback" not in r.output
    assert "秘密" not in r.output


def test_chinese_headers_and_values_are_read(tmp_path):
    path = base(tmp_path)
    (path.parent / "history.csv").write_text(
        "\ufeff警号,单位,职务,起始日期,终止日期\nA,B1-S1,所长,2010/1/1,2015年1月1日\n"
        "A,B1-S1,民警,2015-01-01,\n", encoding="utf-8")
    r = load(path)
    assert [(p.role, p.start.isoformat(), p.end) for p in r.postings("A")] == [
        ("chief", "2010-01-01", r.postings("A")[0].end), ("officer", "2015-01-01", None)]
    assert r.postings("A")[0].end.isoformat() == "2015-01-01"


HISTORY_AFTER = {
    "start after the plan date": (["A,B1-S1,officer,2021-07-01,"], "start", "2021-07-01"),
    "end after the plan date": (["A,B1-S1,officer,2010-01-01,2021-07-01"], "end", "2021-07-01"),
}


@pytest.mark.parametrize("quoted", [False, True], ids=["fast", "csv"])
@pytest.mark.parametrize("case", sorted(HISTORY_AFTER))
def test_a_posting_after_the_plan_date_is_an_error(tmp_path, case, quoted):
    """The history is the past: a posting does not start or end after the plan date (not the
    promotion date: years are counted to it from what was known at the plan date)."""
    rows, column, day = HISTORY_AFTER[case]
    path = base(tmp_path)
    if quoted:
        rows = ['"' + r.replace(",", '","') + '"' for r in rows]
    _history_file(path, ["C,B1-S2,officer,2014-01-01,2021-06-30"] + rows)
    r = run("promote", path, "--out", tmp_path / "out")
    assert r.exit_code == 2, r.output
    assert (f"history.csv, row 3, column {column}: {day} is after the plan date 2021-06-30: "
            "this date says what has already happened, so it cannot be later") in r.stderr
    assert not (tmp_path / "out").exists()


def test_a_rank_reached_after_the_plan_date_is_an_error(tmp_path):
    officers = [cop("A", "B1-S1", since="2021-07-01"), cop("B", "B1-H1", since="2021-06-30")]
    path = base(tmp_path, officers, [posting("A", "B1-S1", "2010-01-01")])
    r = run("promote", path, "--out", tmp_path / "out")
    assert r.exit_code == 2
    assert ("officers.csv, row 2, column rank_since: 2021-07-01 is after the plan date "
            "2021-06-30") in r.stderr
    assert "row 3" not in r.stderr


HISTORY_COLUMNS = ["officer_id", "name", "unit", "role", "start", "end"]


@pytest.mark.parametrize("quoted", [False, True], ids=["fast", "csv"])
@pytest.mark.parametrize("n", [1, 2, 4])
@pytest.mark.parametrize("other", ["unit", "officer_id"])
def test_swapped_headers_in_a_history_show_no_name(tmp_path, other, n, quoted):
    """A history with a column of names (an office's own) whose header is swapped with
    unit's or officer_id's: one problem for the column, no name anywhere."""
    path = base(tmp_path)
    names = {"A": "秘密甲", "B": "秘密乙", "C": "秘密丙"}
    rows = [("A", "B1-S1", "2010-01-01"), ("B", "B1-H1", "2010-01-01"),
            ("C", "B1-P1", "2012-01-01"), ("C", "B1-S2", "2014-01-01")][:n]
    header = [other if c == "name" else "name" if c == other else c for c in HISTORY_COLUMNS]
    q = '"' if quoted else ""
    lines = [",".join(header)] + [",".join(f"{q}{v}{q}" for v in (o, names[o], u, "officer",
                                                                   start, ""))
                                  for o, u, start in rows]
    (path.parent / "history.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = run("promote", path, "--out", tmp_path / "out")
    assert r.exit_code == 2, r.output
    assert "秘密" not in r.output
    assert (f"history.csv, row 1, column {other}: {n} of {n} values are not "
            f"{'unit ids' if other == 'unit' else 'ids of officers on the roster'}") in r.stderr
    assert f"the headers {other} and name look swapped" in r.stderr
    assert not (tmp_path / "out").exists()


def test_swapped_officer_id_and_unit_headers_in_a_history_are_said_once(tmp_path):
    path = base(tmp_path)
    _history_file(path, [])
    (path.parent / "history.csv").write_text(
        "unit,officer_id,role,start,end\nA,B1-S1,officer,2010-01-01,\n"
        "B,B1-H1,officer,2010-01-01,\n", encoding="utf-8")
    r = run("promote", path, "--out", tmp_path / "out")
    assert r.exit_code == 2
    assert r.stderr.count("look swapped") == 1 and "the input has 1 problem(s)" in r.stderr


def test_a_history_reference_that_looks_like_an_id_says_which(tmp_path):
    path = base(tmp_path)
    _history_file(path, ["C,B1-S2,officer,2014-01-01,", "Ａ,B1-S1,officer,2010-01-01,",
                         "B,B1-Ｈ1,officer,2010-01-01,"])
    r = run("promote", path, "--out", tmp_path / "out")
    assert r.exit_code == 2
    assert ("history.csv, row 3, column officer_id: unknown officer 'Ａ'; did you mean 'A'?"
            in r.stderr)
    assert "history.csv, row 4, column unit: unknown unit 'B1-Ｈ1'; did you mean 'B1-H1'?" \
        in r.stderr


@pytest.mark.parametrize("column,value,message", [
    ("rank", "总警监", "rank '总警监' is not on the ladder (promotions.ladder)"),
    ("rank_since", "", "a rank needs rank_since, the day it was reached"),
    ("score", "-1", "'-1' is not a score (a number ≥ 0, at most 3 decimals)"),
])
def test_bad_rank_columns_exit_2(tmp_path, column, value, message):
    officers = [cop("A", "B1-S1", **{"rank" if column == "rank" else column: value})
                if column != "rank" else cop("A", "B1-S1", rank=value)]
    path = base(tmp_path, officers, [posting("A", "B1-S1", "2010-01-01")])
    r = run("promote", path, "--out", tmp_path / "out")
    assert r.exit_code == 2
    assert f"officers.csv, row 2, column {column}: {message}" in r.stderr


def test_a_slot_for_an_unknown_bureau_is_bad_input(tmp_path):
    path = base(tmp_path, promotions={"rank_slots": {"B1": 1, "B7": 2}})
    with pytest.raises(InputError) as exc:
        load(path)
    [p] = exc.value.problems
    assert (p.column, p.message) == ("promotions.rank_slots.B7", "'B7' is not a bureau")


def test_a_bad_list_is_bad_input(tmp_path):
    path = base(tmp_path)
    listing = tmp_path / "list.csv"
    listing.write_text("officer_id,track\nA,rank\nZZ,rank\nB,captain\n", encoding="utf-8")
    r = run("check", path, "--promotions", listing)
    assert r.exit_code == 2
    assert "list.csv, row 3, column officer_id: unknown officer 'ZZ'" in r.stderr
    assert "list.csv, row 4, column track: 'captain' is not a track" in r.stderr


def test_a_list_with_swapped_headers_or_a_look_alike_id_shows_no_name(tmp_path):
    path = base(tmp_path)
    listing = tmp_path / "list.csv"
    ex = ROOT / "examples" / "lianyungang"
    rows = list(csv.DictReader((ex / "officers.csv").open(encoding="utf-8")))[:3]
    listing.write_text("officer_id,track,officer_name\n" + "".join(
        f"{o['name']},rank,{o['id']}\n" for o in rows), encoding="utf-8")
    r = run("check", ex / "promotions.yaml", "--promotions", listing)
    assert r.exit_code == 2, r.output
    assert "the headers officer_id and officer_name look swapped" in r.stderr
    assert not any(o["name"] in r.output for o in rows)
    listing.write_text("officer_id,track\n\uff21,rank\n", encoding="utf-8")  # full-width A
    r = run("check", path, "--promotions", listing)
    assert r.exit_code == 2
    assert "did you mean 'A'?" in r.stderr


def test_promote_needs_a_promotions_section(tmp_path):
    from tests.conftest import officer, small_county, write_scenario

    path = write_scenario(tmp_path / "s", small_county(), [officer("A", "S1")])
    r = run("promote", path, "--out", tmp_path / "out")
    assert r.exit_code == 2 and "the scenario has no promotions: section" in r.stderr


def test_both_readers_read_the_same_history(tmp_path):
    path = base(tmp_path)
    plain = load(path).history
    text = (path.parent / "history.csv").read_text(encoding="utf-8")
    quoted = "\n".join('"' + line.replace(",", '","') + '"' for line in text.splitlines())
    (path.parent / "history.csv").write_text(quoted + "\r\n", encoding="utf-8")
    other = load(path).history
    for name in ("officer", "unit", "role", "start", "end", "row"):
        assert np.array_equal(getattr(plain, name), getattr(other, name)), name


# --- the files ---------------------------------------------------------------------------------

def test_promote_writes_its_files_the_same_twice(tmp_path):
    path = base(tmp_path)
    for name in ("a", "b"):
        r = run("promote", path, "--out", tmp_path / name, "--lang", "zh")
        assert r.exit_code == 0, r.output
    for name in ("promotions.csv", "promotions.xlsx", "promotions.html"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    a, b = (json.loads((tmp_path / n / "summary.json").read_text(encoding="utf-8"))
            for n in ("a", "b"))
    for d in (a, b):
        d.pop("timing_seconds"), d["solver"].pop("seconds")
    assert a == b and a["proven_optimal"] is True
    raw = (tmp_path / "a" / "promotions.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw  # for Excel: BOM, CRLF
    rows = list(csv.DictReader((tmp_path / "a" / "promotions.csv").open(encoding="utf-8-sig")))
    assert list(rows[0]) == ["officer_id", "officer_name", "track", "from", "to", "unit", "reason"]
    assert [(x["officer_id"], x["track"], x["from"], x["to"]) for x in rows] == [
        ("A", "rank", LADDER[0], LADDER[1]), ("C", "station_leader", "officer", "station_leader")]
    assert "有社区警务工作经历" in rows[1]["reason"]  # reasons in the round's language
    wb = load_workbook(tmp_path / "a" / "promotions.xlsx")
    assert wb.sheetnames == ["汇总", "晋升和提任名单", "规则"]
    assert '<html lang="zh-CN">' in (tmp_path / "a" / "promotions.html").read_text(encoding="utf-8")


def test_names_stay_private_and_json_is_clean(tmp_path):
    path = base(tmp_path)
    r = run("promote", path, "--out", tmp_path / "o", "--all")
    assert r.exit_code == 0 and "秘密" not in r.output
    assert "秘密甲" in run("promote", path, "--out", tmp_path / "o", "--names").stdout
    r = run("promote", path, "--out", tmp_path / "o", "--format", "json")
    assert json.loads(r.stdout)["listed"] == 2 and "秘密" not in r.stdout


def test_hostile_values_reach_every_file_as_text(tmp_path):
    evil = "=1+1[red]x[/red]" + XML[0]  # no spaces: the table does not wrap it
    officers = [cop("A", "B1-S1", score="90", name=evil), cop("B", "B1-H1", name=evil),
                cop("C", "B1-S2", name=evil)]
    path = base(tmp_path, officers)
    out = tmp_path / "out"
    r = run("promote", path, "--out", out, "--names", "--all")
    assert r.exit_code == 0
    assert "[red]x[/red]" in r.stdout  # printed as text, not as Rich markup
    rows = list(csv.DictReader((out / "promotions.csv").open(encoding="utf-8-sig")))
    assert {x["officer_name"] for x in rows} == {"'" + evil}  # Excel shows it as text
    # ... and the list checks as written: its cells are read back exactly
    r = run("check", path, "--promotions", out / "promotions.csv")
    assert r.exit_code == 0, r.output
    html = (out / "promotions.html").read_text(encoding="utf-8")
    assert "<script>" not in html  # names are not in the report; other values are escaped
    wb = load_workbook(out / "promotions.xlsx")
    assert wb["Promotions"]["B2"].value == "'" + evil  # text, never a formula
    assert wb["Promotions"]["B2"].data_type == "s"


def test_a_list_that_fails_its_own_check_is_never_written(tmp_path, monkeypatch):
    from staffplan.promotions import plan
    from staffplan.results import RuleResult

    def broken(r, entries, partial=False):
        report = real(r, entries, partial)
        report.results.append(RuleResult("rank_ladder", "x", True))
        report.results[-1].fail("A", "made up")
        return report

    real = plan.check_promotions
    monkeypatch.setattr(plan, "check_promotions", broken)
    out = tmp_path / "out"
    r = run("promote", base(tmp_path), "--out", out)
    assert r.exit_code == 3 and "fails the promotion checker" in r.stderr
    assert not out.exists()


def test_explain_says_why_with_years(tmp_path):
    path = base(tmp_path)
    r = run("explain", path, "C", "--promotions")
    assert r.exit_code == 0, r.output
    assert "station leader: eligible — 9.9 years of station work (3 required)" in r.stdout
    assert "community experience: yes" in r.stdout
    assert "in this round: station leader: officer → station leader" in r.stdout
    r = run("explain", path, "B", "--promotions", "--lang", "zh")
    assert "派出所领导：不符合条件 — 派出所工作经历 0.0 年（要求 3 年）" in r.stdout
    assert run("explain", path, "NOBODY", "--promotions").exit_code == 2


# --- the example and the config ----------------------------------------------------------------

@pytest.fixture(scope="module")
def example():
    from staffplan.promotions.plan import make_promotions

    r = load(ROOT / "examples" / "lianyungang" / "promotions.yaml")
    return r, make_promotions(r)


def test_example_round_is_filled_and_proven(example):
    r, result = example
    assert result.status.value == "optimal" and result.check.ok
    assert not result.unfilled and len(result.entries) == sum(
        sum(b.slots.values()) for b in result.check.bureaus)
    reasons = " ".join(e.reason for e in result.entries)
    assert "the rate rule" in reasons and "community experience" in reasons
    posted = sum(o.unit is not None for o in r.scenario.officers)
    for track in ("rank", "station_leader", "bureau_leader"):  # eligible and ineligible ones
        assert 0 < sum(c[track] for c in result.candidates.values()) < posted


def test_example_headquarters_out_promote_stations_without_the_rule(example):
    from staffplan.promotions.check import check_promotions
    from staffplan.promotions.plan import make_promotions

    r, _ = example
    off = load(ROOT / "examples" / "lianyungang" / "promotions.yaml",
               ["promotions.rules.station_rate_over_hq=null"])
    without = make_promotions(off)
    report = check_promotions(r, without.entries)  # judged under the article's rule
    b02 = next(b for b in report.bureaus if b.bureau == "B02")
    assert b02.station_promotions == 0 and b02.hq_promotions == b02.slots["rank"]
    assert "B02" in {v.subject for v in report.violations if v.rule == "station_rate"}


def test_impossible_config_is_explained(tmp_path):
    r = run("promote", ROOT / "configs" / "promotions-impossible.yaml", "--out", tmp_path / "o")
    assert r.exit_code == 1
    said = " ".join(r.stdout.split())  # on stdout, as plan's reasons; wrapped to the terminal
    assert re.search(r"bureau B03: 1 bureau-leader opening\(s\), no officer with 3 years as "
                     r"station chief \(the longest has \d\.\d\)", said)
    assert "bureau B02: the rate rule needs at least 170 of its 380 rank promotions" in said


def test_promotions_need_a_history(tmp_path):
    import yaml

    path = base(tmp_path)
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    del config["promotions"]["history"]
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    r = run("promote", path, "--out", tmp_path / "out")
    assert r.exit_code == 2
    assert "scenario.yaml, key promotions.history: required key is missing" in r.stderr


def test_the_html_report_renders_in_chromium(example, tmp_path):
    from staffplan.promotions.html import promotions_report
    from tests.test_people import browse

    _, result = example
    page = tmp_path / "promotions.html"
    page.write_text(promotions_report(result), encoding="utf-8")
    text = page.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']?https?:""", text)  # self-contained
    dom = browse(page.as_uri(), tmp_path, "--dump-dom").stdout
    assert dom.count('class="bar"') == 2 * 6 and dom.count('class="required"') == 6
    assert dom.count("<tr>") >= len(result.entries)
