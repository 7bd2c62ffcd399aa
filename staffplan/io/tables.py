"""Tables from CSV (UTF-8, with or without BOM) or Excel (.xlsx, first sheet).

A table is its header and its rows; each row keeps the line it came from (the header is
row 1), so every later message can name it.
"""

from __future__ import annotations

import csv
import difflib
import errno
import io
import math
import os
import re
import stat
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from staffplan.bounds import (
    MAX_ID_LENGTH,
    MAX_NAME_LENGTH,
    MAX_TEXT_LENGTH,
    clip,
    length_problem,
)
from staffplan.errors import Problem, Problems, note
from staffplan.i18n import t
from staffplan.io.excel_csv import from_cell


class Hidden:
    """A value a message does not show (it may be personal data): says so instead."""

    def __init__(self, key: str, **values):
        self.text = t(key, **values)

    def __repr__(self) -> str:
        return self.text

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return self.text


@dataclass
class Table:
    path: Path
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (row number, column -> stripped text)
    headers: dict[str, str] = field(default_factory=dict)  # column -> header as written
    encoding: str = "utf-8"
    name: str = ""  # how messages name the file (with the sheet, for Excel)
    name_column: str | None = None  # the column of officers' names (personal data), if any

    # A value that is an id, a date or a number, never a name: written in ASCII with a digit
    # (P000001, B01-S03-P02, 2019-03-01, 78.2), or a date as Chinese Excel writes it.
    DATA = re.compile(r"[A-Za-z0-9._/:+\-]*\d[A-Za-z0-9._/:+\-]*|\d{4}年\d{1,2}月(\d{1,2}日?)?")
    # What a column holds that no name is (a row whose name column holds one is mixed up).
    NOT_NAMES = ("what_unit", "what_officer", "what_rank")
    MOSTLY = 3  # wrong values a column needs to be judged wrong with no column holding them

    @dataclass
    class Column:
        """What a column holds, as a reader judges it: its non-empty values, the rows of those
        that are not what it should hold (``what``, a message key), and, of each other column
        (by label), how many of its values are what this one should hold."""

        label: str
        what: str
        filled: int = 0
        wrong: list[int] = field(default_factory=list)
        elsewhere: dict[str, tuple[int, int]] = field(default_factory=dict)  # (held, filled)

    @classmethod
    def looks_like_data(cls, value: str) -> bool:
        """Is ``value`` an id, a date or a number rather than a name?"""
        return bool(cls.DATA.fullmatch(value))

    def label(self, column: str) -> str:
        """A column as the file writes it (a Chinese header stays Chinese in messages)."""
        return self.headers.get(column, column)

    @property
    def can_shift(self) -> bool:
        """Can a comma in a name move the values after it (a CSV file with a name column)?"""
        return self.name_column is not None and self.encoding != "xlsx"

    def after_name(self, column: str) -> bool:
        """Is ``column`` to the right of the name column (where a name's pieces land when a
        comma in it was not quoted)?"""
        if self.name_column is None or column not in self.columns:
            return False
        return self.columns.index(column) > self.columns.index(self.name_column)

    # --- Does each column hold what its header says? -------------------------------------

    def check_columns(self, problems: Problems, holds: dict, personal=(),
                      ids: str | None = None) -> set[str]:
        """Judge the columns a reader reads against what they should hold. ``holds``: column
        -> (what, values): ``what`` a message key (``what_unit``...), ``values`` anything
        ``in`` tells a right value by (the units, the roster, a date parser). ``personal``:
        names known to be personal data (the roster's), never shown. ``ids``: the column of
        the ids the file defines (a roster's ``id``), if any.

        A column most of whose values are not what it should hold (more than half, and at
        least ``MOSTLY`` of them, or any number when another column holds it: swapped
        headers) is one problem for the column, naming its rows, never a value. So is a name
        column most of whose values are what another column holds (unit ids, officer ids,
        ranks), or ids, dates or numbers while the ``ids`` column mostly holds none (swapped
        headers). Returns the labels of the columns judged wrong: the reader says nothing
        more of their values row by row, and :meth:`shown` shows none of them (nor, when the
        name column is wrong, any value of the file)."""
        self.expect(holds, personal)
        judged = {c: Table.Column(self.label(c), what) for c, (what, _) in self._holds.items()}
        for c, (_, values) in self._holds.items():
            col, right = judged[c], {}  # each distinct value tested once
            for row, r in self.rows:
                v = r.get(c, "")
                if v:
                    col.filled += 1
                    ok = right.get(v)
                    if ok is None:
                        ok = right[v] = v in values
                    if not ok:
                        col.wrong.append(row)
        for c, col in judged.items():
            if col.wrong and 2 * len(col.wrong) > col.filled:
                col.elsewhere = self._held_elsewhere(c)
        name = self._name_judged(ids) if self.name_column is not None else None
        wrong = Table.judge(self.name or str(self.path), list(judged.values()), name, problems)
        self._wrong = {c for c in self.columns if self.label(c) in wrong}
        return wrong

    def _name_judged(self, ids: str | None) -> Table.Column:
        """The name column as :meth:`judge` takes it: the rows whose name is what another
        column holds; or, when those are few, the rows whose name looks like an id, a date or
        a number, if the ``ids`` column mostly holds values that do not (and is then named as
        the column holding the names)."""
        name = Table.Column(self.label(self.name_column), "what_data")
        data: list[int] = []
        for row, r in self.rows:
            v = r.get(self.name_column, "")
            if v:
                name.filled += 1
                if self._held_by_another(v):
                    name.wrong.append(row)
                elif self.looks_like_data(v):
                    data.append(row)
        if 2 * len(name.wrong) > name.filled or ids not in self.columns or ids == self.name_column:
            return name
        plain = [v for _, r in self.rows if (v := r.get(ids, ""))]
        if 2 * (len(name.wrong) + len(data)) > name.filled and \
                2 * sum(map(self.looks_like_data, plain)) < len(plain):
            name.wrong = sorted(name.wrong + data)
            name.elsewhere = {self.label(ids): (len(plain), len(plain))}
        return name

    def expect(self, holds: dict, personal=(), wrong=()) -> None:
        """What :meth:`shown` knows without judging the columns (:meth:`check_columns`
        does): what they hold, the names known, the columns (labels) judged wrong
        elsewhere (the history reader judges its own)."""
        self._holds = {c: h for c, h in holds.items() if c in self.columns}
        self.__dict__.pop("_others", None)
        self._personal = personal
        self._wrong = {c for c in self.columns if self.label(c) in wrong}

    def _held_elsewhere(self, column: str) -> dict[str, tuple[int, int]]:
        """label -> (values that are what ``column`` should hold, non-empty values) of each
        other column not meant to hold the same."""
        what, values = self._holds[column]
        out = {}
        for c in self.columns:
            if not c or c == column or self._holds.get(c, ("",))[0] == what:
                continue
            held = filled = 0
            for _, r in self.rows:
                v = r.get(c, "")
                if v:
                    filled += 1
                    held += v in values
            out[self.label(c)] = (held, filled)
        return out

    def _held_by_another(self, value: str) -> bool:
        """Is ``value`` what another column holds (a unit id, an officer id, a rank)?"""
        if not hasattr(self, "_others"):  # each set of values once (unit, home_unit, bureau)
            self._others = list({id(v): v for what, v in getattr(self, "_holds", {}).values()
                                 if what in self.NOT_NAMES}.values())
        return any(value in values for values in self._others)

    def _not_a_name(self, value: str) -> bool:
        """Is ``value``, in the name column, what another column holds or an id, a date or a
        number (its row's columns are then mixed up)?"""
        return self.looks_like_data(value) or self._held_by_another(value)

    # --- What a message may show -----------------------------------------------------------

    def shown(self, row: int, column: str, value: str, known=()) -> str | Hidden:
        """``value`` of ``column`` at ``row`` as a message may quote it. Never a name the
        reader knows (``personal``, :meth:`check_columns`); nothing of a column judged wrong.
        In a file with a name column, never a value that may be personal data: the row's
        name or a piece of it (in any column); nothing of a row whose name cell holds what
        is not a name (a unit id, an officer id, an id, a date or a number: its columns are
        mixed up) nor of any row when the name column is judged wrong; in a row whose name
        cell is empty, and, in a CSV file, to the right of the name (where pieces of a name
        land when a comma in it was not quoted), a value that is neither one of ``known``
        (unit ids, ranks, yes/no words) nor holds a digit (as ids, dates and numbers do).
        Clipped."""
        value = value.strip()
        wrong = getattr(self, "_wrong", set())
        if value and value in getattr(self, "_personal", ()):
            return Hidden("hidden_name")
        if column in wrong:
            return Hidden("hidden_mixed", column=self.label(column))
        if self.name_column is None:
            return clip(value)
        name = self._names.get(row, "")
        if self.name_column in wrong or (name and self._not_a_name(name)):
            return Hidden("hidden_mixed", column=self.label(self.name_column))
        if name and value:
            pieces = {p for p in re.split(r"[\s,，、·.]+", name) if p}
            if value == name or value in pieces or (len(value) >= 2 and value in name):
                return Hidden("hidden_name")
        if value in known or any(c.isdigit() for c in value):
            return clip(value)
        if not name and value:
            return Hidden("hidden_no_name", column=self.label(self.name_column))
        if self.can_shift and self.after_name(column):
            return Hidden("hidden_value")
        return clip(value)

    @property
    def _names(self) -> dict[int, str]:
        if not hasattr(self, "_name_of"):
            self._name_of = {row: r.get(self.name_column, "") for row, r in self.rows}
        return self._name_of

    @staticmethod
    def judge(file: str, columns: list, name, problems: Problems) -> set[str]:
        """The columns (labels) that do not hold what their headers say (``Table.Column``,
        and the name column's), each one problem on the header row: how many of its values,
        on which rows, and the column that holds them when one does (swapped headers: that
        column is returned too); never a value. See :meth:`check_columns`; the history
        reader judges its columns here too."""
        wrong: set[str] = set()
        partners: set[str] = set()
        swaps: set[tuple[str, str]] = set()
        for col in columns:
            n = len(col.wrong)
            if not n or 2 * n <= col.filled:
                continue
            holders = [(held, label) for label, (held, filled) in col.elsewhere.items()
                       if held and 2 * held > filled]
            other = max(holders)[1] if holders else None
            if other is None and n < Table.MOSTLY:
                continue
            wrong.add(col.label)
            values = dict(n=f"{n:,}", filled=f"{col.filled:,}", what=t(col.what),
                          rows=Table._rows(col.wrong))
            if other is not None:
                partners.add(other)
                if (other, col.label) not in swaps:  # said once for the two of them
                    swaps.add((col.label, other))
                    problems.add(file, 1, col.label, t("col_swapped", other=other,
                                                       column=col.label, **values))
            else:
                problems.add(file, 1, col.label, t("col_not_holding", **values))
        if name is not None and name.wrong and 2 * len(name.wrong) > name.filled:
            wrong.add(name.label)
            values = dict(n=f"{len(name.wrong):,}", filled=f"{name.filled:,}",
                          what=t(name.what), rows=Table._rows(name.wrong))
            if name.elsewhere:
                other = next(iter(name.elsewhere))
                problems.add(file, 1, name.label, t("col_names_swapped", column=name.label,
                                                    other=other, **values))
            elif name.label not in partners:
                problems.add(file, 1, name.label, t("col_not_names", **values))
        return wrong | partners

    @staticmethod
    def _rows(rows: list[int], limit: int = 8) -> str:
        shown = ", ".join(str(r) for r in rows[:limit])
        return t("col_rows" if len(rows) > 1 else "col_row",
                 rows=shown + (", …" if len(rows) > limit else ""))


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


# A header this close to a known column's (difflib's ratio, case and separators aside) is
# taken for a misspelling of it: an error, not a column of the office's own.
NEAR_MISS = 0.8


def _plain(header: str) -> str:
    return re.sub(r"[\s\-.]+", "_", header.strip().lower())


def near_miss(header: str, known: list[str]) -> str | None:
    """The known column ``header`` misspells, if any."""
    plain = _plain(header)
    best, ratio = None, NEAR_MISS
    for column in known:
        r = difflib.SequenceMatcher(None, plain, _plain(column)).ratio()
        if r >= ratio:
            best, ratio = column, r
    return best


def check_header(name: str, written: list[str], columns: list[str], known: list[str],
                 aliases: dict[str, str], problems: Problems, say) -> None:
    """Columns staffplan does not know: a near miss of a known column (``pinnned``) is a
    problem, any other (an office's own column) a note that it is ignored."""
    spellings = list(dict.fromkeys(list(known) + list(aliases)))
    for w, c in zip(written, columns):
        if not w or c in known:
            continue
        match = near_miss(w, spellings)
        if match is not None:
            problems.add(name, 1, w, t("column_near_miss", column=match))
        else:
            say(str(Problem(name, column=clip(w), message=t("column_ignored"))))


def read_table(path: Path, required: list[str], problems: Problems,
               aliases: dict[str, str] | None = None, sheet: str | None = None,
               encoding: str | None = None, notices: list[str] | None = None,
               known: list[str] | None = None, ids: tuple[str, ...] = (),
               names: tuple[str, ...] = (), labels: tuple[str, ...] = ()) -> Table | None:
    """Read a table; on a problem that stops reading, record it and return None.

    ``aliases`` maps other header names (the Chinese ones) to the column names; ``sheet``
    picks an Excel sheet by name (default: the first); ``encoding`` overrides the detection
    of a CSV file's encoding. ``known``: every column the reader uses (default: the required
    ones and the aliases'); another column is a problem when it is a near miss of one
    (:func:`check_header`), else ignored with a note. Notes (also: a CSV file read in
    another encoding than UTF-8) go to :func:`staffplan.errors.note` (said at once) and to
    ``notices`` when given.

    Values are bounded in length: ``ids`` columns to ``MAX_ID_LENGTH`` characters,
    ``names`` (personal data: the length is said, not the value; the first one present is
    the table's ``name_column``) and ``labels`` (names that are not personal data: a unit's)
    to ``MAX_NAME_LENGTH``, any other known column to
    ``MAX_TEXT_LENGTH``; a longer value is a problem (and a row with a longer id is not
    read further)."""
    def say(text: str) -> None:
        note(text)
        if notices is not None:
            notices.append(text)

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
    except BadText as exc:
        exc.add_to(problems, name)
        return None
    except (OSError, csv.Error, ValueError, KeyError) as exc:
        error = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        problems.add(name, message=t("cannot_read", error=error))
        return None
    if used not in ("utf-8", "utf-8-bom", "xlsx"):
        say(str(Problem(name, message=t("encoding_set", encoding=used) if encoding
                        else t("encoding_used", encoding=used))))
    written = [h.strip() for h in header]
    aliases = aliases or {}
    header = [aliases.get(h, aliases.get(h.lower(), h)) for h in written]
    headers = {c: w for c, w in zip(header, written) if c != w}
    if not any(header):
        problems.add(name, 1, message=t("empty_file"))
        return None
    known = list(known) if known is not None else list(required) + list(aliases.values())
    check_header(name, written, header, known, aliases, problems, say)
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
    unnamed: set[int] = set()  # columns without a header whose values are ignored
    strict = used != "xlsx"  # a CSV row has as many fields as the header, no fewer, no more
    name_column = next((c for c in names if c in header), None)
    limits = {c: (MAX_ID_LENGTH if c in ids else MAX_NAME_LENGTH if c in names + labels
                  else MAX_TEXT_LENGTH, c in names) for c in header if c in known}
    for number, values in raw:
        if not any(v.strip() for v in values):
            continue  # blank line
        if (strict and len(values) != len(header)) or (
                len(values) > len(header) and any(v.strip() for v in values[len(header):])):
            ragged(problems, name, number, values, header, name_column)
            continue
        record = {h: (values[i].strip() if i < len(values) else "") for i, h in enumerate(header)}
        long = [(c, length_problem(record[c], *limits[c])) for c in limits
                if len(record[c]) > limits[c][0]]
        for c, why in long:
            problems.add(name, number, headers.get(c, c), why)
        if any(c in ids for c, _ in long):
            continue  # an id too long to be one: the row is not read further
        rows.append((number, record))
        for i, h in enumerate(header):
            if not h and i < len(values) and values[i].strip() and i not in unnamed:
                unnamed.add(i)
                say(str(Problem(name, message=t("column_no_header", n=i + 1))))
    return Table(path, header, rows, headers, used, name, name_column)


# What Chinese Excel writes when it saves CSV: GB18030 (a superset of GBK and GB2312).
# UTF-8 is tried first and strictly: text in GBK is almost never valid UTF-8, so the first
# encoding that decodes the whole file is the file's. Latin-1 text may also decode as
# GB18030: the encoding used is then said, and ``encoding:`` in the scenario overrides it.
ENCODINGS = ("utf-8-sig", "gb18030")
BOM = b"\xef\xbb\xbf"


def detect_encoding(data: bytes) -> str:
    for encoding in ENCODINGS:
        try:
            data.decode(encoding)
            return "utf-8" if encoding == "utf-8-sig" and not data.startswith(BOM) \
                else ("utf-8-bom" if encoding == "utf-8-sig" else encoding)
        except UnicodeDecodeError:
            continue
    data.decode("utf-8")  # raises the UnicodeDecodeError the caller reports
    return "utf-8"


class BadText(ValueError):
    """A CSV file that is not text, or not CSV, at a row (and a column, when it can tell)."""

    def __init__(self, row: int, column: str, message: str):
        super().__init__(message)
        self.row, self.column, self.message = row, column, message

    def add_to(self, problems: Problems, name: str) -> None:
        problems.add(name, self.row, self.column, self.message)


def _where(data: bytes | str, at: int) -> tuple[int, str]:
    """The line of position ``at`` (the header is line 1) and the header of its field (by
    the commas before it on its line; empty when it cannot tell)."""
    newline, comma = (b"\n", b",") if isinstance(data, bytes) else ("\n", ",")
    row = data.count(newline, 0, at) + 1
    start = data.rfind(newline, 0, at) + 1
    field = data.count(comma, start, at)
    end = data.find(newline)
    head = data[:end if end >= 0 else len(data)]
    if isinstance(head, bytes):
        head = head.decode("utf-8", "replace")
    names = [h.strip().strip('"').strip() for h in head.removeprefix("\ufeff").split(",")]
    column = names[field] if row > 1 and field < len(names) else ""
    return row, clip(column) if "\ufffd" not in column else ""


def decode_csv(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """A CSV file's text and the encoding it was read in (``utf-8``, ``utf-8-bom``,
    ``gb18030`` or the one given; a BOM says UTF-8 whatever is given). Raises
    :class:`BadText` at the row (and column) of the first byte that is not text."""
    try:
        if data.startswith(BOM):
            used, codec = "utf-8-bom", "utf-8-sig"
        elif encoding:
            used = codec = encoding
        else:
            used = detect_encoding(data)
            codec = {"utf-8-bom": "utf-8-sig"}.get(used, used)
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        row, column = _where(data, exc.start)
        raise BadText(row, column, t("not_in_encoding", encoding=encoding, byte=exc.start)
                      if encoding and not data.startswith(BOM)
                      else t("not_text", byte=exc.start)) from None
    text = text.removeprefix("\ufeff")
    nul = text.find("\x00")
    if nul >= 0:
        row, column = _where(text, nul)
        raise BadText(row, column, t("nul_byte"))
    return text, used


def csv_records(text: str, start: int = 1):
    """(line, values) for each record of a CSV text, ``line`` the line it starts on (the
    first is ``start``). A quote opened and never closed (the csv module would read the rest
    of the file as one value) raises :class:`BadText` at the line that opened it."""
    reader = csv.reader(io.StringIO(text, newline=""))
    line = start
    last, header = None, None
    try:
        for values in reader:
            yield line, values
            header = values if header is None else header
            last = line
            line = start + reader.line_num
    except csv.Error as exc:  # a value longer than the csv module's limit
        raise BadText(line, "", t("cannot_read", error=exc)) from None
    if last is not None and line - last > 1:
        field = next((i for i, v in enumerate(values) if "\n" in v or "\r" in v), None)
        column = header[field] if field is not None and last > start and \
            field < len(header) else ""
        _closed(text, last - start + 1, last, clip(column.strip()))


def _closed(text: str, first: int, row: int, column: str) -> None:
    """The last record, from its ``first`` line of ``text``, spans lines: raise BadText when
    it is a quote never closed."""
    tail = "".join(io.StringIO(text, newline="").readlines()[first - 1:])
    try:
        for _ in csv.reader(io.StringIO(tail, newline=""), strict=True):
            pass
    except csv.Error as exc:
        if "end of data" in str(exc):
            raise BadText(row, column, t("open_quote")) from None


def ragged(problems: Problems, name: str, row: int, values: list[str],
           header: list[str], name_column: str | None = None) -> None:
    """A row with more (or fewer) fields than the header; when a value spans lines, a quote
    opened on this row and closed on a later one made it so: said so. In a file with a
    name column, more fields than the header may be a comma in a name: said too (no value
    of the row is shown)."""
    spans = [v.count("\n") + v.count("\r") - v.count("\r\n") for v in values]
    if not any(spans):
        more = name_column is not None and len(values) > len(header)
        problems.add(name, row, message=t("ragged_row", fields=len(values), header=len(header))
                     + (t("comma_in_name", column=name_column) if more else ""))
        return
    first = next(i for i, n in enumerate(spans) if n)
    column = clip(header[first]) if first < len(header) else ""
    problems.add(name, row, column, t("quote_spans", end=row + sum(spans), fields=len(values),
                                      header=len(header)))


def _read_csv(path: Path, problems: Problems, encoding: str | None = None):
    data = read_bounded(path, MAX_TABLE_BYTES)
    text, used = decode_csv(data, encoding)
    records = csv_records(text)
    try:
        _, header = next(records)
    except StopIteration:
        problems.add(str(path), 1, message=t("empty_file"))
        return None, [], used
    header = [from_cell(v) for v in header]
    rows = [(line, [from_cell(v) for v in values]) for line, values in records]
    return header, rows, used


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
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


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


class _Unreadable:
    """A cell openpyxl cannot read (a number written NaN or inf, a string index or a boolean
    that is not one): its value, to name the cell in a problem."""

    def __init__(self, kind: str):
        self.kind = kind


@contextmanager
def _tolerant_cells():
    """While a workbook is read: a cell openpyxl cannot convert becomes an
    :class:`_Unreadable` value at its place instead of an exception that loses the cell."""
    from openpyxl.utils.cell import coordinate_to_tuple
    from openpyxl.worksheet._reader import WorkSheetParser

    original = WorkSheetParser.parse_cell

    def parse_cell(self, element):
        try:
            return original(self, element)
        except (ValueError, TypeError, IndexError, KeyError, OverflowError):
            try:
                row, column = coordinate_to_tuple(element.get("r"))
            except Exception:  # noqa: BLE001  (no or a broken reference: the parser's count)
                row, column = self.row_counter, self.col_counter
            return {"row": row, "column": column, "value": _Unreadable(element.get("t", "n")),
                    "data_type": "n", "style_id": 0}

    WorkSheetParser.parse_cell = parse_cell
    try:
        with warnings.catch_warnings():  # openpyxl warns of a date out of range: a problem here
            warnings.simplefilter("ignore")
            yield
    finally:
        WorkSheetParser.parse_cell = original


def _read_xlsx(path: Path, sheet: str | None, problems: Problems):
    """The sheet's rows as text. Its declared dimension is ignored (it may lie); at most
    MAX_COLUMNS columns and MAX_ROWS rows are read, data beyond is a problem. A formula is
    read as its saved result; one without a saved result, an error value (#REF!), a number
    that is not finite (NaN, inf) or a cell that cannot be read is a problem naming the
    sheet and the cell."""
    with _tolerant_cells():
        return _read_xlsx_cells(path, sheet, problems)


def _read_xlsx_cells(path: Path, sheet: str | None, problems: Problems):
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
                elif c.data_type == "e":  # an error value, or a date out of Excel's range
                    problems.add(f"{path}[{title}]", i, message=t(
                        "xlsx_error", cell=f"{get_column_letter(j + 1)}{i}",
                        value=clip(str(c.value))))
                    values.append(None)
                elif isinstance(c.value, _Unreadable) or (
                        isinstance(c.value, float) and not math.isfinite(c.value)):
                    problems.add(f"{path}[{title}]", i, message=t(
                        "xlsx_not_number" if not isinstance(c.value, _Unreadable)
                        or c.value.kind == "n" else "xlsx_unreadable",
                        cell=f"{get_column_letter(j + 1)}{i}"))
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
                    elif isinstance(values[j], _Unreadable) or (
                            isinstance(values[j], float) and not math.isfinite(values[j])):
                        problems.add(f"{path}[{title}]", i, message=t("xlsx_not_number",
                                                                      cell=cell))
                    else:
                        at[i][j] = values[j]
            if i >= max(r for r, _ in formulas):
                break
    finally:
        wb.close()
