"""write_file (staffplan.report.output): a file whole or absent; a device, a pipe or a
link given as the output is written into (or through), never replaced by a file. (No test
writes to /dev/null: broken, it would replace the machine's device with a file.)"""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from staffplan.report.output import write_file


def test_a_regular_file_is_replaced_whole(tmp_path):
    path = tmp_path / "a.json"
    path.write_text("old")
    write_file(path, "new")
    assert path.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]  # no temporary file left


def test_a_link_stays_a_link_and_its_file_gets_the_text(tmp_path):
    target = tmp_path / "real.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    write_file(link, "new")
    assert link.is_symlink() and target.read_text() == "new"


def test_a_pipe_is_written_into_not_replaced(tmp_path):
    fifo = tmp_path / "ff"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text()), daemon=True)
    reader.start()
    write_file(fifo, "through the pipe")
    reader.join(timeout=10)
    assert got == ["through the pipe"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


# --- Reading: every file is opened in one place, which refuses what is not a regular file ----

def _released(fifo, read, seconds: float = 10.0):
    """``read()`` in a thread. If it still waits after ``seconds`` (it opened the FIFO for
    reading, which blocks until a writer comes), a writer is opened so that it ends; the test
    then fails instead of hanging."""
    got: list = []
    reader = threading.Thread(target=lambda: got.append(read()), daemon=True)
    reader.start()
    reader.join(timeout=seconds)
    if reader.is_alive():
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
        reader.join(timeout=seconds)
        raise AssertionError(f"reading {fifo} waited on the FIFO")
    return got[0]


def _problems_of(path, **kw):
    from staffplan.errors import Problems
    from staffplan.io.tables import read_table

    problems = Problems()
    table = read_table(path, ["id"], problems, **kw)
    return table, [str(p) for p in problems.items]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_fifo_table_is_refused_unopened(tmp_path, suffix):
    fifo = tmp_path / f"officers{suffix}"
    os.mkfifo(fifo)
    table, said = _released(fifo, lambda: _problems_of(fifo))
    assert table is None
    assert said == [f"{fifo}: not a regular file (a named pipe (FIFO)); staffplan reads only "
                    "regular files"]


def test_read_bounded_refuses_a_fifo_unopened(tmp_path):
    """read_bounded is what the scenario reader and history.csv's use."""
    from staffplan.io.tables import NotRegular, read_bounded

    fifo = tmp_path / "s.yaml"
    os.mkfifo(fifo)

    def read():
        try:
            return read_bounded(fifo, 1000)
        except NotRegular as exc:
            return exc

    assert isinstance(_released(fifo, read), NotRegular)


def test_a_folder_a_socket_and_a_device_are_refused_by_kind(tmp_path):
    import socket

    from staffplan.io.tables import NotRegular, open_regular

    folder = tmp_path / "officers.csv"
    folder.mkdir()
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(tmp_path / "units.csv"))
    try:
        for path, kind in [(folder, "a folder"), (tmp_path / "units.csv", "a socket"),
                           ("/dev/zero", "a character device")]:
            with pytest.raises(NotRegular) as exc:
                open_regular(path)
            assert exc.value.message() == f"not a regular file ({kind}); staffplan reads only " \
                                          "regular files"
            assert _problems_of(path)[1] == [f"{path}: {exc.value.message()}"]
    finally:
        sock.close()


def test_a_fifo_put_in_a_files_place_after_the_check_is_refused_not_waited_on(tmp_path,
                                                                              monkeypatch):
    """The file is checked again once opened (opened without waiting): a FIFO that takes a
    regular file's place between the two is refused."""
    from staffplan.io import tables

    regular = tmp_path / "regular.csv"
    regular.write_text("id\n", encoding="utf-8")
    fifo = tmp_path / "officers.csv"
    os.mkfifo(fifo)
    real = os.stat
    monkeypatch.setattr(tables.os, "stat", lambda p, *a, **k: real(regular if str(p) == str(fifo)
                                                                   else p, *a, **k))

    def read():
        try:
            tables.open_regular(fifo).close()
        except tables.NotRegular as exc:
            return exc.kind

    assert _released(fifo, read) == "ftype_fifo"


def test_a_link_to_a_regular_file_is_read(tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("id\nA\n", encoding="utf-8")
    link = tmp_path / "officers.csv"
    link.symlink_to(real)
    table, said = _problems_of(link)
    assert said == [] and table.rows == [(2, {"id": "A"})]


# --- CSV: bounded columns, lines, line length; notes about columns in one line -----------------

def test_more_columns_than_the_bound_is_one_problem_before_the_rows(tmp_path, monkeypatch):
    from staffplan.io import tables

    monkeypatch.setattr(tables, "difflib", None)  # no column is compared with the known ones
    path = tmp_path / "officers.csv"
    path.write_text("id," + ",".join(f"x{i}" for i in range(100_000)) + "\nA\n",
                    encoding="utf-8")
    notes: list[str] = []
    table, said = _problems_of(path, notices=notes)
    assert table is None and notes == []
    assert said == [f"{path}, row 1: 100,001 columns, more than the 1,000 staffplan reads"]


def test_columns_staffplan_does_not_use_are_one_note(tmp_path):
    path = tmp_path / "officers.csv"
    path.write_text("id," + ",".join(f"x{i}" for i in range(500)) + "\nA" + "," * 500 + "\n",
                    encoding="utf-8")
    notes: list[str] = []
    table, said = _problems_of(path, notices=notes)
    assert said == [] and table.rows == [(2, {"id": "A"})]
    assert notes == [f"{path}: 500 columns staffplan does not use: ignored (x0, x1, x2 and 497 "
                     "more)"]
    path.write_text("id,备注\nA,b\n", encoding="utf-8")  # one: as before
    notes.clear()
    _problems_of(path, notices=notes)
    assert notes == [f"{path}, column 备注: a column staffplan does not use: ignored"]


def test_columns_with_values_but_no_header_are_one_note(tmp_path):
    path = tmp_path / "officers.csv"
    path.write_text("id" + "," * 10 + "\n" + "A" + ",v" * 10 + "\n", encoding="utf-8")
    notes: list[str] = []
    table, said = _problems_of(path, notices=notes)
    assert said == [] and table.rows == [(2, {"id": "A"})]
    assert notes == [f"{path}: columns 2, 3, 4 and 7 more have values but no header: ignored"]


def test_only_the_columns_the_reader_uses_are_kept(tmp_path):
    path = tmp_path / "officers.csv"
    path.write_text("id,remark,name\nA,long remark,Li\n", encoding="utf-8")
    table, _ = _problems_of(path, known=["id", "name"])
    assert table.columns == ["id", "remark", "name"]
    assert table.rows == [(2, {"id": "A", "name": "Li"})]


def test_more_lines_than_the_bound_blank_ones_too_is_said_before_any_is_read(tmp_path,
                                                                            monkeypatch):
    from staffplan.io import tables

    monkeypatch.setattr(tables, "MAX_ROWS", 1000)
    path = tmp_path / "officers.csv"
    path.write_text("id\nA\n" + "\n" * 5000, encoding="utf-8")
    monkeypatch.setattr(tables, "csv_records", None)  # not read at all
    table, said = _problems_of(path)
    assert table is None
    assert said == [f"{path}: 5,002 lines (blank ones too), more than a header and the 1,000 "
                    "rows staffplan reads"]
    path.write_text("id\r" + "A\r" * 1001, encoding="utf-8")  # line ends of old Macs count
    assert "1,002 lines" in _problems_of(path)[1][0]
    path.write_text("id\r\n" + "A\r\n" * 1000 + "B", encoding="utf-8")  # and a last line
    assert "1,002 lines" in _problems_of(path)[1][0]
    path.write_text("id\r\n" + "A\r\n" * 999 + "B", encoding="utf-8")  # the bound: read
    monkeypatch.undo()
    monkeypatch.setattr(tables, "MAX_ROWS", 1000)
    table, said = _problems_of(path)
    assert said == [] and len(table.rows) == 1000


@pytest.mark.parametrize("text,row,column,what", [
    # one enormous value (quoted or not), on a line that ends or not
    ("id,name\nA,b\nB,\"" + "x" * 2_000_000 + "\"\n", 3, "name", "a value longer than 131,072"),
    ("id,name\nA,b\nB," + "x" * 2_000_000, 3, "name", "a value longer than 131,072"),
    ("id,name\nA," + "x" * 200_000 + "\nB,c\n", 2, "name", "a value longer than 131,072"),
    # a line of a million fields
    ("id,name\nA,b\n" + "," * 3_000_000 + "\n", 3, "", "a line longer than 1,000,000"),
    # the header itself
    ("id," + "x" * 2_000_000 + "\nA,b\n", 1, "", "a line longer than 1,000,000"),
])
def test_an_enormous_value_or_line_is_a_problem_naming_row_and_column(tmp_path, text, row,
                                                                      column, what):
    import tracemalloc

    path = tmp_path / "officers.csv"
    path.write_text(text, encoding="utf-8")
    tracemalloc.start()
    try:
        table, said = _problems_of(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert table is None
    where = f"{path}, row {row}" + (f", column {column}" if column else "")
    assert len(said) == 1 and said[0].startswith(f"{where}: {what}"), said
    assert peak < 10 * len(text) + 20_000_000, peak  # no copy of 4 bytes a character


def test_lines_are_read_as_the_csv_module_reads_them_across_chunks(tmp_path, monkeypatch):
    """Line ends CRLF, CR and LF, values spanning lines, and chunks cut between them: the
    same records and line numbers as the csv module reading the whole text."""
    import csv
    import io
    import random

    from staffplan.io import tables

    monkeypatch.setattr(tables, "MAX_LINE", 50)
    rng = random.Random(7)
    pieces = ["a", "bb", ",", '"q,\r\n"', '"x\ry"', "\r\n", "\n", "\r", "", "é", '"z\n"']
    for _ in range(200):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 80)))
        text = text.replace("\r\r", "\r")
        if any(len(line) > 50 for line in io.StringIO(text, newline="")):
            continue
        reader = csv.reader(io.StringIO(text, newline=""))
        expected, line = [], 1
        for values in reader:
            expected.append((line, values))
            line = 1 + reader.line_num
        try:
            got = list(tables.csv_records(text))
        except tables.BadText:  # a quote never closed
            continue
        assert got == expected, repr(text)


# --- .xlsx: a sheet whose XML says two things about one cell or row is damaged ---------------

def _sheet_xml(tmp_path, edit) -> Path:
    """A roster workbook whose sheet XML goes through ``edit``."""
    import zipfile
    from datetime import datetime

    from staffplan.report.xlsx import Sheet, workbook

    rows = [["H0", "x", "H1"], ["S", "y", "S1"], ["P", "z", "P1"], ["Q", "w", "P2"]]
    plain = tmp_path / "plain.xlsx"
    plain.write_bytes(workbook([Sheet("roster", ["id", "name", "unit"], rows)],
                               datetime(2021, 6, 30)))
    path = tmp_path / "officers.xlsx"
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(path, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                new = edit(data.decode())
                assert new != data.decode()
                data = new.encode()
            zout.writestr(item, data)
    return path


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


@pytest.mark.parametrize("edit,row,message", [
    (lambda x: x.replace(_cell("B2", "x"), _cell("B2", "x") + _cell("B2", "evil")), 2,
     "cell B2 is written twice in the sheet"),
    (lambda x: x.replace(_cell("C2", "H1"), _cell("C2", "H1") + _cell("B2", "evil")), 2,
     "cell B2 is written after cell C2 in the sheet"),
    (lambda x: x.replace('<row r="4">', '<row r="3">'), 3, "row 3 is written twice in the sheet"),
    (lambda x: x.replace('<row r="5">', '<row r="3">'), 3,
     "row 3 is written after row 4 in the sheet"),
    (lambda x: x.replace(_cell("B3", "y"), _cell("B7", "y")), 3,
     "cell B7 is written in row 3 of the sheet"),
    (lambda x: x.replace('<row r="3">', '<row r="0">'), 3,
     "a row numbered '0' after row 2 in the sheet"),
    (lambda x: x.replace('<row r="3">', '<row r="x">'), 3,
     "a row numbered 'x' after row 2 in the sheet"),
])
def test_a_sheet_that_writes_a_cell_or_a_row_twice_or_out_of_place_is_damaged(tmp_path, edit,
                                                                             row, message):
    path = _sheet_xml(tmp_path, edit)
    table, said = _problems_of(path)
    assert table is None
    assert len(said) == 1 and said[0].startswith(f"{path}[roster], row {row}: {message} "
                                                 "(a damaged file"), said


def test_cells_and_rows_without_references_are_read_in_order(tmp_path):
    """A reference may be left out (the next cell, the next row): that is not damage."""
    import re

    path = _sheet_xml(tmp_path, lambda x: re.sub(r' r="[A-Z]*\d+"', "", x))
    table, said = _problems_of(path)
    assert said == []
    assert [(n, r["id"]) for n, r in table.rows] == [(2, "H0"), (3, "S"), (4, "P"), (5, "Q")]
