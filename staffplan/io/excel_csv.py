"""CSV for people who open it in Excel: UTF-8 with a BOM, and no cell Excel runs as code.

The policy (OWASP, "CSV Injection"): a cell whose text starts with ``=``, ``+``, ``-``, ``@``,
a tab, a carriage return or a line feed (or their full-width forms ``＝ ＋ － ＠``) is written
with a leading apostrophe, so a spreadsheet shows it as text and never evaluates it. A cell
that already starts with an apostrophe gets one more, so the rule can be undone exactly:
:func:`from_cell` (which every CSV reader of staffplan applies) removes one leading
apostrophe before one of these characters or another apostrophe. An id such as ``-1`` or
``=B01`` therefore reads back as it was written, and ``check --assignments`` sees the ids of
the roster.

Every value is also quoted by the csv module as needed (commas, quotes, line breaks); lines
end with CRLF as RFC 4180 and Excel have it, which also makes the csv module quote a lone
carriage return inside a value (with ``\n`` line ends it would not, and the row would break).
"""

from __future__ import annotations

import csv
import io

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
BOM = "\ufeff"


def to_cell(value: object) -> str:
    """A value as a CSV cell Excel shows as text (a number stays a number)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    text = "" if value is None else str(value)
    if text.startswith(TRIGGERS) or text.startswith("'"):
        return "'" + text
    return text


def from_cell(text: str) -> str:
    """Undo :func:`to_cell`."""
    if text[:1] == "'" and (text[1:2] == "'" or text[1:].startswith(TRIGGERS)):
        return text[1:]
    return text


def write_rows(header: list[str], rows) -> str:
    """A CSV document for Excel: BOM, header, rows; every cell through :func:`to_cell`;
    CRLF line ends."""
    buf = io.StringIO(newline="")
    buf.write(BOM)
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([to_cell(h) for h in header])
    for row in rows:
        w.writerow([to_cell(v) for v in row])
    return buf.getvalue()
