"""CSV for Excel: no cell starts a formula, and what staffplan writes it reads back exact."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from staffplan.errors import Problems
from staffplan.io.excel_csv import TRIGGERS, from_cell, to_cell, write_rows
from staffplan.io.tables import read_table
from tests.hostile_strings import ALL, FORMULAS

# NUL is not text: a file holding one is refused (UTF-16 read as UTF-8 would be full of them).
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
               max_size=30)


@given(TEXT)
def test_a_cell_reads_back_as_written(value):
    assert from_cell(to_cell(value)) == value
    assert not to_cell(value).startswith(TRIGGERS)


@given(st.lists(st.lists(TEXT, min_size=2, max_size=2), max_size=5))
def test_a_file_reads_back_as_written(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("csv") / "plan.csv"
    path.write_text(write_rows(["officer_id", "to_unit"], rows), encoding="utf-8")
    problems = Problems()
    table = read_table(path, ["officer_id", "to_unit"], problems)
    assert table is not None and not problems
    kept = [r for r in rows if any(v.strip() for v in r)]  # blank lines are skipped
    assert [[rec["officer_id"], rec["to_unit"]] for _, rec in table.rows] == \
        [[v.strip() for v in r] for r in kept]


def test_formulas_are_text_and_the_file_starts_with_a_bom():
    text = write_rows(["x"], [[v] for v in ALL] + [[-3], [2.5]])
    assert text.startswith("\ufeff")
    cells = [row[0] for row in csv.reader(io.StringIO(text[1:], newline=""))][1:]
    for cell in cells[:-2]:
        assert not cell.startswith(TRIGGERS), cell  # Excel would evaluate it
    for value in FORMULAS:
        assert "'" + value in cells
    assert cells[-2:] == ["-3", "2.5"]  # numbers stay numbers
