"""Tables from CSV (UTF-8, with or without BOM) or Excel (.xlsx, first sheet).

A table is its header and its rows; each row keeps the line it came from (the header is
row 1), so every later message can name it.
"""

from __future__ import annotations

import csv
import os
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from staffplan.errors import Problems


@dataclass
class Table:
    path: Path
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (row number, column -> stripped text)


def read_table(path: Path, required: list[str], problems: Problems) -> Table | None:
    """Read a table; on a problem that stops reading, record it and return None."""
    name = str(path)
    if not path.is_file():
        problems.add(name, message="file not found" if not path.exists() else "not a file")
        return None
    try:
        if path.suffix.lower() == ".xlsx":
            header, raw = _read_xlsx(path)
        else:
            header, raw = _read_csv(path, problems)
            if header is None:
                return None
    except UnicodeDecodeError as exc:
        problems.add(name, message=f"not UTF-8 text (byte {exc.start}); save the file as UTF-8 CSV")
        return None
    except (OSError, csv.Error, ValueError, KeyError) as exc:
        problems.add(name, message=f"cannot read the file: {exc}")
        return None
    header = [h.strip() for h in header]
    if not any(header):
        problems.add(name, 1, message="the file is empty: a header row is needed")
        return None
    missing = [c for c in required if c not in header]
    for c in missing:
        problems.add(name, 1, c, "required column is missing")
    seen: set[str] = set()
    for c in header:
        if c and c in seen:
            problems.add(name, 1, c, "column appears twice")
        seen.add(c)
    if missing:
        return None
    rows = []
    for number, values in raw:
        if not any(v.strip() for v in values):
            continue  # blank line
        if len(values) > len(header) and any(v.strip() for v in values[len(header):]):
            problems.add(name, number, message=f"{len(values)} fields, but the header has {len(header)}")
            continue
        record = {h: (values[i].strip() if i < len(values) else "") for i, h in enumerate(header)}
        rows.append((number, record))
    return Table(path, header, rows)


def _read_csv(path: Path, problems: Problems):
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        try:
            header = next(reader)
        except StopIteration:
            problems.add(str(path), 1, message="the file is empty: a header row is needed")
            return None, []
        rows = [(reader.line_num, values) for values in reader]
    return header, rows


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


def _read_xlsx(path: Path):
    from openpyxl import load_workbook  # only when an Excel file is read

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb.worksheets[0]
        it = ws.iter_rows(values_only=True)
        header = [_cell_text(v) for v in next(it, ())]
        rows = [(i, [_cell_text(v) for v in values]) for i, values in enumerate(it, start=2)]
    finally:
        wb.close()
    while header and not header[-1]:
        header.pop()
    return header, rows


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write a file so that it is either whole or absent: a temporary file, then a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
