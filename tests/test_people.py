"""Reports for people: the Excel workbook, the meeting report in a real browser, explain."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from staffplan.check import check
from staffplan.cli import app
from staffplan.io.roster import OFFICER_COLUMNS, UNIT_COLUMNS, load_scenario
from staffplan.plan import make_plan
from staffplan.report.excel import plan_workbook
from staffplan.studies.explain import explain_officer, explain_unit
from tests.conftest import officer, small_county, write_scenario

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
runner = CliRunner()


def _officers():
    return [officer("H1a", "H1", hired="2001-01-01", name="张三"),
            officer("H1b", "H1", hired="2015-01-01"),
            officer("H1c", "H1", home_unit="S1"),
            officer("P", "P1", community_since="2020-03-01", move_approved="yes"),
            officer("Q", "P2", community_since="2020-03-01", pinned="yes"),
            officer("R", bureau="B1")]


RULES = {"station_share": {"county": 0.7, "district": 0.6}, "community_share": 0.3,
         "staff_every_post": True, "return_borrowed": True, "min_community_tenure_years": 3,
         "new_hires_to_stations": True}


@pytest.fixture
def planned(tmp_path):
    path = write_scenario(tmp_path / "s", small_county(), _officers(), RULES)
    s = load_scenario(path)
    return s, make_plan(s), path


# --- Excel -----------------------------------------------------------------------------------

def _excel_cell(value: str):
    """A value as Excel keeps it: a real date cell (a datetime at midnight, shown as a
    Chinese date), a real boolean, a number; text otherwise; None for an empty cell."""
    from datetime import date

    if not value:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return datetime.combine(date.fromisoformat(value), datetime.min.time())
    if value in ("yes", "no"):
        return value == "yes"
    return int(value) if value.isdigit() else value


def _openpyxl_workbook(path: Path, sheets: list[tuple[str, list[str], list[dict]]]) -> None:
    """A workbook as Excel (or any program using openpyxl) writes it, not staffplan's own
    writer: typed cells, dates with a date format."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for title, columns, rows in sheets:
        ws = wb.create_sheet(title)
        ws.append(columns)
        for r in rows:
            ws.append([_excel_cell(r.get(c, "") or "") for c in columns])
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, datetime):
                    cell.number_format = "yyyy/m/d"
    wb.save(path)


def test_excel_round_trip(tmp_path):
    """Units and officers in .xlsx workbooks written by openpyxl, with real date, boolean
    and number cells, read back exactly as from CSV."""
    from openpyxl import load_workbook as read_back

    csv_path = write_scenario(tmp_path / "csv", small_county(), _officers(), RULES)
    from_csv = load_scenario(csv_path)
    for name, columns, rows in (("units", UNIT_COLUMNS, small_county()),
                                ("officers", OFFICER_COLUMNS, _officers())):
        _openpyxl_workbook(tmp_path / f"{name}.xlsx",
                           [("花名册" if name == "officers" else "单位", columns, rows)])
    cells = read_back(tmp_path / "officers.xlsx")["花名册"]
    hired = cells.cell(2, OFFICER_COLUMNS.index("hired") + 1)
    assert hired.is_date and isinstance(hired.value, datetime)  # a date cell, not text
    import zipfile

    xml = zipfile.ZipFile(tmp_path / "officers.xlsx").read("xl/worksheets/sheet1.xml").decode()
    # A date cell is a serial number (36892 is 2001-01-01) with a date format, never text.
    assert re.search(rf'<c r="{hired.coordinate}" s="\d+"( t="n")?><v>36892</v></c>', xml)
    assert any(c.data_type == "b" for row in cells.iter_rows() for c in row)  # real booleans
    text = csv_path.read_text(encoding="utf-8").replace("units.csv", "../units.xlsx").replace(
        "officers.csv", "../officers.xlsx")
    xlsx_path = csv_path.parent / "x.yaml"
    xlsx_path.write_text(text + "sheets: {officers: 花名册}\n", encoding="utf-8")
    from_xlsx = load_scenario(xlsx_path)
    strip = lambda officers: [(o.id, o.name, o.unit, o.home_unit, o.community_since, o.hired,  # noqa: E731
                               o.pinned, o.move_approved, o.bureau) for o in officers]
    assert strip(from_xlsx.officers) == strip(from_csv.officers)
    assert [(u.id, u.kind, u.parent) for u in from_xlsx.organisation.units.values()] == \
        [(u.id, u.kind, u.parent) for u in from_csv.organisation.units.values()]
    # One workbook with both sheets, chosen by name.
    _openpyxl_workbook(tmp_path / "both.xlsx", [("说明", ["x"], [{"x": "not data"}]),
                                                ("单位", UNIT_COLUMNS, small_county()),
                                                ("花名册", OFFICER_COLUMNS, _officers())])
    one = csv_path.parent / "one.yaml"
    one.write_text(text.replace("../units.xlsx", "../both.xlsx")
                   .replace("../officers.xlsx", "../both.xlsx")
                   + "sheets: {units: 单位, officers: 花名册}\n", encoding="utf-8")
    assert strip(load_scenario(one).officers) == strip(from_csv.officers)
    # `sheet:` names the sheet to read in every workbook (a CSV file has none).
    named = csv_path.parent / "named.yaml"
    named.write_text(text.replace("../units.xlsx", "units.csv")
                     .replace("../officers.xlsx", "../both.xlsx")
                     + "sheet: 花名册\n", encoding="utf-8")
    assert strip(load_scenario(named).officers) == strip(from_csv.officers)
    bad = csv_path.parent / "bad.yaml"
    bad.write_text(text + "sheets: {officers: nope}\n", encoding="utf-8")
    r = runner.invoke(app, ["check", str(bad)])
    assert r.exit_code == 2 and "no sheet 'nope'; the workbook has: 花名册" in r.stderr


def test_plan_workbook(planned, tmp_path):
    s, result, _ = planned
    path = tmp_path / "plan.xlsx"
    path.write_bytes(plan_workbook(result, check(s)))
    wb = load_workbook(path)
    assert wb.sheetnames == ["Summary", "Moves", "Approvals", "Final roster", "Rules"]
    summary = wb["Summary"]
    assert summary.freeze_panes == "A2"
    assert summary["F2"].number_format == "0.0%"
    assert summary["H2"].value.startswith("=IF(")  # "met" is a live formula
    rules = [r.formula[0] for rng in summary.conditional_formatting for r in rng.rules]
    assert 'AND($G2<>"",$F2<$G2)' in rules  # unmet station share turns red
    assert summary["A1"].font.b and summary.auto_filter.ref == "A1:Q2"
    # The city under the bureaus, outside the filter: sums that follow an edited figure,
    # with the values a reader that does not recalculate shows.
    assert summary["A4"].value == "city" and summary["Q4"].value == "=SUM(Q2:Q2)"
    cached = load_workbook(path, data_only=True)["Summary"]
    assert cached["Q4"].value == sum(b.community_funds for b in result.report.bureaus)
    assert cached["C4"].value == sum(b.force for b in result.report.bureaus)
    assert path.read_bytes() == plan_workbook(result, check(s))  # the same plan, the same bytes
    roster = list(wb["Final roster"].iter_rows(min_row=2, values_only=True))
    assert {(row[1], row[4]) for row in roster} == {(o, u) for o, u in result.final.items()}
    assert {row[0].date() for row in roster} == {s.plan_date}  # a real date cell
    approvals = list(wb["Approvals"].iter_rows(min_row=2, values_only=True))
    assert [(a[1], a[7]) for a in approvals] == [(a.officer, "yes")
                                                 for a in result.report.approvals]
    assert any(row[0] == "rules.community_share" for row in wb["Rules"].iter_rows(values_only=True))


def test_plan_writes_the_workbook_in_chinese(planned, tmp_path):
    _, _, path = planned
    out = tmp_path / "out"
    r = runner.invoke(app, ["plan", str(path), "--out", str(out), "--lang", "zh", "--report"])
    assert r.exit_code == 0, r.output
    assert load_workbook(out / "plan.xlsx").sheetnames == ["汇总", "调动名单", "审批",
                                                           "调整后花名册", "规则"]
    assert '<html lang="zh-CN">' in (out / "report.html").read_text(encoding="utf-8")
    assert "规则" in r.stdout and "借调人员归建" in (out / "assignments.csv").read_text(
        encoding="utf-8")


# --- The meeting report in a real browser ------------------------------------------------------

def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    pytest.fail("headless Chromium is needed: apt-get install chromium (.ci/run does)")


def browse(url: str, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--hide-scrollbars", f"--user-data-dir={tmp_path / 'profile'}",
         *extra, url],
        capture_output=True, text=True, timeout=120)


# The meeting report's tests: tests/test_report_html.py (they use browse above).


# --- Why this officer ---------------------------------------------------------------------------

def test_explain_officers(planned):
    s, result, _ = planned
    text = "\n".join(explain_officer(s, result, "H1c"))
    assert "moves from H1 to S1" in text and "borrowed officers return → S1" in text
    text = "\n".join(explain_officer(s, result, "Q"))
    assert "stays at P2" in text and "pinned officers stay" in text
    moved = [o for o in ("H1a", "H1b") if result.final[o] != "H1"]
    assert moved == ["H1a"]  # hired first, asked first
    text = "\n".join(explain_officer(s, result, "H1a"))
    assert "place in the order: 1 (longest-serving first, by hire date)" in text
    text = "\n".join(explain_officer(s, result, "R"))
    assert "recruit placed at" in text


def test_explain_tenure_in_words(scenario_at):
    s = scenario_at(small_county(),
                    [officer("A", "P1", community_since="2020-02-10"), officer("B", "S1")],
                    {"min_community_tenure_years": 3})
    r = make_plan(s)
    assert r.reasons["A"] == "community tenure 1 year(s) 4 month(s) of 3 years, no approval: stays"
    assert ("community officers keep their post for the minimum tenure "
            "(1 year(s) 4 month(s) / 3)" in "\n".join(explain_officer(s, r, "A")))


def test_explain_unit(planned):
    s, result, _ = planned
    lines = explain_unit(s, result, "P1")
    assert lines[0] == "Unit P1 (post, bureau B1)"
    after = {u: sum(1 for v in result.final.values() if v == u) for u in ("P1", "P2")}
    assert 1 in after.values()  # Q is pinned alone at P2 unless someone joins
    for post, n in after.items():  # a post left with one officer: the rule binds there
        assert ("every post staffed" in explain_unit(s, result, post)[-1]) == (n == 1)


def test_explain_command(planned):
    _, _, path = planned
    r = runner.invoke(app, ["explain", str(path), "H1c", "--lang", "zh"])
    assert r.exit_code == 0 and "借调人员归建到 S1" in r.stdout
    assert runner.invoke(app, ["explain", str(path), "--unit", "S1"]).exit_code == 0
    r = runner.invoke(app, ["explain", str(path), "NOBODY"])
    assert r.exit_code == 2 and "no officer 'NOBODY'" in r.stderr


def test_explain_an_approved_early_move(planned):
    """P has served 1 year of 3 at post P1 and the city committee approved an early move:
    no rule holds P, and explain says why."""
    s, result, _ = planned
    text = "\n".join(explain_officer(s, result, "P"))
    assert "approval: community tenure 1 year(s) 3 month(s) of 3 years, and the city " \
           "committee approved an early move" in text
    assert ("listed in approvals.csv" in text) == (result.final["P"] != "P1")
    assert "no rule holds this officer" in text
    assert "approval:" not in "\n".join(explain_officer(s, result, "H1a"))


def test_explain_a_bureau_and_clear_usage(planned):
    from staffplan.studies.explain import explain_bureau

    s, result, path = planned
    before = check(s)
    lines = explain_bureau(s, result, before, "B1")
    b, p = result.report.bureaus[0], before.bureaus[0]
    assert lines[0] == "Bureau B1 (county)"
    assert f"force: {p.force} → {b.force}" in lines and p.force != b.force  # the recruit
    assert any(line.startswith("station strength / force: ") and "target 70.0%" in line
               for line in lines)
    assert any(line.startswith("moves: ") for line in lines)
    r = runner.invoke(app, ["explain", str(path), "--unit", "B1", "--lang", "zh"])
    assert r.exit_code == 0 and "公安局 B1（县局）" in r.stdout and "总警力" in r.stdout
    r = runner.invoke(app, ["explain", str(path), "H1a", "--unit", "S1"])
    assert r.exit_code == 2 and "not both" in r.stderr
    r = runner.invoke(app, ["explain", str(path)])
    assert r.exit_code == 2 and "give an OFFICER_ID or --unit UNIT" in r.stderr
    r = runner.invoke(app, ["explain", str(path), "--unit", "B9"])
    assert r.exit_code == 2 and "no unit 'B9'" in r.stderr


def test_explain_wraps_under_its_labels(planned):
    """A wrapped line keeps its place: under the text after "why: ", not at the margin."""
    from staffplan.cli import _explained
    from staffplan.report.tables import render_text

    s, result, _ = planned
    lines = explain_officer(s, result, "H1a")
    text = render_text(lambda c: _explained(c, lines), 50).splitlines()
    why = next(i for i, line in enumerate(text) if line.startswith("  why: "))
    after = text[why + 1]
    assert after.startswith(" " * len("  why: ")) and after.strip()
    assert all(line.startswith("  ") for line in text[1:] if line.strip())


def test_report_of_an_impossible_plan_says_why(tmp_path):
    path = write_scenario(tmp_path / "s", small_county()[:3],
                          [officer("H", "H1", pinned="yes"), officer("S", "S1")],
                          {"station_share": {"county": 0.9, "district": 0.9}})
    out = tmp_path / "r.html"
    r = runner.invoke(app, ["report", str(path), "--out", str(out)])
    assert r.exit_code == 1
    text = out.read_text(encoding="utf-8")
    assert "No plan can meet the rules" in text and "can reach at most 50.0% (target 90.0%)" in text


def test_a_roster_without_hire_dates_says_ids_decide(tmp_path):
    """A roster whose hire dates sit under another header (hire_date: only noted as ignored)
    is planned with ids deciding among alike officers: said on stderr, and in each reason."""
    from typer.testing import CliRunner

    from staffplan.cli import app
    from tests.conftest import officer, small_county, write_scenario

    path = write_scenario(tmp_path, small_county(),
                          [officer(f"H{i}", "H1") for i in range(4)],
                          {"staff_every_post": True})
    roster = tmp_path / "officers.csv"
    lines = roster.read_text(encoding="utf-8").splitlines()
    roster.write_text("\n".join([lines[0].replace(",hired,", ",hire_date,")] + lines[1:])
                      + "\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["plan", str(path), "--out", str(tmp_path / "out"),
                                 "--lang", "en"])
    assert r.exit_code == 0, r.output
    assert "no column 'hired' (the hire date)" in r.stderr
    reasons = (tmp_path / "out" / "assignments.csv").read_text(encoding="utf-8-sig")
    assert "first by id (no hire date)" in reasons


@pytest.mark.parametrize("xlsx", [False, True], ids=["csv", "xlsx"])
@pytest.mark.parametrize("column", ["id", "unit", "home_unit", "hired", "pinned", "bureau"])
def test_another_rows_name_in_any_column_is_never_shown(tmp_path, xlsx, column):
    """A name pasted into another row (any column; an .xlsx, where no comma shifts values,
    too) is personal data: the message names row and column, never the name."""
    from openpyxl import Workbook

    officers = [officer(f"A{i}", "S1", name=n) for i, n in enumerate(["周艳", "王伟", "李娜"])]
    officers[1][column] = "周艳"
    if column == "id":
        officers[2][column] = "周艳"  # a duplicate id: said without the id
    path = write_scenario(tmp_path, small_county(), officers)
    if xlsx:
        import csv

        rows = list(csv.reader((tmp_path / "officers.csv").open(encoding="utf-8")))
        wb = Workbook()
        for r in rows:
            wb.active.append(r)
        wb.save(tmp_path / "officers.xlsx")
        path.write_text(path.read_text(encoding="utf-8").replace("officers.csv", "officers.xlsx"),
                        encoding="utf-8")
    r = CliRunner().invoke(app, ["check", str(path), "--lang", "en"])
    assert r.exit_code == 2, r.output
    assert "周艳" not in r.output and "row 3" in r.stderr


def test_dates_after_the_plan_date_are_not_taken_for_a_comma_in_the_name(tmp_path):
    """Two well-formed dates after the plan date (a mistyped plan_date) are said as such; the
    row is not said to be shifted by a comma in the name."""
    path = write_scenario(tmp_path, small_county(),
                          [officer("A", "P1", community_since="2015-01-01", hired="2014-01-01")],
                          plan_date="2012-06-30")
    r = CliRunner().invoke(app, ["check", str(path), "--lang", "en"])
    assert r.exit_code == 2
    assert "is after the plan date 2012-06-30" in r.stderr
    assert "comma" not in r.stderr


@pytest.mark.parametrize("name", ["周艳", "Mary Ann"])
def test_an_id_that_is_a_name_of_the_file_is_bad_input(tmp_path, name):
    """An officer whose id is another's name (or their own) would be named by it in every
    finding: refused, without showing it."""
    officers = [officer("A1", "S1", name=name), officer("A2", "S1", name="王伟")]
    officers[1]["id"] = name.split()[0] if " " in name else name
    path = write_scenario(tmp_path, small_county(), officers)
    for fmt in ("table", "json", "markdown"):
        r = CliRunner().invoke(app, ["check", str(path), "-f", fmt, "--lang", "en"])
        assert r.exit_code == 2
        assert name.split()[0] not in r.output and "the id is a name of this file" in r.stderr


@pytest.mark.parametrize("pasted", ["Mary Ann", "MARY ANN FEATHERSTONE", "Featherstone",
                                    "欧阳娜娜"])
def test_pieces_and_spellings_of_a_name_are_never_shown(tmp_path, pasted):
    officers = [officer("A1", "S1", name="Mary Ann Featherstone"),
                officer("A2", "S1", name="欧阳 娜娜"), officer("A3", "S1", name="王伟")]
    officers[2]["unit"] = pasted
    path = write_scenario(tmp_path, small_county(), officers)
    import csv

    from openpyxl import Workbook

    wb = Workbook()  # an .xlsx: no value is hidden for standing right of the name
    for row in csv.reader((tmp_path / "officers.csv").open(encoding="utf-8")):
        wb.active.append(row)
    wb.save(tmp_path / "officers.xlsx")
    path.write_text(path.read_text(encoding="utf-8").replace("officers.csv", "officers.xlsx"),
                    encoding="utf-8")
    r = CliRunner().invoke(app, ["check", str(path), "--lang", "en"])
    assert r.exit_code == 2 and "row 4, column unit" in r.stderr
    assert pasted not in r.output
