"""The .xlsx writer: what a spreadsheet reads back."""

from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl

from staffplan.report.xlsx import Sheet, workbook


def test_dates_read_back_as_the_same_days_either_side_of_march_1900():
    days = [date(1900, 1, 1), date(1900, 2, 28), date(1900, 3, 1), date(1993, 6, 16),
            date(2016, 2, 29), date(2021, 6, 30), date(9999, 12, 31)]
    data = workbook([Sheet("Days", ["day"], [[d] for d in days])], datetime(2021, 6, 30))
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    read = [row[0] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert [r.date() for r in read] == days
    assert all(c.number_format == "yyyy-mm-dd" for c in ws["A"][1:])
