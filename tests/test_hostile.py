"""Careless and hostile input: no silent change to the data (C), exit 2 and not 3 for bad
input or a bad path (E), no personal data in messages, no input overwritten (H)."""

from __future__ import annotations

import csv
import io
import json
import warnings
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from staffplan.cli import app
from staffplan.io.roster import OFFICER_COLUMNS
from staffplan.report.xlsx import Formula, Sheet, workbook
from tests.conftest import officer, small_county, unit, write_csv, write_scenario

runner = CliRunner()


def run(*args):
    r = runner.invoke(app, [str(a) for a in args])
    # Exit 2 is a message, never an exception escaping (that would be exit 3).
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    return r


@pytest.fixture
def good(tmp_path):
    officers = [officer(f"H{i}", "H1", name=f"秘密{i}") for i in range(4)]
    officers += [officer("S", "S1", name="Li, Weiming"),
                 officer("P", "P1", community_since="2010-01-01")]
    return write_scenario(tmp_path / "good", small_county(), officers,
                          {"staff_every_post": True})


def _edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


# --- C. Silent changes ---------------------------------------------------------------------

def test_a_short_or_long_row_is_an_error_naming_row_and_fields(good):
    roster = good.parent / "officers.csv"
    lines = roster.read_text(encoding="utf-8").splitlines()
    lines[1] = "H0,秘密0"  # a field missing: the officer would have become a recruit
    lines[2] = lines[2] + ","  # an extra (empty) trailing field
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = run("check", good)
    assert r.exit_code == 2
    n = len(OFFICER_COLUMNS)
    assert f"officers.csv, row 2: 2 fields, but the header has {n}" in r.stderr
    assert f"officers.csv, row 3: {n + 1} fields, but the header has {n}" in r.stderr


def test_a_comma_in_a_name_never_shows_the_name(good):
    roster = good.parent / "officers.csv"
    text = roster.read_text(encoding="utf-8").replace('"Li, Weiming"', "Li, Weiming")
    roster.write_text(text, encoding="utf-8")
    r = run("check", good)
    n = len(OFFICER_COLUMNS)
    assert r.exit_code == 2 and f"{n + 1} fields, but the header has {n}" in r.stderr
    assert "Weiming" not in r.output and "Li" not in r.stderr.replace("Li,", "")


def test_a_name_in_another_column_is_not_echoed(tmp_path):
    officers = [officer("A", "王小明", name="王小明"), officer("B", "H1", name="Zhang Wei",
                                                           bureau="Wei")]
    path = write_scenario(tmp_path / "s", small_county(), officers)
    r = run("check", path)
    assert r.exit_code == 2
    assert "王小明" not in r.output and "'Wei'" not in r.output
    assert "(a value from the name column, not shown)" in r.stderr


def _xlsx_roster(good: Path, cells: list) -> Path:
    columns = ["id", "name", "unit"]
    rows = [["H0", "x", "H1"], ["S", "y", "S1"], ["P", "z", "P1"], ["H1", "w", cells[0]]]
    (good.parent / "officers.xlsx").write_bytes(
        workbook([Sheet("roster", columns, rows)], datetime(2021, 6, 30)))
    _edit(good, "officers.csv", "officers.xlsx")
    return good


def test_an_xlsx_formula_without_its_result_is_an_error_naming_the_cell(good):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["id", "name", "unit"])
    ws.append(["H0", "x", "=\"H\"&\"1\""])  # openpyxl saves no result
    ws.append(["H1", "y", "#REF!"])
    ws["C3"].data_type = "e"
    wb.save(good.parent / "officers.xlsx")
    _edit(good, "officers.csv", "officers.xlsx")
    r = run("check", good)
    assert r.exit_code == 2
    assert "officers.xlsx[Sheet], row 2: cell C2 holds a formula without a saved result" in r.stderr
    assert "cell C3 holds the Excel error #REF!" in r.stderr


def test_an_xlsx_formula_with_its_result_reads_as_the_result(good):
    _xlsx_roster(good, [Formula('="H"&"1"', "H1")])
    r = run("check", good, "-f", "json")
    assert r.exit_code in (0, 1), r.output
    assert json.loads(r.stdout)["unplaced_recruits"] == []  # not turned into a recruit


def test_a_duplicate_yaml_key_is_an_error_with_its_line(good):
    good.write_text(good.read_text(encoding="utf-8") + "rules:\n  community_share: 0.3\n",
                    encoding="utf-8")
    r = run("check", good)
    assert r.exit_code == 2 and "key 'rules' appears twice (first on line" in r.stderr


def test_the_encoding_is_said_and_can_be_set(good):
    roster = good.parent / "officers.csv"
    text = roster.read_text(encoding="utf-8").replace("秘密0", "Renée")
    text = text.replace("秘密1", "Noël").replace("秘密2", "x").replace("秘密3", "y")
    text = text.replace("姓名P", "Pérez")
    roster.write_bytes(text.encode("latin-1"))
    r = run("plan", good, "--out", good.parent / "out", "-q")
    assert r.exit_code == 0, r.output
    assert "read as gb18030, not UTF-8" in r.stderr
    _edit(good, "name: test", "name: test\nencoding: latin-1")
    r = run("plan", good, "--out", good.parent / "out", "-q")
    assert r.exit_code == 0 and "read as latin-1 (encoding: in the scenario)" in r.stderr
    names = {row["officer_name"] for row in csv.DictReader(io.StringIO(
        (good.parent / "out" / "assignments.csv").read_text(encoding="utf-8-sig")))}
    assert {"Renée", "Noël"} <= names
    _edit(good, "encoding: latin-1", "encoding: klingon")
    r = run("check", good)
    assert r.exit_code == 2 and "unknown encoding 'klingon'" in r.stderr


def test_an_empty_to_unit_for_a_serving_officer_is_a_violation(good, tmp_path):
    plan = write_csv(tmp_path / "plan.csv", ["officer_id", "to_unit"],
                     [{"officer_id": "H0", "to_unit": ""}, {"officer_id": "H1", "to_unit": "H1"}])
    r = run("check", good, "--assignments", plan, "-f", "json")
    assert r.exit_code == 1
    messages = [v["message"] for x in json.loads(r.stdout)["rules"] for v in x["violations"]]
    assert "officer H0 of H1 has no unit in the plan (to_unit is empty)" in messages


# --- E. Bad input or a bad path is exit 2 --------------------------------------------------

def test_a_units_file_with_only_a_header(good):
    (good.parent / "units.csv").write_text("id,name,kind,parent\n", encoding="utf-8")
    r = run("plan", good, "--out", good.parent / "out")
    assert r.exit_code == 2 and "units.csv, row 2: a header but no unit" in r.stderr


def test_dates_near_year_9999(good):
    _edit(good.parent / "officers.csv", "2010-01-01", "9999-12-30")
    r = run("plan", good, "--out", good.parent / "out")
    assert r.exit_code == 2 and "dates from 1900-01-01 to 2199-12-31 only" in r.stderr
    r = run("check", good, "--set", "plan_date=9999-12-31")
    assert r.exit_code == 2


@pytest.mark.parametrize("value", ["1e-20", "0.1234567"])
def test_a_share_with_too_many_decimals(good, value):
    r = run("plan", good, "--out", good.parent / "out", "--set", f"rules.community_share={value}")
    assert r.exit_code == 2 and "at most 6 decimal places" in r.stderr


def test_a_csv_named_xlsx_and_an_encrypted_workbook(good):
    (good.parent / "officers.xlsx").write_bytes((good.parent / "officers.csv").read_bytes())
    _edit(good, "officers.csv", "officers.xlsx")
    r = run("check", good)
    assert r.exit_code == 2 and "not an Excel workbook (.xlsx): not a zip file" in r.stderr
    (good.parent / "officers.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    r = run("check", good)
    assert r.exit_code == 2 and "password-protected" in r.stderr


def test_output_paths_that_cannot_be_written(good, tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    for args in (["check", good, "--output", folder, "-f", "json"],
                 ["check", good, "--approvals", folder],
                 ["report", good, "--out", folder],
                 ["plan", good, "--out", good / "out"],  # below a file
                 ["sweep", good, "--vary", "rules.community_share=0.1,0.2", "--out",
                  good / "out"],
                 ["check", good, "--output", "/proc/version/x", "-f", "json"]):
        r = run(*args)
        assert r.exit_code == 2, (args, r.output)
        assert "Traceback" not in r.output
    assert sorted(p.name for p in folder.iterdir()) == []


@pytest.mark.parametrize("vary", ["rules.community_share=a:b:c", "rules.community_share=0:nan:1",
                                  "rules.community_share=0:1e999999999:1",
                                  "rules.community_share=[0.1,{", "=0.1,0.2",
                                  "rules.community_share=0:1:0"])
def test_malformed_vary_values(good, vary):
    r = run("sweep", good, "--vary", vary, "--out", good.parent / "sweep")
    assert r.exit_code == 2, r.output
    assert not (good.parent / "sweep").exists()


# --- H. Inputs are never overwritten; generate asks before writing into a used folder -----

def test_check_refuses_to_overwrite_the_scenarios_inputs(good):
    before = (good.parent / "officers.csv").read_bytes()
    for args in (["--output", good.parent / "officers.csv", "-f", "json"],
                 ["--approvals", good.parent / "units.csv"], ["--output", good]):
        r = run("check", good, *args)
        assert r.exit_code == 2 and "this is an input of the scenario" in r.stderr, r.output
    assert (good.parent / "officers.csv").read_bytes() == before
    r = run("report", good, "--out", good.parent / "officers.csv")
    assert r.exit_code == 2 and (good.parent / "officers.csv").read_bytes() == before


def test_generate_refuses_a_used_folder_unless_forced(tmp_path):
    (tmp_path / "city").mkdir()
    (tmp_path / "city" / "officers.csv").write_text("precious", encoding="utf-8")
    r = run("generate", tmp_path / "city", "-n", "150")
    assert r.exit_code == 2 and "not empty; use --force" in r.stderr
    assert (tmp_path / "city" / "officers.csv").read_text(encoding="utf-8") == "precious"
    r = run("generate", tmp_path / "city", "-n", "150", "--force")
    assert r.exit_code == 0
    (tmp_path / "file").write_text("x", encoding="utf-8")
    r = run("generate", tmp_path / "file")
    assert r.exit_code == 2 and (tmp_path / "file").read_text(encoding="utf-8") == "x"


def test_ids_with_punctuation_and_chinese_plan_through_the_cli(tmp_path):
    units = [unit("东海", "county"), unit("东海-机关", "hq", "东海"),
             unit("S-1", "station", "东海", area="urban"),
             unit("S_1", "station", "东海", area="urban"),
             unit("P-1", "post", "S-1"), unit("P_1", "post", "S_1")]
    officers = [officer(f"警{i}", "东海-机关") for i in range(4)]
    path = write_scenario(tmp_path / "s", units, officers, {"staff_every_post": True})
    r = run("plan", path, "--out", tmp_path / "out", "-q")
    assert r.exit_code == 0, r.output


def test_formula_like_ids_survive_the_plan_file_round_trip(tmp_path):
    """assignments.csv protects ids such as -1 and =B1 for Excel; check reads them back."""
    ids = ["=B", "-1", "+x", "@y", "'q", "''r", "\tt"]
    units = small_county() + [unit("-S", "station", "B1", area="urban"), unit("=P", "post", "-S")]
    officers = [officer(i.strip(), "H1", name=f"=HYPERLINK(\"x\",\"{n}\")")
                for n, i in enumerate(ids)]
    path = write_scenario(tmp_path / "s", units, officers, {"staff_every_post": True})
    out = tmp_path / "out"
    r = run("plan", path, "--out", out, "-q")
    assert r.exit_code == 0, r.output
    text = (out / "assignments.csv").read_text(encoding="utf-8-sig")
    assert "\n=" not in text and "\n-" not in text and ",=P" not in text
    r = run("check", path, "--assignments", out / "assignments.csv", "-f", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["ok"] and data["moves"] == 3  # one officer to each of P1, P2 and =P


# --- B. Bounds: every count, amount and date read is bounded where it is read ---------------

def _units_cells(good: Path, row: str, new: str) -> None:
    path = good.parent / "units.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    i = next(i for i, line in enumerate(lines) if line.startswith(row + ","))
    lines[i] = new
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("value", ["99999999999999999999999", "10000001", "1e300", "1e999"])
def test_a_huge_count_in_the_units_file_is_bad_input(good, value):
    _units_cells(good, "S1", f"S1,S1,station,B1,urban,{value},,")
    for command in (["plan", good, "--out", good.parent / "out"], ["explain", good, "S"]):
        r = run(*command)
        assert r.exit_code == 2, r.output
        assert ("units.csv, row 4, column min_staff: too large: a number of officers is at most "
                "10,000,000") in r.stderr
    assert not (good.parent / "out").exists()


def _units_workbook(path: Path, duty_min, title: str | None = None) -> None:
    """The small county as a units workbook, its station's duty_min set to ``duty_min``."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    if title:
        ws.title = title
    ws.append(["id", "name", "kind", "parent", "area", "min_staff", "max_staff", "duty_min"])
    for row in [["B1", "B1", "county"], ["H1", "H1", "hq", "B1"],
                ["S1", "S1", "station", "B1", "urban", None, None, duty_min],
                ["P1", "P1", "post", "S1"], ["P2", "P2", "post", "S1"]]:
        ws.append(row)
    wb.save(path)


def test_a_huge_count_in_an_xlsx_units_file_is_bad_input(good):

    _units_workbook(good.parent / "units.xlsx", duty_min=1e300)
    _edit(good, "units.csv", "units.xlsx")
    r = run("plan", good, "--out", good.parent / "out")
    assert r.exit_code == 2, r.output
    assert "units.xlsx[Sheet], row 4, column duty_min: too large" in r.stderr


@pytest.mark.parametrize("setting,key,words", [
    ("budget.community_officer_yuan=100000000000000000000000000", "budget.community_officer_yuan",
     "an amount of yuan is at most 1,000,000,000,000,000"),
    ("budget.max_yuan=1e30", "budget.max_yuan", "an amount of yuan is at most"),
    ("budget.max_yuan=1.0e30", "budget.max_yuan", "an amount of yuan is at most"),
    ("budget.max_yuan={B1: 100000000000000000000}", "budget.max_yuan.B1",
     "an amount of yuan is at most"),
    ("budget.max_yuan=lots", "budget.max_yuan",
     "should be a whole number, or a mapping (key: value, e.g. one per bureau id)"),
    ("rules.daytime_duty={urban: 100000000000000000000000, rural: 1}",
     "rules.daytime_duty.urban", "a number of officers is at most 10,000,000"),
    ("changes.recruits={B1: 100000000000}", "changes.recruits.B1",
     "100,000,000,000 recruits is too many: at most 10,000"),
    ("changes.unit_bounds={S1: {min_staff: 1.0e300}}", "changes.unit_bounds.S1.min_staff",
     "a number of officers"),
    ("rules.community_share=[1]", "rules.community_share", "should be a number"),
    ("extends=3", "extends", "should be text, or a list"),
])
def test_huge_or_wrong_values_in_set_are_said_in_words(good, setting, key, words):
    r = run("plan", good, "--out", good.parent / "out", "--set", setting)
    assert r.exit_code == 2, r.output
    assert f"--set, key {key}: " in r.stderr and words in r.stderr, r.stderr
    assert "constrained" not in r.stderr and "dict[" not in r.stderr
    assert not (good.parent / "out").exists()


def test_promotion_counts_years_and_dates_are_bounded(tmp_path):
    from tests.promotion_helpers import bureau_units, cop, posting, write_round

    path = write_round(tmp_path / "r", bureau_units(), [cop("A", "B1-S1"), cop("B", "B1-H1")],
                       [posting("A", "B1-S1", "2015-01-01")], {"rank_slots": {"B1": 1}})
    for setting, expected in [
            ("promotions.rank_slots={B1: 100000000000000000000000}",
             "--set, key promotions.rank_slots.B1: too large"),
            ("promotions.min_years_in_rank=1.0e308", "--set, key promotions.min_years_in_rank: "
                                                     "too large: at most 100"),
            ("promotions.date=9999-12-31", "--set, key promotions.date: dates from 1900-01-01 "
                                           "to 2199-12-31 only")]:
        r = run("promote", path, "--out", tmp_path / "out", "--set", setting)
        assert r.exit_code == 2 and expected in r.stderr, (setting, r.output)
    with (tmp_path / "r" / "history.csv").open("a", encoding="utf-8") as f:
        f.write("B,B1-S1,officer,0001-01-01,9999-12-31\n")
    r = run("promote", path, "--out", tmp_path / "out")
    assert r.exit_code == 2, r.output
    assert "history.csv, row 3, column start: '0001-01-01': dates from 1900-01-01" in r.stderr
    assert "history.csv, row 3, column end: '9999-12-31': dates from" in r.stderr
    _edit(tmp_path / "r" / "officers.csv", "2015-01-01", "2250-01-01")
    r = run("promote", path, "--out", tmp_path / "out")
    assert r.exit_code == 2, r.output
    assert "officers.csv, row 2, column rank_since: '2250-01-01': dates from" in r.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("setting", ["=1", "rules..x=1", ".x=1", "rules.=1"])
def test_a_set_key_with_an_empty_part_blames_the_set_argument(good, setting):
    r = run("check", good, "--set", setting)
    assert r.exit_code == 2
    assert f"--set, key {setting}: expected KEY=VALUE with a dotted key" in r.stderr
    assert "scenario.yaml" not in r.stderr and "(top)" not in r.stderr


# --- Columns a reader does not know: a near miss is an error, another column a note ---------

def _rename_column(path: Path, old: str, new: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] = ",".join(new if h == old else h for h in lines[0].split(","))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _plan_file(tmp_path, columns=("officer_id", "to_unit"), encoding="utf-8", extra=""):
    rows = [("H0", "P1"), ("H1", "H1"), ("H2", "H1"), ("H3", "P2"), ("S", "S1"), ("P", "P1")]
    text = ",".join(columns) + "\n" + "".join(f"{a},{b}{extra}\n" for a, b in rows)
    path = tmp_path / "published.csv"
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("old,new,known", [("pinned", "pinnned", "pinned"),
                                           ("pinned", "Pinned", "pinned"),
                                           ("hired", "hire", "hired"),
                                           ("home_unit", "home unit", "home_unit"),
                                           ("community_since", "comunity_since",
                                            "community_since")])
def test_a_misspelt_officers_column_is_an_error(good, old, new, known):
    roster = good.parent / "officers.csv"
    _rename_column(roster, old, new)
    _edit(roster, "H0,秘密0,H1,,,,", "H0,秘密0,H1,,,,yes")
    r = run("plan", good, "--out", good.parent / "out")
    assert r.exit_code == 2, r.output
    assert f"officers.csv, row 1, column {new}: unknown column; did you mean '{known}'?" \
        in r.stderr
    assert not (good.parent / "out").exists()


def test_a_column_of_the_office_is_ignored_with_a_note(good):
    roster = good.parent / "officers.csv"
    _rename_column(roster, "move_approved", "备注")
    r = run("plan", good, "--out", good.parent / "out", "-q")
    assert r.exit_code == 0, r.output
    assert "note: " in r.stderr and "officers.csv, column 备注: a column staffplan does not use: " \
        "ignored" in r.stderr


def test_unknown_columns_in_units_xlsx_history_and_plan_files(good, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["id", "name", "kind", "parnet", "area"])
    wb.save(good.parent / "units.xlsx")
    _edit(good, "units.csv", "units.xlsx")
    r = run("check", good)
    assert r.exit_code == 2
    assert "units.xlsx[Sheet], row 1, column parnet: unknown column; did you mean 'parent'?" \
        in r.stderr
    _edit(good, "units.xlsx", "units.csv")
    for columns, exit_code, expected in [
            (("officer_id", "to_unt"), 2, "column to_unt: unknown column; did you mean 'to_unit'?"),
            (("officer_id", "to_unit", "approved_by"), None,
             "published.csv, column approved_by: a column staffplan does not use: ignored")]:
        plan = _plan_file(tmp_path, columns, extra=",x" if len(columns) > 2 else "")
        for args in (["check", good, "--assignments", plan],
                     ["plan", good, "--keep", plan, "--out", tmp_path / "out", "-q"]):
            r = run(*args)
            assert expected in r.stderr, (args, r.output)
            assert r.exit_code == 2 if exit_code else r.exit_code in (0, 1), (args, r.output)


def test_unknown_columns_in_a_history_and_a_promotion_list(tmp_path):
    from tests.promotion_helpers import bureau_units, cop, posting, write_round

    path = write_round(tmp_path / "r", bureau_units(), [cop("A", "B1-S1"), cop("B", "B1-H1")],
                       [posting("A", "B1-S1", "2015-01-01")], {"rank_slots": {"B1": 1}})
    history = tmp_path / "r" / "history.csv"
    _rename_column(history, "end", "ende")
    r = run("promote", path, "--out", tmp_path / "out")
    assert r.exit_code == 2 and "history.csv, row 1, column ende: unknown column; did you mean " \
        "'end'?" in r.stderr, r.output
    _rename_column(history, "ende", "end")
    listing = tmp_path / "list.csv"
    listing.write_text("officer_id,trak\nA,rank\n", encoding="utf-8")
    r = run("check", path, "--promotions", listing)
    assert r.exit_code == 2 and "list.csv, row 1, column trak: required column is missing" \
        not in r.stderr and "column trak: unknown column; did you mean 'track'?" in r.stderr


# --- Files that are not text, or not CSV: the row (and column) where it goes wrong --------

def test_a_nul_byte_or_a_bad_byte_names_its_row_and_column(good):
    roster = good.parent / "officers.csv"
    text = roster.read_text(encoding="utf-8")
    roster.write_bytes(text.replace("秘密2", "秘\x00").encode("utf-8"))
    r = run("check", good)
    assert r.exit_code == 2
    assert "officers.csv, row 4, column name: a NUL byte" in r.stderr
    roster.write_bytes(text.encode("utf-8").replace("秘密2".encode(), b"\xff\xfe\xff"))
    r = run("check", good)
    assert r.exit_code == 2
    assert "officers.csv, row 4, column name: neither UTF-8 nor GB18030/GBK" in r.stderr


def test_a_quote_never_closed_names_the_row_that_opened_it(good):
    roster = good.parent / "officers.csv"
    lines = roster.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace("秘密2", '"秘密2')
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = run("check", good)  # closed by the quote of "Li, Weiming" two rows below
    assert r.exit_code == 2
    assert ("officers.csv, row 4, column name: a quote (\") opened on this row closes only on "
            "row 6, making 14 fields where the header has 13") in r.stderr
    assert "Weiming" not in r.stderr and "秘密" not in r.stderr
    roster.write_text("\n".join(lines).replace('"Li, Weiming"', "Li Weiming") + "\n",
                      encoding="utf-8")
    r = run("check", good)  # closed by nothing
    assert r.exit_code == 2
    assert "officers.csv, row 4, column name: a quote (\") opened on this row is never closed" \
        in r.stderr
    assert "fields, but the header has" not in r.stderr and "秘密" not in r.stderr


def test_a_multi_line_value_is_reported_at_the_row_it_starts_on(good):
    roster = good.parent / "officers.csv"
    lines = roster.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace("秘密2", '"秘\n密2"').replace(",H1,", ",H9,")
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = run("check", good)
    assert r.exit_code == 2 and "officers.csv, row 4, column unit: unknown unit 'H9'" in r.stderr


def test_a_plan_file_not_in_utf8_is_said(good, tmp_path):
    plan = _plan_file(tmp_path, ("officer_id", "to_unit", "备注"), encoding="gbk", extra=",调动")
    for args in (["check", good, "--assignments", plan],
                 ["plan", good, "--keep", plan, "--out", tmp_path / "out", "-q"]):
        r = run(*args)
        assert r.exit_code in (0, 1), r.output
        assert "published.csv: read as gb18030, not UTF-8" in r.stderr, args
        assert "column 备注: a column staffplan does not use" in r.stderr


def _units_workbook_edited(good, edit) -> None:
    """The scenario's units as units.xlsx (sheet 编制, duty_min 12345 at H4), its sheet's XML
    passed through ``edit``."""
    import zipfile

    _units_workbook(good.parent / "plain.xlsx", duty_min=12345, title="编制")
    with zipfile.ZipFile(good.parent / "plain.xlsx") as zin, \
            zipfile.ZipFile(good.parent / "units.xlsx", "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = edit(data)
            zout.writestr(item, data)
    _edit(good, "units.csv", "units.xlsx")


@pytest.mark.parametrize("value", ["NaN", "inf", "-inf", "1e999"])
def test_an_xlsx_number_that_is_not_finite_names_sheet_and_cell(good, value):
    _units_workbook_edited(good, lambda data: data.replace(b"<v>12345</v>",
                                                           f"<v>{value}</v>".encode()))
    r = run("plan", good, "--out", good.parent / "out")
    assert r.exit_code == 2, r.output
    assert "units.xlsx[编制], row 4: cell H4 holds a number that is not finite" in r.stderr


# --- Names never leak, even when a comma in one shifts the values after it ----------------

SHIFTED = [
    # (the row of officer S as written, a value that must not show)
    ('S,Li,Weiming,S1,,,,,,,,,', "Weiming"),  # a trailing field missing: 13 fields again
    ('S,Li,Wei,Ming,S1,,,,,,,,', "Ming"),  # two commas, two fields missing
    ('S,Li,Weiming,S9,,,,,,,,,', "Weiming"),  # and another problem in the row
    ('S,Li,Weiming,S1,,,,maybe,,,,,', "Weiming"),
    ('S,Li,Weiming,,,2010-01-01,,,,,,,', "Weiming"),
]


@pytest.mark.parametrize("line,secret", SHIFTED)
def test_values_of_a_row_shifted_by_a_comma_in_the_name_are_not_echoed(good, line, secret):
    roster = good.parent / "officers.csv"
    text = roster.read_text(encoding="utf-8")
    start = text.index("S,")
    end = text.index("\n", start)
    roster.write_text(text[:start] + line + text[end:], encoding="utf-8")
    r = run("plan", good, "--out", good.parent / "out")
    assert r.exit_code == 2, r.output
    assert secret not in r.output and "'Li'" not in r.output and "Li," not in r.output
    assert "officers.csv, row 6" in r.stderr
    assert "comma in the name" in r.stderr or "it may be part of a name" in r.stderr
    assert not (good.parent / "out").exists()


def test_a_row_read_well_once_shifted_is_reported_as_shifted(good):
    roster = good.parent / "officers.csv"
    _edit(roster, '"Li, Weiming",S1,,,,,,,,,,', "Li,Weiming,S1,,,,,,,,,")
    r = run("check", good)
    assert r.exit_code == 2
    assert ("officers.csv, row 6, column name: the values right of this column read as "
            "shifted by 1 column(s): a comma in the name? put it in quotes") in r.stderr
    assert "unknown unit" not in r.stderr


def test_a_name_in_another_column_order_is_not_echoed(tmp_path):
    path = write_scenario(tmp_path / "s", small_county(), [])
    (tmp_path / "s" / "officers.csv").write_text(
        "id,unit,name,pinned,hired\nA,H1,Zhang,Wei,2010-01-01\nB,H1,Wang Fang,oui,\n",
        encoding="utf-8")
    r = run("check", path)
    assert r.exit_code == 2
    assert "Wei" not in r.output and "oui" not in r.output
    assert "officers.csv, row 2, column pinned" in r.stderr
    assert "officers.csv, row 3, column pinned: (a value right of the name column" in r.stderr


def test_plan_and_promotion_lists_do_not_echo_what_may_be_a_name(good, tmp_path):
    plan = tmp_path / "plan.csv"
    plan.write_text("officer_id,officer_name,to_unit\nH0,Wang,Wei\nH1,x,H1\n", encoding="utf-8")
    r = run("check", good, "--assignments", plan)
    assert r.exit_code == 2
    assert "Wei" not in r.output and "plan.csv, row 2, column to_unit" in r.stderr
    plan.write_text("officer_id,officer_name,to_unit\nH0,x,H9\n", encoding="utf-8")
    r = run("check", good, "--assignments", plan)
    assert r.exit_code == 2 and "unknown unit 'H9'" in r.stderr


def test_an_unknown_rank_is_shown_but_a_name_in_its_place_is_not(tmp_path):
    from tests.promotion_helpers import bureau_units, cop, posting, write_round

    officers = [cop("A", "B1-S1", rank="总警监"), cop("B", "B1-H1", rank="Weiming")]
    path = write_round(tmp_path / "r", bureau_units(), officers,
                       [posting("A", "B1-S1", "2015-01-01")], {"rank_slots": {"B1": 1}})
    r = run("promote", path, "--out", tmp_path / "out")
    assert r.exit_code == 2
    assert "rank '总警监' is not on the ladder" in r.stderr and "Weiming" not in r.output


# --- Ids and names are bounded in length where they are read ---------------------------------

def test_long_ids_and_names_are_bad_input_naming_row_column_and_length(good, tmp_path):
    roster = good.parent / "officers.csv"
    _edit(roster, "H0,秘密0,H1", "H0," + "秘" * 250 + ",H1")
    _edit(roster, "H1,秘密1,H1", "H" + "1" * 32_767 + ",秘密1,H1")
    r = run("plan", good, "--out", good.parent / "out")
    assert r.exit_code == 2
    assert ("officers.csv, row 2, column name: 250 characters long; a name has at most 200 "
            "(not shown)") in r.stderr
    assert "officers.csv, row 3, column id: 32,768 characters long; at most 100" in r.stderr
    assert "秘秘" not in r.output and "111111" not in r.output
    assert len(r.stderr) < 2000
    _edit(roster, "秘" * 250, "秘密0")
    _edit(roster, "H" + "1" * 32_767, "H1")
    plan = tmp_path / "plan.csv"
    plan.write_text("officer_id,to_unit\nH0," + "P" * 40_000 + "\n", encoding="utf-8")
    r = run("check", good, "--assignments", plan)
    assert r.exit_code == 2
    assert "plan.csv, row 2, column to_unit: 40,000 characters long; at most 100" in r.stderr
    assert len(r.stderr) < 2000
    plan.write_text("officer_id,to_unit\nH0,H1\nH1," + "P" * 200_000 + "\n", encoding="utf-8")
    r = run("check", good, "--assignments", plan)  # longer than the csv module reads
    assert r.exit_code == 2 and ("plan.csv, row 3, column to_unit: a value longer than "
                                 "131,072 characters") in r.stderr
    assert len(r.stderr) < 2000


def test_a_published_plan_that_leaves_an_officer_without_a_unit_is_malformed(good, tmp_path):
    plan = write_csv(tmp_path / "published.csv", ["officer_id", "to_unit"],
                     [{"officer_id": "H0", "to_unit": ""}, {"officer_id": "H1", "to_unit": "H1"}])
    r = run("plan", good, "--keep", plan, "--out", tmp_path / "out")
    assert r.exit_code == 2, r.output
    assert ("published.csv, row 2, column to_unit: to_unit is empty for officer H0, who is on "
            "the roster") in r.stderr
    assert not (tmp_path / "out").exists()


# --- Resources: what a scenario or a command asks for is bounded --------------------------

def test_generate_refuses_more_officers_than_it_can_hold(tmp_path):
    r = run("generate", tmp_path / "city", "--officers", "100000000000")
    assert r.exit_code == 2
    assert "100,000,000,000 officers is too many: at most 1,000,000" in r.stderr
    assert not (tmp_path / "city").exists() or not any((tmp_path / "city").iterdir())


def test_a_diamond_of_extends_reads_each_file_once(good):
    import time

    (good.parent / "l0.yaml").write_text(good.read_text(encoding="utf-8"), encoding="utf-8")
    for i in range(1, 25):
        (good.parent / f"l{i}.yaml").write_text(
            f"extends: [l{i - 1}.yaml, l{i - 1}.yaml]\n", encoding="utf-8")
    start = time.perf_counter()
    r = run("check", good.parent / "l24.yaml")
    assert r.exit_code in (0, 1), r.output
    assert time.perf_counter() - start < 10


def test_a_long_extends_chain_is_refused_naming_a_few_files(good):
    (good.parent / "c0.yaml").write_text(good.read_text(encoding="utf-8"), encoding="utf-8")
    for i in range(1, 400):
        (good.parent / f"c{i}.yaml").write_text(f"extends: c{i - 1}.yaml\n", encoding="utf-8")
    r = run("check", good.parent / "c399.yaml")
    assert r.exit_code == 2
    assert "more than 100 files in the extends chain" in r.stderr
    assert "c399.yaml -> " in r.stderr and "c398.yaml" in r.stderr and "... 95 more ..." \
        in r.stderr
    assert "c350.yaml" not in r.stderr and len(r.stderr) < 2000
    r = run("check", good.parent / "c60.yaml")
    assert r.exit_code in (0, 1), r.output


def test_a_horizon_has_at_most_20_steps(good):
    steps = ", ".join(f"{{date: {2022 + i}-06-30}}" for i in range(21))
    r = run("plan", good, "--out", good.parent / "out", "--set", f"horizon=[{steps}]")
    assert r.exit_code == 2 and "--set, key horizon: at most 20 entries" in r.stderr
    assert not (good.parent / "out").exists()


@pytest.mark.parametrize("vary,expected", [
    ("rules.community_share=0.4:0.5", "--vary, key rules.community_share: '0.4:0.5' is not a "
                                      "range: START:STOP:STEP"),
    ("rules.community_share=1e308:1e309:1e307", "START, STOP and STEP are at most "
                                                "1,000,000,000,000,000"),
    ("rules.community_sharee=0.4:0.5:0.05", "--vary, key rules.community_sharee: unknown key; "
                                            "did you mean 'community_share'? (every grid point)"),
    ("rules..x=1,2", "a --vary value is KEY=START:STOP:STEP"),
])
def test_vary_values_say_what_a_vary_value_looks_like(good, vary, expected):
    r = run("sweep", good, "--vary", vary, "--out", good.parent / "sweep")
    assert r.exit_code == 2, r.output
    assert expected in r.stderr
    assert r.stderr.count("•") == 1 and len(r.stderr) < 1000
    assert "unable to parse" not in r.stderr and not (good.parent / "sweep").exists()


@pytest.mark.parametrize("first,second", [
    ("rules.community_share", "rules.community_share"),
    ("rules.station_share", "rules.station_share.county"),  # a key inside the other
    ("rules.station_share.county", "rules.station_share")])
def test_a_key_varied_twice_is_bad_input(good, first, second):
    r = run("sweep", good, "--vary", f"{first}=0.4:0.42:0.01",
            "--vary", f"{second}=0.4:0.41:0.01", "--out", good.parent / "sweep")
    assert r.exit_code == 2, r.output
    assert f"--vary, key {second}: varied twice" in r.stderr
    assert not (good.parent / "sweep").exists()


@pytest.mark.parametrize("cap", ["1000000000000000", "999999999999999", "0"])
def test_the_largest_amounts_of_yuan_plan_without_a_crash(good, cap):
    r = run("plan", good, "--out", good.parent / "out", "-q", "-f", "json",
            "--set", "budget.community_officer_yuan=1000000000000000",
            "--set", f"budget.max_yuan={cap}")
    assert r.exit_code in (0, 1), r.output
    assert json.loads(r.stdout)["status"] in ("optimal", "infeasible")


def test_an_xlsx_date_out_of_excels_range_names_the_cell_without_a_warning(good):
    import zipfile
    from datetime import date

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["id", "name", "unit", "hired"])
    for i in range(4):
        ws.append([f"H{i}", "x", "H1", date(2010, 1, 1)])
    ws.append(["S", "y", "S1"])
    wb.save(good.parent / "plain.xlsx")
    with zipfile.ZipFile(good.parent / "plain.xlsx") as zin, \
            zipfile.ZipFile(good.parent / "officers.xlsx", "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = data.replace(b"<v>40179</v>", b"<v>1e300</v>", 1)
            zout.writestr(item, data)
    _edit(good, "officers.csv", "officers.xlsx")
    with warnings.catch_warnings(record=True) as said:  # would reach stderr
        warnings.simplefilter("always")
        r = run("check", good)
    assert r.exit_code == 2, r.output
    assert "officers.xlsx[Sheet], row 2: cell D2" in r.stderr
    assert not said, [str(w.message) for w in said]


# --- Round two of the hostile tests -----------------------------------------------------------

def _main(*args, cwd=None):
    """The real entry point in a fresh process (the handlers CliRunner does not run)."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    return subprocess.run([sys.executable, "-m", "staffplan", *map(str, args)], cwd=cwd or root,
                          capture_output=True, text=True)


def test_a_path_the_system_refuses_is_bad_input_not_a_traceback(tmp_path):
    long = tmp_path / ("a" * 300)
    for args in (["check", "examples/lianyungang/scenario.yaml", "--output", long],
                 ["plan", "examples/lianyungang/scenario.yaml", "--out", long / "o"]):
        r = _main(*args, "--lang", "en")
        assert r.returncode == 2, r.stderr
        assert "Traceback" not in r.stderr and "File name too long" in r.stderr


def test_a_codec_that_is_not_a_text_encoding_is_bad_input(tmp_path):
    path = write_scenario(tmp_path / "s", small_county(), [officer("a", "H1")],
                          extra={"encoding": "rot13"})
    r = run("check", path)
    assert r.exit_code == 2 and "rot13" in r.stderr, r.output


def test_a_number_of_thousands_of_digits_is_too_large_not_a_bug():
    r = _main("check", "examples/lianyungang/scenario.yaml", "--lang", "en",
              "--set", "budget.max_yuan.B01=" + "9" * 5000)
    assert r.returncode == 2 and "too large" in r.stderr, r.stderr[-500:]


def test_bad_input_at_a_sweep_point_in_a_worker_is_exit_2(tmp_path):
    r = _main("sweep", "examples/lianyungang/scenario.yaml", "--vary",
              "changes.recruits.B01=1,100000", "--out", tmp_path / "o", "--lang", "en")
    assert r.returncode == 2 and "too many" in r.stderr, r.stderr[-800:]
    assert "Traceback" not in r.stderr


def test_the_promotion_history_and_list_are_inputs_never_outputs(tmp_path):
    import shutil

    root = Path(__file__).resolve().parent.parent
    shutil.copytree(root / "examples" / "lianyungang", tmp_path / "ex")
    history = (tmp_path / "ex" / "history.csv").read_bytes()
    for args in (["check", "promotions.yaml", "--output", "history.csv"],
                 ["check", "promotions.yaml", "--approvals", "history.csv"],
                 ["report", "promotions.yaml", "--out", "history.csv"]):
        r = _main(*args, "--lang", "en", cwd=tmp_path / "ex")
        assert r.returncode == 2 and "promotions.history" in r.stderr, (args, r.stderr)
    assert (tmp_path / "ex" / "history.csv").read_bytes() == history


# --- Round three: what is not a regular file, and damaged workbooks -------------------------

def _main_bounded(*args, cwd=None, stdin=None, seconds: float = 60):
    """The real entry point in a fresh process, killed (and the test failed) when it waits:
    opening a FIFO for reading waits for a writer forever."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    try:
        return subprocess.run([sys.executable, "-m", "staffplan", *map(str, args), "--lang", "en"],
                              cwd=cwd or root, capture_output=True, text=True, stdin=stdin,
                              timeout=seconds)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"staffplan {' '.join(map(str, args))} waited") from None


@pytest.fixture
def example(tmp_path):
    import shutil

    root = Path(__file__).resolve().parent.parent
    shutil.copytree(root / "examples" / "lianyungang", tmp_path / "ex")
    return tmp_path / "ex"


FIFO = "not a regular file (a named pipe (FIFO)); staffplan reads only regular files"


@pytest.mark.parametrize("case", ["scenario", "extends", "officers", "units", "history",
                                  "retire_file", "keep", "assignments", "promotions"])
def test_a_fifo_given_for_any_file_is_refused_not_waited_on(example, case):
    import os

    os.mkfifo(example / "pipe")
    scenario = example / "promotions.yaml"
    args = ["check", scenario]
    if case == "scenario":
        args = ["check", "pipe"]
    elif case == "extends":
        _edit(scenario, "extends: scenario.yaml", "extends: pipe")
    elif case in ("officers", "units"):
        _edit(example / "scenario.yaml", f"{case}.csv", "pipe")
    elif case == "history":  # read by promote
        _edit(scenario, "history: history.csv", "history: pipe")
        args = ["promote", scenario, "--out", "out"]
    elif case == "retire_file":
        scenario.write_text(scenario.read_text(encoding="utf-8")
                            + "changes:\n  retire_file: pipe\n", encoding="utf-8")
    elif case == "keep":
        args = ["plan", "scenario.yaml", "--keep", "pipe", "--out", "out"]
    else:
        args = ["check", scenario, f"--{case}", "pipe"]
    r = _main_bounded(*args, cwd=example)
    assert r.returncode == 2, r.stderr[-2000:]
    # (history.csv's reader says "not a file" before it opens it through the same place)
    assert f"pipe: {FIFO}" in r.stderr  # said as for every file, the history too
    assert "Traceback" not in r.stderr and not (example / "out").exists()


def test_dev_stdin_as_the_scenario_is_refused_when_it_is_a_pipe(example):
    import subprocess

    r = _main_bounded("check", "/dev/stdin", cwd=example, stdin=subprocess.PIPE)
    assert r.returncode == 2, r.stderr[-2000:]
    assert f"/dev/stdin: {FIFO}" in r.stderr


def test_a_folder_given_for_a_table_is_named_a_folder(good):
    (good.parent / "roster").mkdir()
    _edit(good, "officers.csv", "roster")
    r = run("check", good)
    assert r.exit_code == 2
    assert ("roster: not a regular file (a folder); staffplan reads only regular files"
            in r.stderr)


def test_a_workbook_that_writes_a_cell_twice_is_bad_input_naming_sheet_and_cell(good):
    def twice(data: bytes) -> bytes:
        start = data.index(b'<c r="H4"')
        cell = data[start:data.index(b"</c>", start) + 4]
        return data.replace(cell, cell + cell.replace(b"12345", b"1"))

    _units_workbook_edited(good, twice)
    r = run("plan", good, "--out", good.parent / "out")
    assert r.exit_code == 2, r.output
    assert "units.xlsx[编制], row 4: cell H4 is written twice in the sheet" in r.stderr
    assert not (good.parent / "out").exists()


def test_thousands_of_problems_are_a_screen_not_a_flood(tmp_path):
    """Every problem is found, the first hundred are shown, the rest counted by file and
    column: a roster with 1,000 bad rows is not 1,000 lines on stderr."""
    from staffplan.errors import InputError, Problem

    exc = InputError([Problem("officers.csv", row, "unit", f"unknown unit 'X{row}'")
                      for row in range(2, 1002)]
                     + [Problem("units.csv", 5, "parent", "unknown unit 'Y'")])
    lines = str(exc).splitlines()
    assert len(exc.problems) == 1001 and len(lines) == InputError.SHOWN + 1
    assert lines[-1] == ("… and 901 more problem(s), not shown: 900 in officers.csv, column "
                         "unit; 1 in units.csv, column parent")


@pytest.mark.parametrize("magic", [b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"PK\x03\x04"],
                         ids=["xls", "xlsx"])
def test_a_workbook_given_as_csv_says_so(tmp_path, magic):
    path = write_scenario(tmp_path, small_county(), [officer("A", "S1")])
    (tmp_path / "officers.csv").write_bytes(magic + b"\x00" * 64)
    r = CliRunner().invoke(app, ["check", str(path), "--lang", "en"])
    assert r.exit_code == 2
    assert "officers.csv: an Excel workbook, not CSV text: name it .xlsx" in r.stderr


def test_a_title_row_above_the_header_says_where_the_header_is(tmp_path):
    path = write_scenario(tmp_path, small_county(), [officer("A", "S1")])
    roster = tmp_path / "officers.csv"
    roster.write_text("民警花名册（2021年6月）,,\n\n" + roster.read_text(encoding="utf-8"),
                      encoding="utf-8")
    r = CliRunner().invoke(app, ["check", str(path), "--lang", "en"])
    assert r.exit_code == 2
    assert ("officers.csv, row 1: the column names must be on row 1, and row 3 holds them"
            in r.stderr)
    assert "required column" not in r.stderr and "does not use" not in r.stderr  # said alone


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_unicode_text_with_a_bom_is_read_and_said(tmp_path, encoding):
    """Excel's "Unicode text" is UTF-16 with a BOM: read, with a note; no NUL in a header."""
    path = write_scenario(tmp_path, small_county(), [officer("A", "S1", name="周艳")])
    roster = tmp_path / "officers.csv"
    text = roster.read_text(encoding="utf-8")
    bom = {"utf-16-be": b"\xfe\xff"}.get(encoding, b"")
    roster.write_bytes(bom + text.encode(encoding))
    r = CliRunner().invoke(app, ["check", str(path), "--lang", "en"])
    assert r.exit_code in (0, 1), r.output
    assert f"read as {encoding.split('-be')[0]}" in r.stderr


def test_blank_lines_above_the_header_say_where_it_is(tmp_path):
    path = write_scenario(tmp_path, small_county(), [officer("A", "S1")])
    roster = tmp_path / "officers.csv"
    roster.write_text("\n\n" + roster.read_text(encoding="utf-8"), encoding="utf-8")
    r = CliRunner().invoke(app, ["check", str(path), "--lang", "en"])
    assert r.exit_code == 2
    assert "row 1: the column names must be on row 1, and row 3 holds them" in r.stderr


def test_an_xlsx_id_shown_with_leading_zeros_is_read_as_shown(tmp_path):
    """警号 typed into Excel as a number under the format 000000: Excel shows 001234, and
    staffplan reads 001234 (it read 1234, a silent change of the id)."""
    from openpyxl import Workbook

    from staffplan.errors import Problems
    from staffplan.io.tables import read_table

    wb = Workbook()
    ws = wb.active
    ws.append(["id", "name"])
    ws.append([1234, "x"])
    ws.append([1234, "y"])
    ws["A2"].number_format = "000000"
    wb.save(tmp_path / "o.xlsx")
    table = read_table(tmp_path / "o.xlsx", ["id"], Problems())
    assert [r["id"] for _, r in table.rows] == ["001234", "1234"]


def test_an_xlsx_holding_one_part_twice_is_a_damaged_file(tmp_path):
    import warnings
    import zipfile

    from openpyxl import Workbook

    from staffplan.errors import Problems
    from staffplan.io.tables import read_table

    wb = Workbook()
    wb.active.append(["id"])
    wb.active.append(["A"])
    wb.save(tmp_path / "a.xlsx")
    with zipfile.ZipFile(tmp_path / "a.xlsx") as src, \
            zipfile.ZipFile(tmp_path / "b.xlsx", "w") as out, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name
        for part in src.infolist():
            out.writestr(part, src.read(part))
        out.writestr("xl/worksheets/sheet1.xml",
                     src.read("xl/worksheets/sheet1.xml").replace(b">A<", b">B<"))
    problems = Problems()
    assert read_table(tmp_path / "b.xlsx", ["id"], problems) is None
    assert "xl/worksheets/sheet1.xml is in it twice" in str(problems.items[0])


@pytest.mark.parametrize("values", ["true,true", "0.4,0.40", "2,2.0"])
def test_a_vary_value_given_twice_is_bad_input(good, values):
    r = run("sweep", good, "--vary", f"rules.community_share={values}",
            "--out", good.parent / "sweep")
    assert r.exit_code == 2, r.output
    assert "is given twice" in r.stderr


def test_a_closed_stderr_changes_no_exit_code(good, tmp_path):
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "staffplan", "plan", str(good), "--out",
                        str(tmp_path / "o"), "-q"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, preexec_fn=lambda: __import__("os").close(2))
    assert r.returncode == 0
    assert (tmp_path / "o" / "assignments.csv").exists()
