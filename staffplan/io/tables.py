"""Tables from CSV (UTF-8, with or without BOM) or Excel (.xlsx, first sheet).

A table is its header and its rows; each row keeps the line it came from (the header is
row 1), so every later message can name it.
"""

from __future__ import annotations

import csv
import errno
import io
import os
import stat
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from staffplan.errors import Problem, Problems
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


# Bounds on what is read, so that no file makes staffplan run out of memory or time
# (a scenario pointing at /dev/zero, a zip bomb, one stray cell at XFD1048576).
MAX_TABLE_BYTES = 256 * 1024 * 1024  # a CSV file, or an .xlsx file as stored
MAX_XLSX_UNPACKED = 1024 * 1024 * 1024  # an .xlsx file's parts, unpacked
MAX_COLUMNS = 1000
MAX_ROWS = 2_000_000


def megabytes(n: int) -> str:
    return f"{n // (1024 * 1024):,} MB"


def read_bounded(path: Path, limit: int) -> bytes:
    """A regular file's bytes, or ValueError when it is longer than ``limit`` (read no
    further: /dev/zero ends here too)."""
    with open(path, "rb") as f:
        st = os.fstat(f.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise IsADirectoryError(errno.EINVAL, "not a regular file")
        if st.st_size > limit:
            raise _TooBig(megabytes(limit))
        data = f.read(limit + 1)
    if len(data) > limit:
        raise _TooBig(megabytes(limit))
    return data


class _TooBig(ValueError):
    pass


class _CellProblems(Exception):
    """Cells that cannot be read (a formula without its result, an error value)."""


def read_table(path: Path, required: list[str], problems: Problems,
               aliases: dict[str, str] | None = None, sheet: str | None = None,
               encoding: str | None = None, notices: list[str] | None = None) -> Table | None:
    """Read a table; on a problem that stops reading, record it and return None.

    ``aliases`` maps other header names (the Chinese ones) to the column names; ``sheet``
    picks an Excel sheet by name (default: the first); ``encoding`` overrides the detection
    of a CSV file's encoding. A CSV file read in another encoding than UTF-8 adds a line to
    ``notices``."""
    name = str(path)
    path = Path(path)
    used = "utf-8"
    if not path.is_file():
        problems.add(name, message=t("file_not_found") if not path.exists() else t("not_a_file"))
        return None
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            header, raw, sheet_name = _read_xlsx(path, sheet, problems)
            name = f"{path}[{sheet_name}]"
            used = "xlsx"
        else:
            header, raw, used = _read_csv(path, problems, encoding)
            if header is None:
                return None
    except _NoSheet as exc:
        problems.add(name, column="sheet", message=t("no_sheet", sheet=exc.args[0],
                                                     sheets=", ".join(exc.args[1])))
        return None
    except _CellProblems:
        return None
    except _TooBig as exc:
        problems.add(name, message=t("file_too_big", limit=exc.args[0]))
        return None
    except _NotXlsx as exc:
        problems.add(name, message=exc.args[0])
        return None
    except UnicodeDecodeError as exc:
        if encoding:
            problems.add(name, message=t("not_in_encoding", encoding=encoding, byte=exc.start))
        else:
            problems.add(name, message=t("not_text", byte=exc.start))
        return None
    except (OSError, csv.Error, ValueError, KeyError) as exc:
        error = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        problems.add(name, message=t("cannot_read", error=error))
        return None
    if notices is not None and used not in ("utf-8", "utf-8-bom", "xlsx"):
        notices.append(str(Problem(name, message=t("encoding_set", encoding=used) if encoding
                                   else t("encoding_used", encoding=used))))
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
    strict = used != "xlsx"  # a CSV row has as many fields as the header, no fewer, no more
    for number, values in raw:
        if not any(v.strip() for v in values):
            continue  # blank line
        if (strict and len(values) != len(header)) or (
                len(values) > len(header) and any(v.strip() for v in values[len(header):])):
            problems.add(name, number, message=t("ragged_row", fields=len(values),
                                                 header=len(header)))
            continue
        record = {h: (values[i].strip() if i < len(values) else "") for i, h in enumerate(header)}
        rows.append((number, record))
    return Table(path, header, rows, headers, used, name)


# What Chinese Excel writes when it saves CSV: GB18030 (a superset of GBK and GB2312).
# UTF-8 is tried first and strictly: text in GBK is almost never valid UTF-8, so the first
# encoding that decodes the whole file is the file's. Latin-1 text may also decode as
# GB18030: the encoding used is then said, and ``encoding:`` in the scenario overrides it.
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


def _read_csv(path: Path, problems: Problems, encoding: str | None = None):
    data = read_bounded(path, MAX_TABLE_BYTES)
    if encoding:
        text = data.decode(encoding)
        text = text.removeprefix("\ufeff")
    else:
        encoding = detect_encoding(data)
        text = data.decode({"utf-8": "utf-8", "utf-8-bom": "utf-8-sig"}.get(encoding, encoding))
    if "\x00" in text:
        raise ValueError(t("not_text", byte=text.index("\x00")))
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
        return (value.date().isoformat() if value.time() == datetime.min.time()
                else value.isoformat())
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class _NoSheet(Exception):
    pass


class _NotXlsx(Exception):
    pass


def _check_zip(path: Path) -> None:
    """Before openpyxl opens it: a real .xlsx (a zip), not bigger than the bounds."""
    import zipfile

    size = path.stat().st_size
    if size > MAX_TABLE_BYTES:
        raise _TooBig(megabytes(MAX_TABLE_BYTES))
    with open(path, "rb") as f:
        magic = f.read(8)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):  # an OLE file: encrypted .xlsx, or .xls
        raise _NotXlsx(t("xlsx_encrypted"))
    if not magic.startswith(b"PK"):
        raise _NotXlsx(t("not_xlsx", error="not a zip file (a CSV file named .xlsx?)"))
    try:
        with zipfile.ZipFile(path) as z:
            unpacked = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _NotXlsx(t("not_xlsx", error=exc.__class__.__name__)) from None
    if unpacked > MAX_XLSX_UNPACKED:
        raise _NotXlsx(t("xlsx_too_big", limit=megabytes(MAX_XLSX_UNPACKED)))


def _read_xlsx(path: Path, sheet: str | None, problems: Problems):
    """The sheet's rows as text. Its declared dimension is ignored (it may lie); at most
    MAX_COLUMNS columns and MAX_ROWS rows are read, data beyond is a problem. A formula is
    read as its saved result; one without a saved result, or an error value (#REF!), is a
    problem naming the cell."""
    from openpyxl import load_workbook  # only when an Excel file is read
    from openpyxl.utils import get_column_letter

    _check_zip(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # noqa: BLE001  (openpyxl raises many kinds on a broken file)
        raise _NotXlsx(t("not_xlsx", error=exc.__class__.__name__)) from None
    formulas: dict[tuple[int, int], str] = {}
    try:
        if sheet is None:
            ws = wb.worksheets[0]
        elif sheet in wb.sheetnames:
            ws = wb[sheet]
        else:
            raise _NoSheet(sheet, wb.sheetnames)
        title = ws.title
        ws.reset_dimensions()
        raw: list[tuple[int, list]] = []
        # Without a dimension, a missing row comes as () and a row ends at its last cell.
        for i, cells in enumerate(ws.iter_rows(), start=1):
            if not cells:
                continue
            if i > MAX_ROWS:
                raise _NotXlsx(t("sheet_too_big", what=f"row {MAX_ROWS:,}", limit=MAX_ROWS))
            if len(cells) > MAX_COLUMNS and any(c.value is not None for c in cells[MAX_COLUMNS:]):
                raise _NotXlsx(t("sheet_too_big", what=f"column {get_column_letter(MAX_COLUMNS)}",
                                 limit=MAX_COLUMNS))
            cells = cells[:MAX_COLUMNS]
            if not any(c.value is not None for c in cells):
                continue
            values = []
            for j, c in enumerate(cells):
                if c.data_type == "f":
                    formulas[(i, j)] = f"{get_column_letter(j + 1)}{i}"
                    values.append(None)
                elif c.data_type == "e":
                    problems.add(f"{path}[{title}]", i, message=t(
                        "xlsx_error", cell=f"{get_column_letter(j + 1)}{i}", value=c.value))
                    values.append(None)
                else:
                    values.append(c.value)
            raw.append((i, values))
    except (_NoSheet, _NotXlsx):
        raise
    except Exception as exc:  # noqa: BLE001
        raise _NotXlsx(t("not_xlsx", error=exc.__class__.__name__)) from None
    finally:
        wb.close()
    if formulas:
        _formula_results(path, title, raw, formulas, problems)
    if any(p.file == f"{path}[{title}]" for p in problems.items):
        raise _CellProblems()
    rows = [(i, [_cell_text(v) for v in values]) for i, values in raw]
    header = rows[0][1] if rows and rows[0][0] == 1 else []
    rows = rows[1:] if rows and rows[0][0] == 1 else rows
    while header and not header[-1]:
        header.pop()
    return header, rows, title


def _formula_results(path, title, raw, formulas, problems) -> None:
    """Formula cells read as the result Excel saved with them."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb[title]
        ws.reset_dimensions()
        at = {i: values for i, values in raw}
        for i, values in enumerate(ws.iter_rows(values_only=True), start=1):
            for (r, j), cell in formulas.items():
                if r == i:
                    if values[j] is None:
                        problems.add(f"{path}[{title}]", i, message=t("xlsx_formula", cell=cell))
                    else:
                        at[i][j] = values[j]
            if i >= max(r for r, _ in formulas):
                break
    finally:
        wb.close()


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write a file so that it is either whole or absent: a temporary file, then a rename.
    A path that cannot be written (a folder, below a file, no permission) is an
    :class:`~staffplan.errors.OutputError` naming it (exit 2)."""
    import stat

    from staffplan.errors import OutputError

    given = path = Path(path)
    if path.is_dir():
        raise OutputError(path, IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR)))
    try:
        mode = os.stat(path).st_mode  # through symbolic links
    except OSError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        # A device, a pipe or a terminal (/dev/stdout, /dev/null, a FIFO): written into,
        # never replaced by a file.
        try:
            with open(path, "wb") as f:
                f.write(data.encode("utf-8") if isinstance(data, str) else data)
        except OSError as exc:
            raise OutputError(given, exc) from None
        return
    if path.is_symlink():
        path = Path(os.path.realpath(path))  # the link stays; the file it names is replaced
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
