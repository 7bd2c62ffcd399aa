"""Tables from CSV (UTF-8, with or without BOM) or Excel (.xlsx, first sheet).

A table is its header and its rows; each row keeps the line it came from (the header is
row 1), so every later message can name it.
"""

from __future__ import annotations

import csv
import errno
import io
import os
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from staffplan.errors import Problems
from staffplan.i18n import t
from staffplan.io.excel_csv import from_cell


@dataclass
class Table:
    path: Path
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (row number, column -> stripped text)
    headers: dict[str, str] = field(default_factory=dict)  # column -> header as written
    encoding: str = "utf-8"
    name: str = ""  # how messages name the file (with the sheet, for Excel)

    def label(self, column: str) -> str:
        """A column as the file writes it (a Chinese header stays Chinese in messages)."""
        return self.headers.get(column, column)


def read_table(path: Path, required: list[str], problems: Problems,
               aliases: dict[str, str] | None = None, sheet: str | None = None) -> Table | None:
    """Read a table; on a problem that stops reading, record it and return None.

    ``aliases`` maps other header names (the Chinese ones) to the column names; ``sheet``
    picks an Excel sheet by name (default: the first)."""
    name = str(path)
    encoding = "utf-8"
    if not path.is_file():
        problems.add(name, message=t("file_not_found") if not path.exists() else t("not_a_file"))
        return None
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            header, raw, sheet_name = _read_xlsx(path, sheet)
            name = f"{path}[{sheet_name}]"
            encoding = "xlsx"
        else:
            header, raw, encoding = _read_csv(path, problems)
            if header is None:
                return None
    except _NoSheet as exc:
        problems.add(name, column="sheet", message=t("no_sheet", sheet=exc.args[0],
                                                     sheets=", ".join(exc.args[1])))
        return None
    except UnicodeDecodeError as exc:
        problems.add(name, message=t("not_text", byte=exc.start))
        return None
    except (OSError, csv.Error, ValueError, KeyError) as exc:
        problems.add(name, message=t("cannot_read", error=exc))
        return None
    written = [h.strip() for h in header]
    aliases = aliases or {}
    header = [aliases.get(h, aliases.get(h.lower(), h)) for h in written]
    headers = {c: w for c, w in zip(header, written) if c != w}
    if not any(header):
        problems.add(name, 1, message=t("empty_file"))
        return None
    missing = [c for c in required if c not in header]
    for c in missing:
        problems.add(name, 1, c, t("missing_column"))
    seen: set[str] = set()
    for c in header:
        if c and c in seen:
            problems.add(name, 1, headers.get(c, c), t("column_twice"))
        seen.add(c)
    if missing:
        return None
    rows = []
    for number, values in raw:
        if not any(v.strip() for v in values):
            continue  # blank line
        if len(values) > len(header) and any(v.strip() for v in values[len(header):]):
            problems.add(name, number, message=t("ragged_row", fields=len(values), header=len(header)))
            continue
        record = {h: (values[i].strip() if i < len(values) else "") for i, h in enumerate(header)}
        rows.append((number, record))
    return Table(path, header, rows, headers, encoding, name)


# What Chinese Excel writes when it saves CSV: GB18030 (a superset of GBK and GB2312).
# UTF-8 is tried first and strictly: text in GBK is almost never valid UTF-8, so the first
# encoding that decodes the whole file is the file's.
ENCODINGS = ("utf-8-sig", "gb18030")


def detect_encoding(data: bytes) -> str:
    for encoding in ENCODINGS:
        try:
            data.decode(encoding)
            return "utf-8" if encoding == "utf-8-sig" and not data.startswith(b"\xef\xbb\xbf") \
                else ("utf-8-bom" if encoding == "utf-8-sig" else encoding)
        except UnicodeDecodeError:
            continue
    data.decode("utf-8")  # raises the UnicodeDecodeError the caller reports
    return "utf-8"


def _read_csv(path: Path, problems: Problems):
    data = path.read_bytes()
    encoding = detect_encoding(data)
    text = data.decode({"utf-8": "utf-8", "utf-8-bom": "utf-8-sig"}.get(encoding, encoding))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [from_cell(v) for v in next(reader)]
    except StopIteration:
        problems.add(str(path), 1, message=t("empty_file"))
        return None, [], encoding
    rows = [(reader.line_num, [from_cell(v) for v in values]) for values in reader]
    return header, rows, encoding


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class _NoSheet(Exception):
    pass


def _read_xlsx(path: Path, sheet: str | None):
    from openpyxl import load_workbook  # only when an Excel file is read

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        if sheet is None:
            ws = wb.worksheets[0]
        elif sheet in wb.sheetnames:
            ws = wb[sheet]
        else:
            raise _NoSheet(sheet, wb.sheetnames)
        it = ws.iter_rows(values_only=True)
        header = [_cell_text(v) for v in next(it, ())]
        rows = [(i, [_cell_text(v) for v in values]) for i, values in enumerate(it, start=2)]
        title = ws.title
    finally:
        wb.close()
    while header and not header[-1]:
        header.pop()
    return header, rows, title


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write a file so that it is either whole or absent: a temporary file, then a rename.
    A path that cannot be written (a folder, below a file, no permission) is an
    :class:`~staffplan.errors.OutputError` naming it (exit 2)."""
    from staffplan.errors import OutputError

    path = Path(path)
    if path.is_dir():
        raise OutputError(path, IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR)))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(exc.filename or path, exc) from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # as open() would have made it, not mkstemp's 0600
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):
            raise OutputError(path, exc) from None
        raise
