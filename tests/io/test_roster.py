"""Bad input: every problem is reported at once, with its file, row and column."""

from __future__ import annotations

import pytest

from staffplan.errors import InputError
from staffplan.io.roster import load_scenario, parse_bool, read_assignments
from tests.conftest import officer, small_county, unit, write_scenario


def problems(path):
    with pytest.raises(InputError) as exc:
        load_scenario(path)
    return exc.value.problems


def located(path):
    """(file name, row, column, message) of every problem."""
    return [(p.file.rsplit("/", 1)[-1], p.row, p.column, p.message) for p in problems(path)]


def test_a_valid_scenario_loads(tmp_path):
    s = load_scenario(write_scenario(tmp_path, small_county(), [officer("A", "S1")]))
    assert [u.id for u in s.organisation.posts] == ["P1", "P2"]
    assert s.officers[0].unit == "S1"


def test_missing_files_are_named(tmp_path):
    path = write_scenario(tmp_path, small_county(), [])
    (tmp_path / "units.csv").unlink()
    (tmp_path / "officers.csv").unlink()
    got = located(path)
    assert got == [("officers.csv", 0, "", "file not found"),
                   ("units.csv", 0, "", "file not found")]


def test_missing_column(tmp_path):
    path = write_scenario(tmp_path, small_county(), [])
    (tmp_path / "units.csv").write_text("id,name,parent\nB1,x,\n", encoding="utf-8")
    assert located(path) == [("units.csv", 1, "kind", "required column is missing")]


def test_duplicate_ids(tmp_path):
    units = small_county() + [unit("S1", "station", "B1")]
    path = write_scenario(tmp_path, units, [officer("A", "S1"), officer("A", "S1")])
    got = located(path)
    assert ("units.csv", 7, "id", "duplicate id 'S1' (first on row 4)") in got
    assert ("officers.csv", 3, "id", "duplicate id 'A' (first on row 2)") in got


def test_unknown_parent_and_unit(tmp_path):
    units = small_county() + [unit("S9", "station", "NOPE")]
    officers = [officer("A", "S7"), officer("B", "H1", home_unit="X1"), officer("C", bureau="B7")]
    got = located(write_scenario(tmp_path, units, officers))
    assert ("units.csv", 7, "parent", "unknown unit 'NOPE'") in got
    assert ("officers.csv", 2, "unit", "unknown unit 'S7'") in got
    assert ("officers.csv", 3, "home_unit", "unknown unit 'X1'") in got
    assert ("officers.csv", 4, "bureau", "'B7' is not a bureau") in got


def test_post_whose_parent_is_not_a_station(tmp_path):
    units = small_county() + [unit("P9", "post", "H1")]
    got = located(write_scenario(tmp_path, units, []))
    assert got == [("units.csv", 7, "parent",
                    "the parent of a post must be a station, but 'H1' is a headquarters unit")]


def test_cycle(tmp_path):
    units = [unit("B1", "county"), unit("S1", "station", "S2"), unit("S2", "station", "S1")]
    got = located(write_scenario(tmp_path, units, []))
    assert got == [("units.csv", 3, "parent", "cycle in the tree: S1 -> S2 -> S1")]


def test_bad_date_number_bool_kind_and_area(tmp_path):
    units = small_county()
    units[2]["min_staff"] = "two"
    units[2]["area"] = "suburb"
    units.append(unit("X", "precinct", "B1"))
    officers = [officer("A", "P1", community_since="2019-13-01", pinned="maybe"),
                officer("B", "S1", hired="yesterday")]
    got = located(write_scenario(tmp_path, units, officers))
    assert ("units.csv", 4, "min_staff", "'two' is not a whole number of officers") in got
    assert ("units.csv", 4, "area", "'suburb' is not an area; use urban or rural") in got
    assert ("units.csv", 7, "kind",
            "'precinct' is not a kind; use one of county, district, hq, station, post") in got
    assert ("officers.csv", 2, "community_since", "'2019-13-01' is not a date (YYYY-MM-DD)") in got
    # Right of the name in a CSV file, a value without a digit may be a piece of a name
    # shifted by an unquoted comma: not shown (in an .xlsx file it is).
    hidden = "(a value right of the name column, not shown: it may be part of a name)"
    assert ("officers.csv", 2, "pinned",
            f"{hidden} is not a yes/no value (true/false, 1/0, yes/no, 是/否)") in got
    assert ("officers.csv", 3, "hired", f"{hidden} is not a date (YYYY-MM-DD)") in got


def test_min_above_max(tmp_path):
    units = small_county()
    units[2].update(min_staff="3", max_staff="2")
    got = located(write_scenario(tmp_path, units, []))
    assert got == [("units.csv", 4, "min_staff", "min_staff 3 is above max_staff 2")]


def test_community_since_needed_at_a_post_while_the_tenure_rule_is_on(tmp_path):
    path = write_scenario(tmp_path, small_county(), [officer("A", "P1")],
                          {"min_community_tenure_years": 3})
    assert located(path) == [("officers.csv", 2, "community_since",
                              "required for an officer at a post while the minimum community "
                              "tenure rule is on")]


def test_officer_at_a_bureau_and_a_recruit_pinned(tmp_path):
    officers = [officer("A", "B1"), officer("R", pinned="true")]
    got = located(write_scenario(tmp_path, small_county(), officers))
    assert ("officers.csv", 2, "unit",
            "'B1' is a bureau; officers serve in its hq units, stations or posts") in got
    assert ("officers.csv", 3, "pinned", "a recruit (no unit) cannot be pinned") in got


def test_bom_and_chinese_booleans(tmp_path):
    path = write_scenario(tmp_path, small_county(), [officer("A", "S1", pinned="是")])
    data = (tmp_path / "officers.csv").read_bytes()
    (tmp_path / "officers.csv").write_bytes(b"\xef\xbb\xbf" + data)
    s = load_scenario(path)
    assert s.officers[0].pinned is True
    assert s.officers[0].name == "姓名A"


def test_gb18030_csv_is_detected(tmp_path):
    """What Chinese Excel writes when it saves CSV."""
    from staffplan.io.tables import detect_encoding

    path = write_scenario(tmp_path, small_county(), [officer("A", "S1")])
    (tmp_path / "officers.csv").write_bytes("编号,姓名,单位,留任\nA,张三,S1,是\n".encode("gb18030"))
    s = load_scenario(path)
    assert (s.officers[0].name, s.officers[0].pinned) == ("张三", True)
    assert detect_encoding("编号,姓名".encode("gb18030")) == "gb18030"
    assert detect_encoding("编号,姓名".encode()) == "utf-8"
    assert detect_encoding(b"\xef\xbb\xbf" + "编号".encode()) == "utf-8-bom"


def test_not_text(tmp_path):
    path = write_scenario(tmp_path, small_county(), [officer("A", "S1")])
    (tmp_path / "officers.csv").write_bytes(b"id,name,unit\nA,\x80\xff,S1\n")
    [(name, row, col, msg)] = located(path)
    assert name == "officers.csv" and msg.startswith("neither UTF-8 nor GB18030/GBK text")


def test_chinese_headers_and_values(tmp_path):
    path = write_scenario(tmp_path, small_county(), [])
    (tmp_path / "units.csv").write_text(
        "编号,名称,类型,上级,区域,编制下限,编制上限\nB1,东海县公安局,县局,,,,\nS1,城东派出所,派出所,B1,城区,,\n"
        "P1,第1警务室,社区警务室,S1,,1,x\n", encoding="utf-8")
    (tmp_path / "officers.csv").write_text(
        "警号,姓名,现单位,入警日期,留任\nA,张三,S1,2010/3/1,否\nB,李四,P1,2010年13月1日,是\n",
        encoding="utf-8")
    got = located(path)
    assert got == [("officers.csv", 3, "入警日期", "'2010年13月1日' is not a date (YYYY-MM-DD)"),
                   ("units.csv", 4, "编制上限", "'x' is not a whole number of officers")]
    (tmp_path / "units.csv").write_text(
        "编号,名称,类型,上级,区域\nB1,东海县公安局,县局,,\nS1,城东派出所,派出所,B1,城区\n",
        encoding="utf-8")
    (tmp_path / "officers.csv").write_text("警号,姓名,现单位,入警日期\nA,张三,S1,2010/3/1\n",
                                           encoding="utf-8")
    s = load_scenario(path)
    assert s.organisation["S1"].kind.value == "station" and s.organisation["S1"].area == "urban"
    assert str(s.officers[0].hired) == "2010-03-01"


def test_ragged_row(tmp_path):
    path = write_scenario(tmp_path, small_county(), [])
    (tmp_path / "officers.csv").write_text("id,unit\nA,S1,extra\n", encoding="utf-8")
    assert located(path) == [("officers.csv", 2, "", "3 fields, but the header has 2")]


def test_problems_from_both_files_come_together(tmp_path):
    units = small_county() + [unit("S1", "station", "B1")]
    path = write_scenario(tmp_path, units, [officer("A", "NOPE")])
    files = {p[0] for p in located(path)}
    assert files == {"units.csv", "officers.csv"}


def test_excel_files_are_read(tmp_path):
    from openpyxl import Workbook

    path = write_scenario(tmp_path, small_county(), [officer("A", "S1")])
    wb = Workbook()
    ws = wb.active
    ws.append(["id", "name", "unit", "hired", "pinned"])
    ws.append(["A", "张三", "S1", "2010-05-01", True])
    ws.append(["B", "李四", "P9", None, None])
    wb.save(tmp_path / "officers.xlsx")
    text = path.read_text(encoding="utf-8").replace("officers.csv", "officers.xlsx")
    path.write_text(text, encoding="utf-8")
    assert located(path) == [("officers.xlsx[Sheet]", 3, "unit", "unknown unit 'P9'")]


@pytest.mark.parametrize("text,value", [("true", True), ("是", True), ("1", True), ("YES", True),
                                         ("否", False), ("0", False), ("", False), ("x", None)])
def test_parse_bool(text, value):
    assert parse_bool(text) is value


def test_read_assignments(tmp_path):
    s = load_scenario(write_scenario(tmp_path, small_county(),
                                     [officer("A", "S1"), officer("B", "H1")]))
    plan = tmp_path / "plan.csv"
    plan.write_text("officer_id,to_unit\nA,P1\nZ,P2\n", encoding="utf-8")
    got = read_assignments(plan, s)
    assert got.final == {"A": "P1", "B": "H1"}  # B left out: keeps H1, reported as missing
    assert got.missing == ["B"] and got.added == ["Z"] and got.rows == {"A": 2, "Z": 3}
    plan.write_text("officer_id,to_unit\nA,P1\nA,P2\nB,B1\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_assignments(plan, s)
    assert [(p.row, p.column) for p in exc.value.problems] == [(3, "officer_id"), (4, "to_unit")]


def test_written_files_are_whole_and_readable_by_others(tmp_path):
    import os
    import stat

    from staffplan.report.output import write_file

    path = tmp_path / "out" / "a.csv"
    write_file(path, "x\n")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask
    assert [p.name for p in path.parent.iterdir()] == ["a.csv"]  # no temporary file left


# --- A column that holds something other than what its header says ------------------------

SECRETS = ["周娥", "马萍", "徐芳", "杨健晨", "龚艳阳", "段鹏宁"]
COLUMNS = ["id", "name", "unit", "home_unit", "hired"]


def _roster(n: int) -> list[dict]:
    """n officers with real-looking names and ids; the fourth is borrowed from S1."""
    units = ["S1", "H1", "P1", "H1", "P2", "S1"]
    return [{"id": f"P{i + 1:06d}", "name": SECRETS[i], "unit": units[i],
             "home_unit": "S1" if i == 3 else "", "hired": "2010-01-01"} for i in range(n)]


def _write_swapped(path, rows: list[dict], columns: list[str], a: str, b: str) -> None:
    """rows under ``columns``, with the headers ``a`` and ``b`` swapped (not the values)."""
    header = [b if c == a else a if c == b else c for c in columns]
    lines = [",".join(header)] + [",".join(r.get(c, "") for c in columns) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _run(*args):
    from typer.testing import CliRunner

    from staffplan.cli import app

    r = CliRunner().invoke(app, [str(a) for a in args])
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    return r


@pytest.mark.parametrize("n", [1, 2, 6])
@pytest.mark.parametrize("other", ["unit", "id", "home_unit"])
def test_swapped_name_header_in_the_roster_shows_no_name_and_names_the_column(tmp_path, other,
                                                                              n):
    path = write_scenario(tmp_path, small_county(), [])
    rows = _roster(n)
    if other == "home_unit":
        for r in rows:
            r["home_unit"] = "S1"  # a borrowed officer on every row: the column is filled
            r["unit"] = "H1"
    _write_swapped(tmp_path / "officers.csv", rows, COLUMNS, "name", other)
    r = _run("check", path, "--lang", "en")
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output
    assert not [s for s in SECRETS if s in r.stdout + r.stderr]
    column = "name" if other == "id" else other
    assert f"officers.csv, row 1, column {column}: " in r.stderr
    assert "look swapped" in r.stderr and f"the headers {column} and " in r.stderr


def test_a_column_mostly_not_unit_ids_is_one_problem_naming_its_rows(tmp_path):
    officers = [officer(f"A{i}", f"X{i}", name=f"秘密{i}") for i in range(5)]
    got = located(write_scenario(tmp_path, small_county(), officers))
    assert got == [("officers.csv", 1, "unit",
                    "5 of 5 values are not unit ids (rows 2, 3, 4, 5, 6); no value is shown: "
                    "are the headers mixed up?")]


def test_a_few_unknown_units_are_still_said_row_by_row(tmp_path):
    officers = [officer("A", "S7"), officer("B", "H1"), officer("C", "S1")]
    assert located(write_scenario(tmp_path, small_county(), officers)) == [
        ("officers.csv", 2, "unit", "unknown unit 'S7'")]


def test_a_row_whose_name_cell_holds_a_unit_id_shows_none_of_its_values(tmp_path):
    """One row mixed up (not the headers): its name cell holds a unit, its unit cell a name."""
    officers = [officer("A", "周娥", name="S1"), officer("B", "H1", name="马萍"),
                officer("C", "S1", name="徐芳")]
    r = _run("check", write_scenario(tmp_path, small_county(), officers), "--lang", "en")
    assert r.exit_code == 2
    assert "周娥" not in r.output
    assert ("officers.csv, row 2, column unit: unknown unit (not shown: the name column does "
            "not hold a name here: are the columns mixed up?)") in r.stderr


def test_a_row_without_a_name_does_not_show_a_word_that_may_be_one(tmp_path):
    officers = [officer("A", "H1", name="", bureau="周娥"), officer("B", "S7", name=""),
                officer("C", "H1", name="徐芳")]
    got = located(write_scenario(tmp_path, small_county(), officers))
    assert ("officers.csv", 2, "bureau", "(not shown: the name of this row is empty, so a name "
            "may be in another column) is not a bureau") in got
    assert ("officers.csv", 3, "unit", "unknown unit 'S7'") in got  # an id: it holds a digit


@pytest.mark.parametrize("other", ["to_unit", "officer_id"])
@pytest.mark.parametrize("n", [1, 2, 6])
def test_swapped_headers_in_a_plan_file_show_no_name(tmp_path, other, n):
    rows = _roster(n)
    path = write_scenario(tmp_path / "s", small_county(), [
        officer(r["id"], r["unit"], name=r["name"]) for r in rows])
    plan = tmp_path / "plan.csv"
    plan_rows = [{"date": "2021-06-30", "officer_id": r["id"], "officer_name": r["name"],
                  "from_unit": r["unit"], "to_unit": r["unit"]} for r in rows]
    columns = ["date", "officer_id", "officer_name", "from_unit", "to_unit"]
    _write_swapped(plan, plan_rows, columns, "officer_name", other)
    for args in (["check", path, "--assignments", plan],
                 ["plan", path, "--keep", plan, "--out", tmp_path / "out"]):
        r = _run(*args, "--lang", "en")
        assert r.exit_code == 2, r.output
        assert not [s for s in SECRETS if s in r.stdout + r.stderr]
        assert f"plan.csv, row 1, column {other}: " in r.stderr
        assert f"the headers {other} and officer_name look swapped" in r.stderr
        assert not (tmp_path / "out").exists()


# --- Dates of the past are not later than the plan date -------------------------------------

def test_dates_of_the_past_after_the_plan_date_are_errors(tmp_path):
    officers = [officer("A", "P1", community_since="2021-07-01"),
                officer("B", "S1", hired="2021-07-01"),
                officer("C", bureau="B1", hired="2022-01-01"),  # a recruit who joins later
                officer("D", "S1", rank="一级警长", rank_since="2022-01-01"),  # no round: unread
                officer("E", "P2", community_since="2021-06-30", hired="2021-06-30")]
    assert located(write_scenario(tmp_path, small_county(), officers)) == [
        ("officers.csv", 2, "community_since", "2021-07-01 is after the plan date 2021-06-30: "
         "this date says what has already happened, so it cannot be later"),
        ("officers.csv", 3, "hired", "2021-07-01 is after the plan date 2021-06-30, but the "
         "officer is already at a unit: an officer who joins later is a recruit (leave unit "
         "empty)")]


def test_over_a_horizon_the_dates_of_the_roster_are_before_the_first_step(tmp_path):
    officers = [officer("A", "P1", community_since="2021-07-01"),
                officer("R", bureau="B1", hired="2022-03-01")]
    path = write_scenario(tmp_path, small_county(), officers,
                          extra={"horizon": [{"date": "2022-06-30"}]})
    assert located(path) == [
        ("officers.csv", 2, "community_since", "2021-07-01 is after the plan date 2021-06-30: "
         "this date says what has already happened, so it cannot be later")]


def test_a_unit_row_that_cannot_be_read_is_said_once_not_at_every_reference(tmp_path):
    """A station whose kind is misspelt: one problem, on its row; its posts and officers do
    not each say it is an unknown unit."""
    units = small_county()
    station = next(u for u in units if u["id"] == "S1")
    station["kind"] = "police station"
    path = write_scenario(tmp_path, units, [officer("A", "S1"), officer("B", "P1")])
    assert located(path) == [("units.csv", station_row(units, "S1"), "kind",
                              "'police station' is not a kind; use one of county, district, "
                              "hq, station, post")]


def station_row(units, uid: str) -> int:
    return 2 + [u["id"] for u in units].index(uid)
