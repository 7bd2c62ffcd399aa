"""Workbooks as plan.xlsx needs them: sheets of rows with a bold frozen header, column
widths, an autofilter, percentages, real dates, formulas and conditional fills.

Built on XlsxWriter (constant-memory mode: a sheet is streamed, row by row, through a
temporary file), behind a small interface the rest of staffplan speaks: :class:`Sheet`
and :func:`workbook`.

Data never becomes code: every ``str`` cell is written as text, whatever it starts with
(``=``, ``+``, ``-``, ``@``, ``http://``); the only formulas are :class:`Formula` values, which
staffplan writes itself. Characters XML 1.0 forbids (control characters, lone surrogates,
U+FFFE and U+FFFF) are removed from every cell, sheet name and header. The same sheets give
the same bytes (the creation date is the one given; the zip's timestamps are fixed).
Tests read the files back with openpyxl.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime

RED, GREEN = "#FFC7CE", "#C6EFCE"
HEADER_FILL = "#DDEBF7"
MAX_TEXT = 32_767  # Excel's limit for a cell's text
# XML 1.0 allows tab, LF and CR, and nothing else below U+0020; no surrogates, no U+FFFE/FFFF.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


class Formula(str):
    """A formula staffplan writes itself (``=IF(...)``): the only kind of cell Excel
    evaluates. ``value`` is the result a reader that does not recalculate shows."""

    value: object

    def __new__(cls, text: str, value: object = None):
        obj = super().__new__(cls, text if text.startswith("=") else "=" + text)
        obj.value = value
        return obj


@dataclass
class Sheet:
    name: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    widths: dict[int, float] = field(default_factory=dict)  # 1-based column -> width
    percent: tuple[int, ...] = ()  # 1-based columns shown as 0.0%
    # (cell range, formula for its first cell, "red" | "green")
    conditional: list[tuple[str, str, str]] = field(default_factory=list)
    extra: list[list] = field(default_factory=list)  # rows after a blank line, unfiltered


def column(n: int) -> str:
    """1 -> A, 27 -> AA."""
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def clean_text(value: object) -> str:
    """A value as text XML 1.0 can hold: forbidden characters removed, Excel's length kept."""
    text = str(value)
    if _FORBIDDEN.search(text) is not None:
        text = _FORBIDDEN.sub("", text)
    return text[:MAX_TEXT]


def _width(value) -> int:
    """Characters a value shows as: Chinese counts double; a formula shows its short result."""
    if isinstance(value, Formula):
        return 4
    if isinstance(value, (date, datetime)):
        return 10
    text = str(value)
    return sum(2 if ord(c) >= 0x2E80 else 1 for c in text[:200])


def _sheet_names(sheets: list[Sheet]) -> list[str]:
    """Names Excel accepts: no []:*?/\\, at most 31 characters, unique, not empty."""
    out: list[str] = []
    for i, s in enumerate(sheets, start=1):
        base = _SHEET_NAME_BAD.sub("_", clean_text(s.name)).strip("'")[:31] or f"Sheet{i}"
        name, k = base, 1
        while name.lower() in (n.lower() for n in out):
            k += 1
            name = f"{base[:31 - len(str(k)) - 1]}~{k}"
        out.append(name)
    return out


_EPOCH = date(1899, 12, 30)  # Excel's day 0 in the 1900 date system, for days after
_SERIAL_FROM = date(1900, 3, 1)  # its phantom 29 February 1900


class _Writer:
    def __init__(self, book):
        self.book = book
        self.header = book.add_format({"bold": True, "bg_color": HEADER_FILL, "text_wrap": True,
                                       "valign": "vcenter"})
        self.percent = book.add_format({"num_format": "0.0%"})
        self.date = book.add_format({"num_format": "yyyy-mm-dd"})
        self.fills = {"red": book.add_format({"bg_color": RED}),
                      "green": book.add_format({"bg_color": GREEN})}

    def cell(self, ws, r: int, c: int, value, fmt=None) -> None:
        if value is None or value == "":
            return
        if isinstance(value, Formula):
            result = value.value
            ws.write_formula(r, c, clean_text(value), fmt,
                             "" if result is None else clean_text(result)
                             if isinstance(result, str) else result)
        elif isinstance(value, bool):
            ws.write_boolean(r, c, value, fmt)
        elif isinstance(value, (int, float)):
            if isinstance(value, float) and not math.isfinite(value):
                ws.write_string(r, c, str(value), fmt)
            else:
                ws.write_number(r, c, value, fmt)
        elif type(value) is date and value >= _SERIAL_FROM:
            # A day's serial number (what write_datetime writes, 20 times faster: 110,000
            # dates took 7 s); before March 1900 Excel's own leap-year bug needs XlsxWriter.
            ws.write_number(r, c, (value - _EPOCH).days, fmt or self.date)
        elif isinstance(value, (date, datetime)):
            ws.write_datetime(r, c, value, fmt or self.date)
        else:
            ws.write_string(r, c, clean_text(value), fmt)  # text, whatever it starts with

    def sheet(self, sheet: Sheet, name: str) -> None:
        ws = self.book.add_worksheet(name)
        for i, header in enumerate(sheet.headers, start=1):
            longest = max([_width(header)] + [_width(r[i - 1]) for r in sheet.rows[:500]
                                              if i - 1 < len(r) and r[i - 1] is not None])
            width = sheet.widths.get(i, min(max(8.0, longest * 1.1 + 2), 60.0))
            ws.set_column(i - 1, i - 1, width)
        ws.freeze_panes(1, 0)
        for c, header in enumerate(sheet.headers):
            self.cell(ws, 0, c, header, self.header)
        percent = {i - 1 for i in sheet.percent}
        r = 0
        for r, row in enumerate(sheet.rows, start=1):
            for c, v in enumerate(row):
                self.cell(ws, r, c, v, self.percent if c in percent else None)
        if sheet.extra:
            r += 1
            for row in sheet.extra:
                r += 1
                for c, v in enumerate(row):
                    self.cell(ws, r, c, v, self.percent if c in percent else None)
        if sheet.rows and sheet.headers:
            ws.autofilter(0, 0, len(sheet.rows), len(sheet.headers) - 1)
        for ref, formula, colour in sheet.conditional:
            ws.conditional_format(ref, {"type": "formula", "criteria": "=" + formula,
                                        "format": self.fills[colour]})


def workbook(sheets: list[Sheet], created: datetime, creator: str = "staffplan") -> bytes:
    """The .xlsx file's bytes."""
    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {
        "constant_memory": True,  # rows are streamed to a temporary file, not held
        "strings_to_formulas": False,  # data is text: "=HYPERLINK(...)" stays text
        "strings_to_urls": False,
        "strings_to_numbers": False,
        "nan_inf_to_errors": True,
    })
    book.set_properties({"created": created, "author": clean_text(creator)})
    w = _Writer(book)
    for sheet, name in zip(sheets, _sheet_names(sheets)):
        w.sheet(sheet, name)
    book.close()
    return buf.getvalue()
